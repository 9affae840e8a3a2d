import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access import gate
from accounts.models import User
from core.actions import Action
from core.requests import AuthenticatedHttpRequest
from core.vocab import Category, Level
from people.models import Person
from schakel.routes import HANDOVER_ITEM, MEMBERSHIP, person_route
from teams import forms, presenters, queries, services

WEEKLY_VISITS_TEMPLATE = "people/_weekly_visits.html"


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: Form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


def _weekly_visits(actor: User, person: Person) -> dict[str, Any]:
    """Who already comes to the house (TEAM-07), from the dossier's weekly view when the people
    app provides it; the team page works without it, and without it for readers who may not see
    the person's situation (the dossier's gate refuses them, and the section stays out)."""
    try:
        from people.queries import weekly_visits

        get_template(WEEKLY_VISITS_TEMPLATE)
    except (ImportError, AttributeError, TemplateDoesNotExist):
        return {}
    # The weekly view is part of the person's situation. Asked first without a trace, so that a
    # reader without it (family, a neighbour) does not leave a refusal in the person's access
    # log each time they open the team page; weekly_visits() itself gates and audits the read.
    if not gate.decide(actor, person, Category.SITUATION, Level.READ).allowed:
        return {}
    try:
        weekly = weekly_visits(actor, person)
    except Http404:
        return {}
    return {"weekly": weekly, "weekly_visits_template": WEEKLY_VISITS_TEMPLATE}


@person_route("GET")
@login_required
def team(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The care team: who, in which role and assignment, since and until when, the coordinator,
    and how to reach each member."""
    view = queries.get_team(request.user, person_id)
    rights = view.rights
    context = {
        "team": view,
        "person": view.person,
        "rights": rights,
        "professionals": presenters.member_rows(view.professionals, request.user, rights, view.excluded),
        "circle": presenters.member_rows(view.circle, request.user, rights, view.excluded),
        "coordinators": [str(m.user) for m in view.coordinators],
        **_weekly_visits(request.user, view.person),
    }
    return render(request, "teams/team.html", context)


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The coordinator adds a member; the person and their representative add their own circle."""
    posting = request.method == "POST"
    action = Action.TEAMS_MEMBER_ADDED if posting else Action.TEAMS_MEMBER_ADD_VIEWED
    person, rights = queries.person_for_team(request.user, person_id, action=action, audit_granted=not posting)
    if not posting and not (rights.manages or rights.own_circle):
        queries.refuse(request.user, person, rights, action, "not_coordinator")
    form = forms.AddMemberForm(request.POST or None)
    if form.is_valid():  # the service refuses (and audits) anyone who may not add this member
        try:
            membership = services.add_member(request.user, person, **form.service_arguments())
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("%(name)s is on the team now.") % {"name": membership.user})
            return redirect("teams:team", person.public_id)
    return render(request, "teams/member_add.html", {"person": person, "rights": rights, "form": form})


