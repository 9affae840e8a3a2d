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
from teams.models import Membership

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
        "proposal": presenters.proposal_box(view.proposal, request.user) if view.proposal else None,
        "own": presenters.own_box(rights.membership) if rights.membership else None,
        "the_person_addable": view.the_person_addable,
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


@person_route("POST")
@login_required
@require_POST
def member_add_person(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """In one click from the team page: the coordinator adds the person themself to their own
    team, so that actions can be given to them."""
    action = Action.TEAMS_MEMBER_ADDED
    person, _rights = queries.person_for_team(request.user, person_id, action=action, audit_granted=False)
    try:
        membership = services.add_the_person(request.user, person)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is on the team now: actions can be given to them.") % {"name": membership.user},
        )
    return redirect("teams:team", person.public_id)


def _attach(form: Form, error: ValidationError) -> None:
    """A service's errors on the form: per field where the form has that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _confirmation(
    request: HttpRequest,
    person: Person,
    *,
    title: str,
    consequences: list[str],
    button: str,
    action_url: str,
    fields: dict[str, str],
    danger: bool = True,
) -> HttpResponse:
    """The page that states what an irreversible change does before it is made (issue 11). Its
    form alone carries `confirm=yes`, without which the change's POST changes nothing."""
    context = {
        "person": person,
        "title": title,
        "consequences": consequences,
        "button": button,
        "action_url": action_url,
        "fields": fields,
        "danger": danger,
    }
    return render(request, "teams/confirm.html", context)


def _chosen_membership(request: AuthenticatedHttpRequest, person: Person, action: str) -> tuple[Membership, int] | None:
    """The membership and version named in the query (the link to a confirmation page) or the
    body (its form); None after reporting a bad choice. The id is looked at first, so that
    another person's membership is refused (404, audited) whatever else was sent."""
    data = request.POST if request.method == "POST" else request.GET
    try:
        membership = queries.membership_of(request.user, person, data.get("member"), action=action)
    except ValidationError as error:
        _report(request, error)
        return None
    form = forms.MemberForm(data)
    if not form.is_valid():
        _form_errors(request, form)
        return None
    return membership, form.cleaned_data["version"]


def _confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


