"""The care plan's pages: thin views over plans.queries (gated reads) and plans.services (changes).

A page that changes first resolves every id it was sent (another person's is the audited 404),
then checks the right (a reader who may not write gets a 403 that says so), then validates the
form; a stale version shows who changed the record and its new version, and keeps the input."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access import gate
from accounts.models import User
from core.actions import Action
from core.requests import AuthenticatedHttpRequest
from core.vocab import Level, Profile
from people.models import Person
from people.queries import weekly_visits_for_reader
from plans import forms, presenters, queries, services
from plans.agreements import queries as agreement_queries
from plans.gas import queries as gas_queries
from plans.help import queries as help_queries
from plans.models import LifeGoal, PlanAction
from plans.reviews import queries as review_queries
from plans.signals import queries as signal_queries
from schakel.routes import GOAL, LIFE_GOAL, MEMBERSHIP, PLAN_ACTION, person_route
from teams.models import Membership

WEEKLY_VISITS_TEMPLATE = "people/_weekly_visits.html"
# Before an action goes to someone from the person's own circle, the page shows who already
# comes to the house (issue 12): they are not a service, and may already carry a lot.
INFORMAL_PROFILES = (Profile.INFORMAL_CAREGIVER, Profile.FAMILY, Profile.NEIGHBOUR)


def _plan_url(person: Person) -> str:
    return reverse("plans:plan", args=[person.public_id])


def _action_url(action: PlanAction) -> str:
    return reverse("plans:action", args=[action.person.public_id, action.public_id])


def _attach(form: Form, error: ValidationError) -> None:
    """A service's errors on the form: per field where the form has that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _stale(form: Form, conflict: services.StaleEdit, data: Any) -> Form:
    """The user's input back in the form, now carrying the version they have seen, so that
    saving again is a deliberate choice; the message says who changed it."""
    data = data.copy()
    data["version"] = str(conflict.current.version)
    stale = type(form)(data, **getattr(form, "init_kwargs", {}))
    stale.is_valid()
    stale.add_error(None, conflict)
    return stale


def _form(form_class: type[Form], data: Any = None, **kwargs: Any) -> Any:
    form = form_class(data, **kwargs)
    form.init_kwargs = kwargs  # type: ignore[attr-defined]  # to rebuild it after a stale edit
    return form


