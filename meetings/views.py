"""The meeting pages: thin views over meetings.queries (gated reads) and meetings.services
(changes). Every page takes the person's id in its path and the meeting's id in its query or
form (`meeting`), so that another person's meeting is the outsider's 404 (schakel/routes.py)."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.actions import Action
from core.requests import AuthenticatedHttpRequest
from core.vocab import Level
from meetings import forms, presenters, printing, queries, services
from meetings.models import Meeting
from people.models import Person
from schakel.routes import GOAL, MEETING, MEMBERSHIP, person_route


def _attach(form: Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """A service's errors on the form: per field where the form has that field (`aliases`: the
    form's name for a service's field)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = (aliases or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _meeting_id(request: HttpRequest) -> str:
    return (request.POST.get("meeting") if request.method == "POST" else None) or request.GET.get("meeting", "")


# ── The list, planning ──────────────────────────────────────────────────────────────────────


@person_route("GET")
@login_required
def meeting_list(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person's meetings: planned ones (soonest first) and past ones."""
    view = queries.meeting_list(request.user, person_id)
    context = {
        "person": view.person,
        "planned": [(m, presenters.status_label(m)) for m in view.planned],
        "past": [(m, presenters.status_label(m)) for m in view.past],
        "may_plan": view.may_plan,
    }
    return render(request, "meetings/list.html", context)


@person_route("GET", "POST", objects={"members": MEMBERSHIP})
@login_required
@require_http_methods(["GET", "POST"])
def plan(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Plan a meeting: kind, time, place, and whom to invite."""
    posting = request.method == "POST"
    action = Action.MEETINGS_MEETING_PLANNED if posting else Action.MEETINGS_FORM_VIEWED
    person, _decision = queries.person_for_meetings(
        request.user, person_id, action=action, level=Level.WRITE, audit_granted=not posting
    )
    # Another person's membership is a 404 before anything else is looked at.
    queries.members_of(
        request.user, person, (request.POST if posting else request.GET).getlist("members"), action=action
    )
    members = queries.invitable_members(person)
    form = forms.MeetingForm(request.POST if posting else None, members=members)
    if form.is_valid():
        arguments = form.service_arguments(members)
        arguments.pop("version", None)
        try:
            meeting = services.plan_meeting(request.user, person, **arguments)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The meeting is planned. The invitees are told."))
            return redirect(queries.meeting_path(meeting))
    return render(request, "meetings/plan.html", {"person": person, "form": form, "meeting": None})


# ── One meeting ─────────────────────────────────────────────────────────────────────────────


def _render_meeting(
    request: AuthenticatedHttpRequest, page: queries.MeetingPage, *, status: int = 200, **bound: Form
) -> HttpResponse:
    """The meeting page, with a form that came back with errors in place of its empty one."""
    meeting = page.meeting
    rows = presenters.participant_rows(page.participants)
    context: dict[str, Any] = {
        "person": page.person,
        "meeting": meeting,
        "status_label": presenters.status_label(meeting),
        "page": page,
        "participants": rows,
        "decisions": presenters.decision_rows(page.decisions),
        "previous_decisions": presenters.decision_rows(page.agenda.previous_decisions),
        "overdue": [presenters.action_row(action) for action in page.agenda.overdue],
        "has_guests": any(row.is_guest for row in rows),
        "question_form": bound.get("question_form") or (forms.QuestionForm() if page.may_ask else None),
    }
    if page.may_change:
        context["attendance_form"] = bound.get("attendance_form") or forms.AttendanceForm(
            initial={"version": meeting.version, "minutes": meeting.minutes, "person_agreed": meeting.person_agreed},
            rows=rows,
        )
        context["decision_form"] = bound.get("decision_form") or forms.DecisionForm(
            owners=page.owners, goals=page.goals
        )
    return render(request, "meetings/meeting.html", context, status=status)


@person_route("GET", objects={"meeting": MEETING})
@login_required
def detail(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The meeting page: when and where, who is invited, the agenda in its fixed order, and at
    the meeting the attendance, minutes and decisions."""
    try:
        page = queries.get_meeting(request.user, person_id, request.GET.get("meeting"))
    except ValidationError as error:
        _report(request, error)
        return redirect("meetings:list", person_id)
    return _render_meeting(request, page)


def _person_and_meeting(
    request: AuthenticatedHttpRequest, person_id: uuid.UUID, *, action: str, level: str = Level.WRITE
) -> tuple[Person, Meeting] | None:
    """For a change: the gate at `level` (a refusal audited; the granted change is the service's
    to log), then the meeting named in the form or query. None after reporting a missing id."""
    person, _decision = queries.person_for_meetings(
        request.user, person_id, action=action, level=level, audit_granted=False
    )
    try:
        return person, queries.meeting_of(request.user, person, _meeting_id(request), action=action)
    except ValidationError as error:
        _report(request, error)
        return None


@person_route("POST", objects={"meeting": MEETING})
@login_required
@require_POST
def question(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person, a caregiver or a member puts a question on the agenda before the meeting."""
    action = Action.MEETINGS_AGENDA_QUESTION_ADDED
    found = _person_and_meeting(request, person_id, action=action, level=Level.READ)
    if found is None:
        return redirect("meetings:list", person_id)
    person, meeting = found
    form = forms.QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.add_question(request.user, meeting, text=form.cleaned_data["text"])
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Your question is on the agenda."))
            return redirect(queries.meeting_path(meeting))
    page = queries.meeting_page(request.user, person, meeting)
    return _render_meeting(request, page, question_form=form, status=422)


@person_route("POST", objects={"meeting": MEETING})
@login_required
@require_POST
def record(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """At the meeting: attendance, professions and RIZIV/INAMI numbers, the person's agreement,
    the minutes."""
    found = _person_and_meeting(request, person_id, action=Action.MEETINGS_ATTENDANCE_RECORDED)
    if found is None:
        return redirect("meetings:list", person_id)
    person, meeting = found
    page = queries.meeting_page(request.user, person, meeting)
    form = forms.AttendanceForm(request.POST, rows=presenters.participant_rows(page.participants))
    if form.is_valid():
        try:
            services.record_attendance(
                request.user,
                meeting,
                version=form.cleaned_data["version"],
                minutes=form.cleaned_data["minutes"],
                person_agreed=form.cleaned_data["person_agreed"],
                presence=form.presence(),
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The attendance and the minutes are saved."))
            return redirect(queries.meeting_path(meeting))
    return _render_meeting(request, page, attendance_form=form, status=422)


@person_route("POST", objects={"meeting": MEETING, "who": MEMBERSHIP, "goal": GOAL})
@login_required
@require_POST
def decision(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """A decision of the meeting: it becomes a plan action of its owner, who is told."""
    action = Action.MEETINGS_DECISION_RECORDED
    person, _decision = queries.person_for_meetings(
        request.user, person_id, action=action, level=Level.WRITE, audit_granted=False
    )
    # Each id the form names is looked at first: another person's is a 404 before anything else.
    owner_id = request.POST.get("who", "")
    owners = queries.members_of(request.user, person, [owner_id], action=action) if owner_id else []
    goal = queries.goal_of(request.user, person, request.POST.get("goal"), action=action)
    try:
        meeting = queries.meeting_of(request.user, person, _meeting_id(request), action=action)
    except ValidationError as error:
        _report(request, error)
        return redirect("meetings:list", person_id)
    page = queries.meeting_page(request.user, person, meeting)
    form = forms.DecisionForm(request.POST, owners=page.owners, goals=page.goals)
    if form.is_valid():
        try:
            services.add_decision(
                request.user,
                meeting,
                text=form.cleaned_data["text"],
                owner=owners[0] if owners else None,
                due_on=form.cleaned_data["due_on"],
                goal=goal,
            )
        except ValidationError as error:
            _attach(form, error, {"owner": "who"})
        else:
            messages.success(request, _("The decision is recorded. Its owner finds it among their actions."))
            return redirect(queries.meeting_path(meeting))
    return _render_meeting(request, page, decision_form=form, status=422)


@person_route("GET", "POST", objects={"meeting": MEETING, "members": MEMBERSHIP})
@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Change a planned meeting's kind, time or place, and invite more people."""
    posting = request.method == "POST"
    action = Action.MEETINGS_MEETING_CHANGED if posting else Action.MEETINGS_FORM_VIEWED
    person, _decision = queries.person_for_meetings(
        request.user, person_id, action=action, level=Level.WRITE, audit_granted=not posting
    )
    queries.members_of(
        request.user, person, (request.POST if posting else request.GET).getlist("members"), action=action
    )
    try:
        meeting = queries.meeting_of(request.user, person, _meeting_id(request), action=action)
    except ValidationError as error:
        _report(request, error)
        return redirect("meetings:list", person_id)
    if meeting.status != Meeting.Status.PLANNED:
        messages.error(request, _("This meeting is closed or cancelled: it can no longer be changed."))
        return redirect(queries.meeting_path(meeting))
    invited = set(meeting.participants.exclude(membership=None).values_list("membership_id", flat=True))
    members = [m for m in queries.invitable_members(person) if m.pk not in invited]
    has_person = meeting.participants.filter(is_the_person=True).exists()
    form = forms.MeetingForm.for_meeting(meeting, members, request.POST if posting else None)
    if form.is_valid():
        arguments = form.service_arguments(members)
        try:
            services.change_meeting(
                request.user,
                meeting,
                version=form.cleaned_data.get("version") or 0,
                kind=arguments["kind"],
                starts_at=arguments["starts_at"],
                ends_at=arguments["ends_at"],
                place=arguments["place"],
                at_home=arguments["at_home"],
                video_link=arguments["video_link"],
                person_agreed=arguments["person_agreed"],
                add_members=arguments["members"],
                add_person=arguments["with_person"],
                add_guests=arguments["guests"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The meeting is changed. The invitees are told."))
            return redirect(queries.meeting_path(meeting))
    context = {"person": person, "form": form, "meeting": meeting, "has_person": has_person}
    return render(request, "meetings/plan.html", context)


@person_route("GET", "POST", objects={"meeting": MEETING})
@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Cancel a meeting: a page first that says what it does and who is told."""
    posting = request.method == "POST"
    action = Action.MEETINGS_MEETING_CANCELLED if posting else Action.MEETINGS_FORM_VIEWED
    person, _decision = queries.person_for_meetings(
        request.user, person_id, action=action, level=Level.WRITE, audit_granted=not posting
    )
    try:
        meeting = queries.meeting_of(request.user, person, _meeting_id(request), action=action)
    except ValidationError as error:
        _report(request, error)
        return redirect("meetings:list", person_id)
    form = forms.CancelForm(request.POST if posting else None, initial={"version": meeting.version})
    if form.is_valid():
        try:
            services.cancel_meeting(
                request.user, meeting, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The meeting is cancelled. The invitees are told."))
            return redirect(queries.meeting_path(meeting))
    page = queries.meeting_page(request.user, person, meeting)
    context = {
        "person": person,
        "meeting": meeting,
        "form": form,
        "told": [row.name for row in presenters.participant_rows(page.participants)],
    }
    return render(request, "meetings/cancel.html", context)


@person_route("GET", "POST", objects={"meeting": MEETING})
@login_required
@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Close a meeting: the next meeting's date, or why there is none."""
    posting = request.method == "POST"
    action = Action.MEETINGS_MEETING_CLOSED if posting else Action.MEETINGS_FORM_VIEWED
    person, _decision = queries.person_for_meetings(
        request.user, person_id, action=action, level=Level.WRITE, audit_granted=not posting
    )
    try:
        meeting = queries.meeting_of(request.user, person, _meeting_id(request), action=action)
    except ValidationError as error:
        _report(request, error)
        return redirect("meetings:list", person_id)
    form = forms.CloseForm(request.POST if posting else None, initial={"version": meeting.version})
    if form.is_valid():
        try:
            services.close_meeting(
                request.user, meeting, version=form.cleaned_data["version"], **form.service_arguments()
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            if meeting.next_meeting is not None:
                messages.success(
                    request, _("The meeting is closed. The next one is planned and its invitees are told.")
                )
            else:
                messages.success(request, _("The meeting is closed."))
            return redirect(queries.meeting_path(meeting))
    return render(request, "meetings/close.html", {"person": person, "meeting": meeting, "form": form})


@person_route("GET", objects={"meeting": MEETING})
@login_required
def minutes_pdf(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The printable minutes as a PDF, audited as an export."""
    try:
        minutes = printing.minutes(request.user, person_id, request.GET.get("meeting"))
    except ValidationError as error:
        _report(request, error)
        return redirect("meetings:list", person_id)
    response = HttpResponse(printing.minutes_pdf(minutes), content_type="application/pdf")
    # No name in the file name: it would be personal data in download folders and proxies' logs.
    response["Content-Disposition"] = 'attachment; filename="schakel-minutes.pdf"'
    return response