@person_route("GET", "POST", objects={"member": MEMBERSHIP})
@login_required
@require_http_methods(["GET", "POST"])
def member_end(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """End a membership, or leave the team: a confirmation page first that says what it does;
    only its form (with `confirm`) ends the membership."""
    confirmed = _confirmed(request)
    action = Action.TEAMS_MEMBER_ENDED if confirmed else Action.TEAMS_CONFIRMATION_VIEWED
    person, rights = queries.person_for_team(request.user, person_id, action=action, audit_granted=not confirmed)
    chosen = _chosen_membership(request, person, action)
    if chosen is None:
        return redirect("teams:team", person.public_id)
    membership, version = chosen
    own = membership.user_id == request.user.pk
    if not confirmed:
        if not (rights.manages or own or (rights.own_circle and not membership.is_professional)):
            queries.refuse(request.user, person, rights, action, "not_coordinator")
        return _end_confirmation(request, person, membership, version, own)
    try:
        services.end_membership(request.user, person, membership, version=version)
    except ValidationError as error:  # Conflict is one too
        _report(request, error)
    else:
        if own:
            messages.success(request, _("You have left the care team of %(person)s.") % {"person": person.given_name})
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


def _end_confirmation(
    request: HttpRequest, person: Person, membership: Membership, version: int, own: bool
) -> HttpResponse:
    names = {"name": str(membership.user), "person": person.given_name}
    if own:
        title = _("Leave the care team of %(person)s?") % names
        consequences = [_("You lose access to the dossier of %(person)s at once.") % names]
        if membership.is_coordinator:
            consequences.append(
                _("You are the care coordinator: the team has no coordinator until someone takes the role.")
            )
        consequences += [
            _("Your open items go to the handover queue, and the care coordinator is told."),
            _("This cannot be undone: to come back, someone who manages the team must add you again."),
        ]
        button = _("Yes, leave the team")
    else:
        title = _("End the membership of %(name)s?") % names
        consequences = [_("%(name)s loses access to the dossier of %(person)s at once.") % names]
        if membership.is_coordinator:
            consequences.append(
                _("%(name)s is the care coordinator: the team has no coordinator until someone takes the role.") % names
            )
        consequences += [
            _("Their open items go to the handover queue, and the care coordinator is told."),
            _("This cannot be undone: to have %(name)s back, someone who manages the team must add them again.")
            % names,
        ]
        button = _("Yes, end the membership")
    return _confirmation(
        request,
        person,
        title=title,
        consequences=consequences,
        button=button,
        action_url=reverse("teams:member-end", args=[person.public_id]),
        fields={"member": str(membership.public_id), "version": str(version)},
    )


@person_route("GET", "POST", objects={"member": MEMBERSHIP})
@login_required
@require_http_methods(["GET", "POST"])
def coordinator(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Propose a member as care coordinator (or take the role oneself in a team without one):
    a confirmation page first; the proposed member then accepts or declines."""
    confirmed = _confirmed(request)
    action = Action.TEAMS_COORDINATION_PROPOSED if confirmed else Action.TEAMS_CONFIRMATION_VIEWED
    person, rights = queries.person_for_team(request.user, person_id, action=action, audit_granted=not confirmed)
    chosen = _chosen_membership(request, person, action)
    if chosen is None:
        return redirect("teams:team", person.public_id)
    membership, version = chosen
    if not rights.manages:
        queries.refuse(request.user, person, rights, action, "not_coordinator")
    own = membership.user_id == request.user.pk
    if not confirmed:
        try:
            services.check_may_coordinate(person, membership)
            if queries.pending_proposal(person) is not None:
                raise ValidationError(
                    _("A proposal to coordinate is already waiting for an answer. Cancel it before making another."),
                    code="proposal_pending",
                )
        except ValidationError as error:
            _report(request, error)
            return redirect("teams:team", person.public_id)
        return _coordinator_confirmation(request, person, membership, version, own, rights.is_coordinator)
    try:
        proposal = services.propose_coordinator(request.user, person, membership, version=version)
    except ValidationError as error:
        _report(request, error)
    else:
        if proposal is None:
            messages.success(request, _("You are the care coordinator now."))
        else:
            messages.success(
                request,
                _("%(name)s is asked to accept the role. Nothing changes until they accept.")
                % {"name": membership.user},
            )
    return redirect("teams:team", person.public_id)


def _coordinator_confirmation(
    request: HttpRequest, person: Person, membership: Membership, version: int, own: bool, is_coordinator: bool
) -> HttpResponse:
    names = {"name": str(membership.user), "person": person.given_name}
    if own:
        title = _("Become the care coordinator of %(person)s?") % names
        consequences = [
            _("The team sees you as its care coordinator: you add and end members and take the handover queue."),
            _("To hand the role on later, you propose someone else, who must accept."),
        ]
        button = _("Yes, I coordinate")
    else:
        title = _("Propose %(name)s as care coordinator?") % names
        consequences = [_("%(name)s is told and must accept the role. Until then nothing changes.") % names]
        if is_coordinator:
            consequences += [
                _("Until %(name)s accepts, you stay the care coordinator and can cancel the proposal.") % names,
                _("Once %(name)s accepts, you are no longer the care coordinator: only they can hand the role on.")
                % names,
            ]
        else:
            consequences.append(_("Until %(name)s accepts, you can cancel the proposal.") % names)
        button = _("Yes, send the proposal")
    return _confirmation(
        request,
        person,
        title=title,
        consequences=consequences,
        button=button,
        action_url=reverse("teams:coordinator", args=[person.public_id]),
        fields={"member": str(membership.public_id), "version": str(version)},
        danger=False,
    )


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def coordinator_answer(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The proposed member reads what coordinating means, then accepts or declines."""
    posting = request.method == "POST"
    answer = request.POST.get("answer", "")
    if posting and answer in ("accept", "decline"):
        action = Action.TEAMS_COORDINATOR_CHANGED if answer == "accept" else Action.TEAMS_COORDINATION_DECLINED
    else:
        action = Action.TEAMS_CONFIRMATION_VIEWED
    person, _rights = queries.person_for_team(
        request.user, person_id, action=action, audit_granted=action == Action.TEAMS_CONFIRMATION_VIEWED
    )
    proposal = queries.pending_proposal(person)
    if proposal is None or proposal.membership.user_id != request.user.pk:
        messages.error(request, _("No proposal to coordinate waits for your answer."))
        return redirect("teams:team", person.public_id)
    if action != Action.TEAMS_CONFIRMATION_VIEWED:
        try:
            proposal = queries.proposal_for(request.user, person, request.POST.get("proposal"), action=action)
            services.answer_proposal(request.user, person, proposal, accept=answer == "accept")
        except ValidationError as error:
            _report(request, error)
        else:
            if answer == "accept":
                messages.success(request, _("You are the care coordinator now."))
            else:
                messages.success(request, _("You declined. %(name)s is told.") % {"name": proposal.proposed_by})
        return redirect("teams:team", person.public_id)
    if posting:
        messages.error(request, _("Choose whether you accept or decline."))
    current = [str(m.user) for m in queries.active_members(person).filter(is_coordinator=True)]
    context = {"person": person, "proposal": proposal, "current": ", ".join(current)}
    return render(request, "teams/coordinator_answer.html", context)


@person_route("POST")
@login_required
@require_POST
def coordinator_cancel(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The coordinator (or whoever proposed) takes back a proposal before it is accepted."""
    action = Action.TEAMS_COORDINATION_CANCELLED
    person, _rights = queries.person_for_team(request.user, person_id, action=action, audit_granted=False)
    try:
        proposal = queries.proposal_for(request.user, person, request.POST.get("proposal"), action=action)
        services.cancel_proposal(request.user, person, proposal)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request, _("The proposal is cancelled. %(name)s is told.") % {"name": proposal.membership.user}
        )
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