def _attach(form: Form, error: ValidationError) -> None:
    """A service's errors on the form: per field where the form has that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@person_route("POST", objects={"member": MEMBERSHIP})
@login_required
@require_POST
def member_end(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, _rights = queries.person_for_team(
        request.user, person_id, action=Action.TEAMS_MEMBER_ENDED, audit_granted=False
    )
    form = forms.MemberForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("teams:team", person.public_id)
    try:
        membership = queries.membership_of(
            request.user, person, form.cleaned_data["member"], action=Action.TEAMS_MEMBER_ENDED
        )
        services.end_membership(request.user, person, membership, version=form.cleaned_data["version"])
    except ValidationError as error:  # Conflict is one too
        _report(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is no longer on the team. Their open items wait in the handover queue.")
            % {"name": membership.user},
        )
    # A member who left the team no longer sees its page.
    if not gate.decide(request.user, person, Category.TEAM, Level.READ).allowed:
        return redirect("home")
    return redirect("teams:team", person.public_id)


@person_route("POST", objects={"member": MEMBERSHIP})
@login_required
@require_POST
def coordinator(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, _rights = queries.person_for_team(
        request.user, person_id, action=Action.TEAMS_COORDINATOR_CHANGED, audit_granted=False
    )
    form = forms.MemberForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("teams:team", person.public_id)
    try:
        membership = queries.membership_of(
            request.user, person, form.cleaned_data["member"], action=Action.TEAMS_COORDINATOR_CHANGED
        )
        services.set_coordinator(request.user, person, membership, version=form.cleaned_data["version"])
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("%(name)s is the care coordinator now.") % {"name": membership.user})
    return redirect("teams:team", person.public_id)


@person_route("GET", "POST", objects={"member": MEMBERSHIP})
@login_required
@require_http_methods(["GET", "POST"])
def reachability(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """A member says when and how they can be reached; the coordinator can do it for them."""
    posting = request.method == "POST"
    action = Action.TEAMS_REACHABILITY_CHANGED if posting else Action.TEAMS_REACHABILITY_VIEWED
    person, rights = queries.person_for_team(request.user, person_id, action=action, audit_granted=not posting)
    chosen = request.POST.get("member") or request.GET.get("member")
    membership = rights.membership
    if chosen:
        try:
            membership = queries.membership_of(request.user, person, chosen, action=action)
        except ValidationError as error:
            _report(request, error)
            return redirect("teams:team", person.public_id)
    if membership is None:
        return render(request, "teams/reachability.html", {"person": person, "membership": None, "form": None})
    if membership.user_id != request.user.pk and not rights.manages:
        queries.refuse(request.user, person, rights, action, "not_member_or_coordinator")
    form = forms.ReachabilityForm.for_membership(membership, request.POST if posting else None)
    if form.is_valid():
        try:
            services.update_reachability(request.user, person, membership, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The reachability is saved."))
            return redirect("teams:team", person.public_id)
    context = {"person": person, "membership": membership, "form": form, "own": membership.user_id == request.user.pk}
    return render(request, "teams/reachability.html", context)


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def thread(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The team's messages about the person: each reader sees only the categories they may read."""
    view = queries.get_thread(request.user, person_id)
    form = forms.MessageForm(request.POST or None, categories=view.writable, members=view.members)
    if form.is_valid():
        users = {str(m.user.public_id): m.user for m in view.members}
        try:
            services.post_message(
                request.user,
                view.person,
                category=form.cleaned_data["category"],
                body=form.cleaned_data["body"],
                addressees=[users[key] for key in form.cleaned_data["addressees"]],
                link=request.build_absolute_uri(reverse("teams:messages", args=[view.person.public_id])),
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The message is posted."))
            # To the newest message, theirs; a refused post comes back to the form (its action).
            return redirect(reverse("teams:messages", args=[view.person.public_id]) + "#latest")
    rows = presenters.message_rows(view, request.user)
    services.mark_read(request.user, view.messages)
    context = {
        "person": view.person,
        "rights": view.rights,
        "rows": rows,
        "form": form,
        "may_write": bool(view.writable),
        "topics": presenters.topic_options(view, form["category"].value()),
        "addressees": presenters.addressee_options(view, form["addressees"].value()),
    }
    return render(request, "teams/thread.html", context)


@person_route("GET")
@login_required
def handover_queue(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The coordinator's handover queue: open items of members who left, flagged until taken."""
    queue = queries.get_handover_queue(request.user, person_id)
    flagged, taken = presenters.queue_rows(queue)
    context = {
        "person": queue.person,
        "flagged": flagged,
        "taken": taken,
        "form": forms.TakeItemForm(members=queue.members),
    }
    return render(request, "teams/handover.html", context)


@person_route("POST", objects={"item": HANDOVER_ITEM})
@login_required
@require_POST
def handover_take(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, _rights = queries.person_for_team(
        request.user, person_id, action=Action.TEAMS_HANDOVER_TAKEN, audit_granted=False
    )
    members = list(queries.active_members(person))
    form = forms.TakeItemForm(request.POST, members=members)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("teams:handover", person.public_id)
    users = {str(m.user.public_id): m.user for m in members}
    try:
        item = queries.handover_item_of(
            request.user, person, form.cleaned_data["item"], action=Action.TEAMS_HANDOVER_TAKEN
        )
        owner = users.get(form.cleaned_data["owner"]) if form.cleaned_data["owner"] else None
        item = services.take_item(request.user, person, item, new_owner=owner)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The item is now with %(name)s.") % {"name": item.assigned_to})
    return redirect("teams:handover", person.public_id)
