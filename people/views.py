import uuid
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access import rules
from core import homes
from core.actions import Action
from core.requests import AuthenticatedHttpRequest
from core.vocab import Category, Level
from people import presenters, queries, sections, services
from people.forms import (
    DuplicateReviewForm,
    HandleProblemForm,
    MergeForm,
    RegisterPersonForm,
    RemoveEntryForm,
    ReportProblemForm,
    SectionForm,
    StopMedicationForm,
    section_form,
)
from people.models import MedicationIntake, MedicationProblem, Person, SectionRecord, Visit
from people.services import StaleEdit
from schakel.routes import MEDICATION_PROBLEM, POSSIBLE_DUPLICATE, SECTION_ENTRY, own_account_route, person_route


@own_account_route()
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The page of the user's own work, as the apps registered it for their profile (core.homes):
    a care worker's persons, the zone admin's matrix and accounts, the DPO's log search, ..."""
    template, context = homes.home_for(request.user, request.GET)
    return render(request, template, context)


@person_route("GET")
@login_required
def person_detail(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    page = queries.dossier_page(request.user, person_id)
    context = {
        "person": page.person,
        "dossier": page.dossier,
        "summary": page.summary,
        "aliases": queries.aliases_of(page.person),
        "possible_duplicates": queries.possible_duplicates_of(request.user, page.person),
        "flags": page.flags,
    }
    return render(request, "people/person_detail.html", context)


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def register_person(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.require_may_register(request.user)  # a role that may not register gets a 403, audited
    form = RegisterPersonForm(request.POST or None)
    if form.is_valid():
        try:
            person = services.register_person(request.user, **form.cleaned_data)
        except services.KnownToYou as known:
            messages.info(request, known.messages[0])
            return redirect("people:detail", known.person.public_id)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("people:detail", person.public_id)
    context = {"form": form, "may_break_glass": rules.may_use_emergency_access(request.user)}
    return render(request, "people/register.html", context)


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def merge_person(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """A coordinator merges a record registered without INSZ into the person's INSZ record."""
    alias = queries.get_person(
        request.user, person_id, Category.IDENTITY, Level.READ, action=Action.PEOPLE_MERGE_VIEWED
    )
    may_merge = rules.may_merge(request.user, alias)
    form = MergeForm(request.POST or None)
    if form.is_valid():  # the service refuses (and audits) anyone who may not merge
        try:
            target = services.merge_into_insz(request.user, alias, form.cleaned_data["insz"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The records are merged. This is now the person's only record."))
            return redirect("people:detail", target.public_id)
    return render(request, "people/merge.html", {"person": alias, "form": form, "may_merge": may_merge})


@person_route("GET", "POST", objects={"record": POSSIBLE_DUPLICATE}, objects_with=("POST",))
@login_required
@require_http_methods(["GET", "POST"])
def possible_duplicates(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person's care coordinator merges or dismisses the records that professionals
    registered with the person's INSZ (people.services.register_person)."""
    person = queries.get_person(
        request.user, person_id, Category.IDENTITY, Level.READ, action=Action.PEOPLE_DUPLICATE_VIEWED
    )
    form = DuplicateReviewForm(request.POST or None)
    if "record" in request.POST:  # a record not waiting for this coordinator is not found
        record = queries.possible_duplicate(request.user, person, request.POST["record"])
        if form.is_valid():
            try:  # the service checks again, audited
                if form.cleaned_data["decision"] == DuplicateReviewForm.MERGE:
                    services.merge_possible_duplicate(request.user, record)
                    messages.success(request, _("The records are merged. This is now the person's only record."))
                else:
                    services.dismiss_possible_duplicate(request.user, record)
                    messages.success(request, _("The record stays separate and is no longer offered for merging."))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("people:detail", person.public_id)
    context = {"person": person, "records": queries.duplicates_to_review(request.user, person), "form": form}
    return render(request, "people/possible_duplicates.html", context)


# ── The dossier's sections ───────────────────────────────────────────────────────────────────


def _initial(kind: sections.SectionKind, entry: SectionRecord | None) -> dict[str, object]:
    if entry is None:
        return {"version": 0} if kind.singleton else {}
    return {**model_to_dict(entry, fields=kind.fields), "item": entry.public_id, "version": entry.version}


def _save(
    request: AuthenticatedHttpRequest, person: Person, kind: sections.SectionKind, form: SectionForm
) -> SectionRecord:
    data = form.cleaned_data
    fields = form.section_fields()
    # If the rights changed since the page was read, the gate refuses (and says how to answer).
    if kind.singleton:
        return services.save_singleton(request.user, person, kind.code, version=data["version"], **fields)
    if data["item"]:
        entry = queries.entry_to_change(
            request.user, person, kind.code, data["item"], action=Action.PEOPLE_SECTION_ENTRY_CHANGED
        )
        return services.change_entry(request.user, entry, version=data["version"], **fields)
    return services.add_entry(request.user, person, kind.code, **fields)


@person_route("GET", "POST", objects={"item": SECTION_ENTRY})
@login_required
@require_http_methods(["GET", "POST"])
def section_page(request: AuthenticatedHttpRequest, person_id: uuid.UUID, code: str) -> HttpResponse:
    """A section in full: its entries and, for those who may change it, the form to add or
    change one. A stale edit shows who changed it and the new version, and keeps the input."""
    kind = sections.kind(code)
    person = queries.get_section_person(request.user, person_id, code)
    writable = queries.may_write(request.user, person, kind.category)
    form_class = section_form(code)
    current = None
    if request.method == "POST":
        queries.require_write(request.user, person, kind.category, Action.PEOPLE_SECTION_ENTRY_CHANGED)
        if request.POST.get("action") == "remove":
            response = _remove(request, person, kind)
            if response is not None:
                return response
            form = form_class(initial=_initial(kind, None))
        else:
            form = form_class(request.POST)
            if form.is_valid():
                try:
                    _save(request, person, kind, form)
                except StaleEdit as conflict:
                    # The user's input stays in the form, now carrying the version they have
                    # seen, so saving again is a deliberate choice.
                    data = request.POST.copy()
                    data["version"] = str(conflict.current.version)
                    form = form_class(data)
                    form.is_valid()
                    form.add_error(None, conflict)
                    current = presenters.entry_view(kind, conflict.current)
                except ValidationError as error:  # Conflict is one too
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Saved."))
                    return redirect(f"people:section-{kind.slug}", person.public_id)
    else:
        entry = None
        if kind.singleton:
            entry = queries.get_singleton(person, code)
        elif request.GET.get("item"):
            entry = queries.get_entry(
                request.user, person, code, request.GET["item"], action=Action.PEOPLE_SECTION_VIEWED
            )
        form = form_class(initial=_initial(kind, entry))
    entries = queries.section_entries(person, code)
    stopped = queries.stopped_medication(person) if code == "medication" else []
    context = {
        "person": person,
        "section": presenters.section_view(kind, entries, person.public_id, may_write=writable, stopped=stopped),
        "weekly": presenters.weekly_view(cast(list[Visit], entries)) if code == "visits" else None,
        "category_label": Category(kind.category).label,
        "form": form if writable else None,
        "editing": bool(writable and not kind.singleton and form["item"].value()),
        "current": current,
    }
    return render(request, "people/section.html", context)


def _remove(request: AuthenticatedHttpRequest, person: Person, kind: sections.SectionKind) -> HttpResponse | None:
    if kind.code == "medication":  # stopped with a date and a reason, never removed
        messages.error(request, _("A medication line is not removed: stop it, with the date and the reason."))
        return redirect(f"people:section-{kind.slug}", person.public_id)
    form = RemoveEntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an entry to remove."))
        return None
    try:
        entry = queries.entry_to_change(
            request.user, person, kind.code, form.cleaned_data["item"], action=Action.PEOPLE_SECTION_ENTRY_REMOVED
        )
        services.remove_entry(request.user, entry, version=form.cleaned_data["version"])
    except ValidationError as error:  # a stale version: show the list as it is now
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"people:section-{kind.slug}", person.public_id)
    messages.success(request, _("Removed."))
    return redirect(f"people:section-{kind.slug}", person.public_id)


@person_route("GET", "POST", objects={"item": SECTION_ENTRY})
@login_required
@require_http_methods(["GET", "POST"])
def medication_stop(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Stop a medication line: a page that says what stopping does, with the date (today unless
    changed) and the reason; its form stops the line."""
    code = "medication"
    kind = sections.kind(code)
    posting = request.method == "POST"
    action = Action.PEOPLE_MEDICATION_STOPPED if posting else Action.PEOPLE_SECTION_VIEWED
    person = queries.get_section_person(request.user, person_id, code)
    queries.require_write(request.user, person, kind.category, action)
    data = request.POST if posting else request.GET
    section_url = reverse(f"people:section-{kind.slug}", args=[person.public_id])
    try:
        line = cast(
            MedicationIntake, queries.entry_to_change(request.user, person, code, data.get("item"), action=action)
        )
    except ValidationError as error:  # removed meanwhile (before lines were stopped instead)
        for message in error.messages:
            messages.error(request, message)
        return redirect(section_url)
    if line.is_stopped:
        messages.error(request, _("This medication line is already stopped."))
        return redirect(section_url)
    if posting:
        form = StopMedicationForm(request.POST)
        if form.is_valid():
            try:
                services.stop_medication(
                    request.user,
                    line,
                    version=form.cleaned_data["version"],
                    stopped_on=form.cleaned_data["stopped_on"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:  # StaleEdit and Conflict are ones too
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(medication)s is stopped. It is listed under the stopped medication.")
                    % {"medication": line.medication},
                )
                return redirect(section_url)
    else:
        form = StopMedicationForm(
            initial={"item": line.public_id, "version": line.version, "stopped_on": timezone.localdate()}
        )
    context = {
        "person": person,
        "line": presenters.entry_view(kind, line),
        "form": form,
        "section_url": section_url,
    }
    return render(request, "people/medication_stop.html", context)


HISTORY_PAGE_SIZE = 50


@person_route("GET")
@login_required
def section_history(request: AuthenticatedHttpRequest, person_id: uuid.UUID, code: str) -> HttpResponse:
    """Every change to one section: who, when, what before and after, newest first."""
    kind = sections.kind(code)
    person = queries.get_section_person(request.user, person_id, code)
    page = Paginator(queries.section_history(person, code), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    url, _history_url = presenters.section_urls(kind, person.public_id)
    context = {"person": person, "title": kind.title, "section_url": url, "page": page}
    return render(request, "people/section_history.html", context)


@person_route("GET", "POST", objects={"item": MEDICATION_PROBLEM}, objects_with=("POST",))
@login_required
@require_http_methods(["GET", "POST"])
def medication_problems(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Report a side effect or intake problem (anyone who may read the medication schedule),
    and mark reports handled (those who may change it, and the team's pharmacist)."""
    code = "medication_problems"
    kind = sections.kind(code)
    person = queries.get_section_person(request.user, person_id, code)
    may_handle = queries.may_follow_up_problems(request.user, person)
    report = ReportProblemForm()
    if request.method == "POST" and request.POST.get("action") == "handle":
        queries.require_problem_follow_up(request.user, person, Action.PEOPLE_MEDICATION_PROBLEM_HANDLED)
        handle = HandleProblemForm(request.POST)
        if handle.is_valid():
            problem = queries.get_entry(
                request.user, person, code, handle.cleaned_data["item"], action=Action.PEOPLE_MEDICATION_PROBLEM_HANDLED
            )
            try:
                services.mark_problem_handled(
                    request.user,
                    cast(MedicationProblem, problem),
                    version=handle.cleaned_data["version"],
                    note=handle.cleaned_data["note"],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The problem is marked as handled."))
            return redirect("people:medication-problems", person.public_id)
        messages.error(request, _("Choose a problem to mark as handled."))
    elif request.method == "POST":
        report = ReportProblemForm(request.POST)
        if report.is_valid():
            try:
                services.report_medication_problem(request.user, person, **report.cleaned_data)
            except ValidationError as error:
                report.add_error(None, error)
            else:
                messages.success(request, _("The problem was reported to the pharmacist and the GP."))
                return redirect("people:medication-problems", person.public_id)
    entries = queries.section_entries(person, code)
    ordered = sorted(cast(list[MedicationProblem], entries), key=lambda problem: not problem.is_open)
    context = {
        "person": person,
        "problems": [presenters.problem_view(problem) for problem in ordered],
        "may_handle": may_handle,
        "report": report,
        "history_url": presenters.section_urls(kind, person.public_id)[1],
    }
    return render(request, "people/medication_problems.html", context)