def _data(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else request.GET


def _weekly_visits(actor: User, person: Person, members: list[Membership]) -> dict[str, Any]:
    """Who already comes to the house, when an informal caregiver is among those to choose and
    the actor may read the person's situation (people.queries.weekly_visits_for_reader)."""
    if not any(m.profile in INFORMAL_PROFILES for m in members):
        return {}
    weekly = weekly_visits_for_reader(actor, person)
    return {"weekly": weekly, "weekly_visits_template": WEEKLY_VISITS_TEMPLATE} if weekly is not None else {}


# ── The plan ─────────────────────────────────────────────────────────────────────────────────


@person_route("GET")
@login_required
def plan(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The plan in three tiers: life goals, the goals under them, the actions under the goals."""
    page = queries.plan_page(request.user, person_id)
    person = page.person
    context = {"page": page, "person": person, "tree": page.tree, "next": request.get_full_path()}
    # The plan's other parts, each from its package (issue 12), beside the three tiers.
    context.update(
        gas=gas_queries.plan_summary(request.user, person),
        help_prompt=help_queries.prompt_for(request.user, person),
        review_panel=review_queries.review_panel(request.user, person),
        signal_panel=signal_queries.signal_panel(request.user, person),
        agreement_panel=agreement_queries.agreement_panel(request.user, person),
    )
    return render(request, "plans/plan.html", context)


@person_route("GET", "POST", objects={"item": LIFE_GOAL})
@login_required
@require_http_methods(["GET", "POST"])
def life_goal(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Write a life goal with the person, or change one (?item=<id>): wishes write."""
    posting = request.method == "POST"
    item = _data(request).get("item")
    action = Action.PLANS_LIFE_GOAL_CHANGED if item else Action.PLANS_LIFE_GOAL_ADDED
    person = queries.person_for_plan(
        request.user,
        person_id,
        action=action if posting else Action.PLANS_PLAN_VIEWED,
        category=queries.WISHES,
        audit_granted=not posting,
    )
    record = queries.life_goal_of(request.user, person, item, action=action) if item else None
    queries.require_write(request.user, person, queries.WISHES, action)
    initial: dict[str, Any] = {"version": 0}
    if record is not None:
        initial = {
            "text": record.text,
            "written_by": record.written_by,
            "status": record.status,
            "version": record.version,
        }
    else:
        initial["written_by"] = LifeGoal.WrittenBy.WITH_COORDINATOR
    form = _form(forms.LifeGoalForm, request.POST if posting else None, initial=initial, editing=record is not None)
    current = None
    if posting and form.is_valid():
        data = form.cleaned_data
        try:
            if record is None:
                services.add_life_goal(request.user, person, text=data["text"], written_by=data["written_by"])
            else:
                services.change_life_goal(
                    request.user,
                    record,
                    version=data["version"],
                    text=data["text"],
                    written_by=data["written_by"],
                    status=data.get("status") or None,
                )
        except services.StaleEdit as conflict:
            form, current = _stale(form, conflict, request.POST), presenters.current_facts(conflict.current)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The life goal is saved."))
            return redirect("plans:plan", person.public_id)
    context = {"person": person, "form": form, "record": record, "current": current}
    return render(request, "plans/life_goal_form.html", context)


@person_route("GET", "POST", objects={"item": GOAL, "life_goal": LIFE_GOAL})
@login_required
@require_http_methods(["GET", "POST"])
def goal(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Add a care or support goal (under a life goal: ?life_goal=<id>), or change one (?item=<id>)."""
    posting = request.method == "POST"
    data = _data(request)
    item = data.get("item")
    action = Action.PLANS_GOAL_CHANGED if item else Action.PLANS_GOAL_ADDED
    person = queries.person_for_plan(
        request.user, person_id, action=action if posting else Action.PLANS_PLAN_VIEWED, audit_granted=not posting
    )
    record = queries.goal_of(request.user, person, item, action=action) if item else None
    reads_wishes = queries.may(request.user, person, queries.WISHES, Level.READ)
    chosen_life_goal = None
    if data.get("life_goal"):
        if not reads_wishes:  # a reader who does not see the life goals cannot name one
            gate.refuse(request.user, action, {"life_goal": str(data["life_goal"])})
        chosen_life_goal = queries.life_goal_of(request.user, person, data["life_goal"], action=action)
    queries.require_write(request.user, person, queries.PLAN, action)
    life_goals = list(LifeGoal.objects.filter(person=person)) if reads_wishes else None
    if record is not None:
        initial: dict[str, Any] = {
            "title": record.title,
            "description": record.description,
            "life_goal": str(record.life_goal.public_id) if record.life_goal else "",
            "status": record.status,
            "weight": record.weight,
            "version": record.version,
        }
    else:
        initial = {"version": 0, "weight": 1, "life_goal": str(chosen_life_goal.public_id) if chosen_life_goal else ""}
    form = _form(
        forms.GoalForm,
        request.POST if posting else None,
        initial=initial,
        life_goals=life_goals,
        editing=record is not None,
    )
    current = None
    if posting and form.is_valid():
        cleaned = form.cleaned_data
        under = chosen_life_goal if cleaned.get("life_goal") else None
        try:
            if record is None:
                services.add_goal(
                    request.user,
                    person,
                    title=cleaned["title"],
                    life_goal=under,
                    description=cleaned["description"],
                    weight=cleaned["weight"],
                )
            else:
                services.change_goal(
                    request.user,
                    record,
                    version=cleaned["version"],
                    title=cleaned["title"],
                    description=cleaned["description"],
                    life_goal=under if reads_wishes else services.KEEP,
                    status=cleaned.get("status") or None,
                    weight=cleaned["weight"],
                )
        except services.StaleEdit as conflict:
            form, current = _stale(form, conflict, request.POST), presenters.current_facts(conflict.current)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("plans:plan", person.public_id)
    context = {"person": person, "form": form, "record": record, "current": current}
    return render(request, "plans/goal_form.html", context)


# ── Actions ──────────────────────────────────────────────────────────────────────────────────


@person_route("GET", "POST", objects={"member": MEMBERSHIP, "goal": GOAL})
@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Add an action with its owner (?goal=<id> to put it under a goal). It is proposed to the
    owner, who accepts or declines; one's own action is open at once."""
    posting = request.method == "POST"
    data = _data(request)
    action = Action.PLANS_ACTION_PROPOSED
    person = queries.person_for_plan(
        request.user, person_id, action=action if posting else Action.PLANS_PLAN_VIEWED, audit_granted=not posting
    )
    chosen_goal = queries.goal_of(request.user, person, data["goal"], action=action) if data.get("goal") else None
    chosen_member = (
        queries.member_of(request.user, person, data["member"], action=action) if data.get("member") else None
    )
    queries.require_write(request.user, person, queries.PLAN, action)
    goals = queries.goals_of(person, active_only=True)
    members = queries.owner_choices(person)
    initial = {
        "goal": str(chosen_goal.public_id) if chosen_goal else "",
        "member": str(chosen_member.public_id) if chosen_member else "",
    }
    form = forms.ActionForm(request.POST if posting else None, initial=initial, goals=goals, members=members)
    if posting and form.is_valid():
        cleaned = form.cleaned_data
        assert chosen_member is not None  # a valid choice was sent, so it was resolved above
        try:
            made = services.propose_action(
                request.user,
                person,
                title=cleaned["title"],
                owner=chosen_member,
                goal=chosen_goal if cleaned.get("goal") else None,
                due_on=cleaned.get("due_on"),
                details=cleaned["details"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            if made.status == PlanAction.Status.PROPOSED:
                messages.success(
                    request,
                    _("The action is proposed to %(name)s, who is asked to accept it.") % {"name": chosen_member.user},
                )
            else:
                messages.success(request, _("The action is yours: it is on your list now."))
            return redirect("plans:plan", person.public_id)
    context = {"person": person, "form": form, **_weekly_visits(request.user, person, members)}
    return render(request, "plans/action_form.html", context)


def _action(
    request: AuthenticatedHttpRequest, person_id: uuid.UUID, action_id: uuid.UUID, code: str, *, audit: bool
) -> tuple[PlanAction, gate.Decision]:
    return queries.get_action(request.user, person_id, action_id, action=code, audit_granted=audit)


@person_route("GET", objects={"action_id": PLAN_ACTION})
@login_required
def action_detail(request: AuthenticatedHttpRequest, person_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    """One action: for whoever reads the plan, and for its owner alone otherwise (the neighbour
    rule); the goal's title only for readers of the plan."""
    found, _decision = _action(request, person_id, action_id, Action.PLANS_ACTION_VIEWED, audit=True)
    person = found.person
    reads_plan = queries.may(request.user, person, queries.PLAN, Level.READ)
    writes_plan = queries.may(request.user, person, queries.PLAN)
    owns = services.owner_decision(request.user, found, write=True).allowed
    moves = bool(services.status_choices(found)) and (writes_plan or owns)
    row = presenters.action_row(
        found, {found.owner_id: found.owner}, person_id=person.public_id, today=timezone.localdate()
    )
    context = {
        "person": person,
        "action": found,
        "row": row,
        "goal_title": found.goal.title if reads_plan and found.goal else "",
        "reads_plan": reads_plan,
        "writes_plan": writes_plan and found.status not in services.CLOSED_STATUSES,
        "owns": owns,
        "answers": owns and found.status == PlanAction.Status.PROPOSED,
        "moves": moves,
        "help_answers": help_queries.answers_of(found)
        if reads_plan and found.status == PlanAction.Status.DONE
        else None,
    }
    return render(request, "plans/action.html", context)


@person_route("GET", "POST", objects={"action_id": PLAN_ACTION, "goal": GOAL})
@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: AuthenticatedHttpRequest, person_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    """Change what an action is, by when, under which goal (plan write)."""
    posting = request.method == "POST"
    code = Action.PLANS_ACTION_CHANGED
    found, _decision = _action(
        request, person_id, action_id, code if posting else Action.PLANS_ACTION_VIEWED, audit=not posting
    )
    person = found.person
    data = _data(request)
    chosen_goal = queries.goal_of(request.user, person, data["goal"], action=code) if data.get("goal") else None
    queries.require_write(request.user, person, queries.PLAN, code)
    goals = queries.goals_of(person)
    initial = {
        "title": found.title,
        "details": found.details,
        "due_on": found.due_on,
        "goal": str(found.goal.public_id) if found.goal else "",
        "version": found.version,
    }
    form = _form(forms.ActionFieldsForm, request.POST if posting else None, initial=initial, goals=goals)
    current = None
    if posting and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.change_action(
                request.user,
                found,
                version=cleaned["version"],
                title=cleaned["title"],
                details=cleaned["details"],
                due_on=cleaned.get("due_on"),
                goal=chosen_goal if cleaned.get("goal") else None,
            )
        except services.StaleEdit as conflict:
            form, current = _stale(form, conflict, request.POST), presenters.current_facts(conflict.current)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect(_action_url(found))
    context = {"person": person, "action": found, "form": form, "current": current}
    return render(request, "plans/action_edit.html", context)


@person_route("GET", "POST", objects={"action_id": PLAN_ACTION, "member": MEMBERSHIP})
@login_required
@require_http_methods(["GET", "POST"])
def action_reassign(request: AuthenticatedHttpRequest, person_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    """Give an action to someone else on the team (plan write): it is proposed to them again."""
    posting = request.method == "POST"
    code = Action.PLANS_ACTION_REASSIGNED
    found, _decision = _action(
        request, person_id, action_id, code if posting else Action.PLANS_ACTION_VIEWED, audit=not posting
    )
    person = found.person
    data = _data(request)
    chosen = queries.member_of(request.user, person, data["member"], action=code) if data.get("member") else None
    queries.require_write(request.user, person, queries.PLAN, code)
    members = queries.owner_choices(person)
    initial = {"version": found.version, "member": str(chosen.public_id) if chosen else ""}
    form = _form(forms.MemberChoiceForm, request.POST if posting else None, initial=initial, members=members)
    current = None
    if posting and form.is_valid():
        assert chosen is not None  # a valid choice was sent, so it was resolved above
        try:
            changed = services.reassign_action(request.user, found, version=form.cleaned_data["version"], owner=chosen)
        except services.StaleEdit as conflict:
            form, current = _stale(form, conflict, request.POST), presenters.current_facts(conflict.current)
        except ValidationError as error:
            _attach(form, error)
        else:
            if changed.status == PlanAction.Status.PROPOSED:
                messages.success(
                    request, _("The action is proposed to %(name)s, who is asked to accept it.") % {"name": chosen.user}
                )
            else:
                messages.success(request, _("The action is yours: it is on your list now."))
            return redirect(_action_url(found))
    context = {
        "person": person,
        "action": found,
        "form": form,
        "current": current,
        **_weekly_visits(request.user, person, members),
    }
    return render(request, "plans/action_reassign.html", context)


@person_route("GET", "POST", objects={"action_id": PLAN_ACTION})
@login_required
@require_http_methods(["GET", "POST"])
def action_answer(request: AuthenticatedHttpRequest, person_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    """The owner accepts a proposed action, or declines it with a reason (back to the coordinator)."""
    posting = request.method == "POST"
    form = forms.AnswerForm(request.POST if posting else None, initial={"answer": forms.AnswerForm.DECLINE})
    declining = posting and request.POST.get("answer") == forms.AnswerForm.DECLINE
    code = Action.PLANS_ACTION_DECLINED if declining else Action.PLANS_ACTION_ACCEPTED
    found, _decision = _action(
        request, person_id, action_id, code if posting else Action.PLANS_ACTION_VIEWED, audit=not posting
    )
    # Only the owner answers: a reader of the plan is told so (403), anyone else gets the 404.
    gate.enforce(
        request.user,
        found.person,
        services.owner_decision(request.user, found, write=True),
        action=code,
        audit_granted=False,
    )
    if found.status != PlanAction.Status.PROPOSED:
        messages.info(request, _("This action is not waiting for your answer."))
        return redirect(_action_url(found))
    form.initial["version"] = found.version
    if posting and form.is_valid():
        cleaned = form.cleaned_data
        try:
            if cleaned["answer"] == forms.AnswerForm.ACCEPT:
                services.accept_action(request.user, found, version=cleaned["version"])
                messages.success(request, _("You accepted the action. It is on your list."))
            else:
                services.decline_action(request.user, found, version=cleaned["version"], reason=cleaned["reason"])
                messages.success(request, _("You declined the action. The care coordinator is told."))
        except ValidationError as error:  # StaleEdit too: the page shows the action as it is now
            if isinstance(error, services.StaleEdit):
                messages.error(request, error.messages[0])
                return redirect(_action_url(found))
            _attach(form, error)
        else:
            return redirect(_action_url(found))
    return render(request, "plans/action_answer.html", {"person": found.person, "action": found, "form": form})


@person_route("GET", "POST", objects={"action_id": PLAN_ACTION})
@login_required
@require_http_methods(["GET", "POST"])
def action_status(request: AuthenticatedHttpRequest, person_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    """Move an action along: in progress, done with its outcome, on hold with the reason. The
    owner may, and so may those who write the plan."""
    posting = request.method == "POST"
    code = Action.PLANS_ACTION_STATUS_CHANGED
    found, _decision = _action(
        request, person_id, action_id, code if posting else Action.PLANS_ACTION_VIEWED, audit=not posting
    )
    gate.enforce(
        request.user, found.person, services.moves_action(request.user, found), action=code, audit_granted=False
    )
    statuses = services.status_choices(found)
    if not statuses:
        messages.info(request, _("This action's status is not changed this way."))
        return redirect(_action_url(found))
    form = _form(
        forms.StatusForm, request.POST if posting else None, initial={"version": found.version}, statuses=statuses
    )
    current = None
    if posting and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.change_action_status(
                request.user,
                found,
                version=cleaned["version"],
                status=cleaned["status"],
                outcome=cleaned["outcome"],
                hold_reason=cleaned["hold_reason"],
            )
        except services.StaleEdit as conflict:
            form, current = _stale(form, conflict, request.POST), presenters.current_facts(conflict.current)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The status is saved."))
            return redirect(_action_url(found))
    context = {"person": found.person, "action": found, "form": form, "current": current}
    return render(request, "plans/action_status.html", context)


@person_route("GET", "POST", objects={"action_id": PLAN_ACTION})
@login_required
@require_http_methods(["GET", "POST"])
def action_cancel(request: AuthenticatedHttpRequest, person_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    """Cancel an action (plan write): a page that says what cancelling does; only its form, with
    `confirm`, cancels."""
    confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
    code = Action.PLANS_ACTION_CANCELLED
    found, _decision = _action(
        request, person_id, action_id, code if confirmed else Action.PLANS_ACTION_VIEWED, audit=not confirmed
    )
    queries.require_write(request.user, found.person, queries.PLAN, code)
    form = forms.CancelForm(request.POST if confirmed else None, initial={"version": found.version})
    if confirmed and form.is_valid():
        try:
            services.cancel_action(
                request.user, found, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:  # StaleEdit too: the action page shows it as it is now
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The action is cancelled. It stays in the plan, under “Done and cancelled”."))
        return redirect(_action_url(found))
    consequences = [
        _("The action stops: %(name)s no longer has it to do.") % {"name": found.owner.user},
        _("It stays in the plan, under “Done and cancelled”, with the reason; its history keeps every change."),
        _("This cannot be undone: to do it after all, add a new action."),
    ]
    context = {"person": found.person, "action": found, "form": form, "consequences": consequences}
    return render(request, "plans/action_cancel.html", context)


# ── History ──────────────────────────────────────────────────────────────────────────────────


@person_route("GET")
@login_required
def history(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Every change to the plan the reader may read, newest first (PLAN-03)."""
    page = queries.history(request.user, person_id)
    return render(request, "plans/history.html", {"page": page, "person": page.person})


@person_route("GET")
@login_required
def as_of(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The plan as it stood at the end of a day (?date=YYYY-MM-DD)."""
    form = forms.AsOfForm(request.GET if "date" in request.GET else None)
    if form.is_valid() and form.cleaned_data["date"] > timezone.localdate():
        form.add_error("date", _("Choose today or a day in the past."))
    if form.is_valid():
        page = queries.plan_as_of(request.user, person_id, form.cleaned_data["date"])
        return render(
            request, "plans/as_of.html", {"page": page, "person": page.person, "tree": page.tree, "form": form}
        )
    # No valid date yet: the page asks for one, for a reader of the plan.
    person = queries.person_for_plan(request.user, person_id, action=Action.PLANS_PLAN_AS_OF_VIEWED)
    return render(request, "plans/as_of.html", {"page": None, "person": person, "tree": None, "form": form})
