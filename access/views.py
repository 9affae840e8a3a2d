import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access import forms, matrix, presenters, queries, rules, services
from accounts.models import User
from core.requests import AuthenticatedHttpRequest
from people.models import Person
from schakel.routes import own_account_route, person_route

OwnRightChange = Callable[[Person], str]


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# ── the matrix ──────────────────────────────────────────────────────────────────────────────


@own_account_route()
@login_required
def matrix_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The access matrix in force, readable by everyone logged in (ACC-01)."""
    columns, rows = presenters.matrix_rows(internal=rules.reads_internal_notes(request.user))
    return render(
        request,
        "access/matrix.html",
        {"columns": columns, "rows": rows, "is_zone_admin": rules.is_zone_admin(request.user)},
    )


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def matrix_cell(request: AuthenticatedHttpRequest, profile: str, category: str) -> HttpResponse:
    """One rule: its reason, source and history; the zone admin edits it here."""
    cell = queries.get_cell(profile, category)
    is_admin = rules.is_zone_admin(request.user)
    form = forms.CellForm(request.POST or None, initial={"level": cell.level, "version": cell.version})
    if request.method == "POST":
        # Refused (403, audited) before the input is looked at.
        services.require_zone_admin(request.user, services.EDIT_CELL, {"profile": profile, "category": category})
        if form.is_valid():
            try:
                services.edit_cell(request.user, cell, form.cleaned_data["level"], version=form.cleaned_data["version"])
            except ValidationError as error:  # Conflict is one too
                form.add_error(None, error)
            else:
                messages.success(request, _("The rule was changed."))
                return redirect("access:matrix-cell", profile, category)
    context = {
        "cell": presenters.cell_view(cell, internal=rules.reads_internal_notes(request.user)),
        "form": form,
        "is_zone_admin": is_admin,
        "history": presenters.history_rows(cell.history.all()),
    }
    return render(request, "access/matrix_cell.html", context)


@own_account_route()
@login_required
def matrix_history(request: HttpRequest) -> HttpResponse:
    """Every change to the matrix: who, when, before and after."""
    page = presenters.history_page(request.GET.get("page"))
    return render(request, "access/matrix_history.html", {"page": page, "rows": presenters.history_rows(page)})


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def matrix_reload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Compare the shipped file with the matrix in force; apply it without losing the zone's edits."""
    if not rules.is_zone_admin(request.user):
        raise PermissionDenied
    shipped = matrix.read_file()
    if request.method == "POST":
        changes = services.reload_matrix(request.user, shipped)
        kept = sum(1 for change in changes if change.conflict)
        messages.success(
            request,
            _("Matrix version %(version)s loaded. Rules added or changed: %(n)d. Zone changes kept: %(kept)d.")
            % {"version": shipped.version, "n": len(changes) - kept, "kept": kept},
        )
        return redirect("access:matrix")
    plan = presenters.reload_plan(matrix.plan_reload(shipped))
    return render(request, "access/matrix_reload.html", {"version": shipped.version, "plan": plan})


# ── why can or can't I see this ─────────────────────────────────────────────────────────────


@person_route("GET")
@login_required
def explain(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    about = request.GET.get("about") or None
    try:
        result = queries.explain(request.user, person_id, about=about)
    except ValidationError as error:
        _report(request, error)
        result = queries.explain(request.user, person_id)
    form = forms.ExplainAboutForm(
        initial={"about": str(result.subject.public_id) if result.about_someone_else else ""},
        choices=result.choices,
    )
    return render(request, "access/explain.html", {"result": result, "form": form})


# ── consent, exclusions, mandates ───────────────────────────────────────────────────────────


@person_route("GET")
@login_required
def consent(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """ "My consent and exclusions", for the person and their legal representative."""
    overview = queries.get_consent_overview(request.user, person_id)
    excluded = {exclusion.excluded_id for exclusion in overview.exclusions}
    # Someone already excluded is neither excluded again nor given a mandate.
    choices = queries.user_choices([u for u in overview.around if u.pk not in excluded], leave_out=request.user)
    context = {
        "overview": overview,
        "view": presenters.consent_view(overview),
        "exclude_form": forms.ExcludeForm(choices=choices),
        "mandate_form": forms.GrantMandateForm(choices=choices),
    }
    return render(request, "access/consent.html", context)


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def consent_record(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person gives consent; a professional records the consent the person expressed."""
    action = services.CONSENT.granted
    person, decision = queries.person_for_consent_recording(
        request.user, person_id, action=action, audit_granted=request.method == "GET", change=request.method == "POST"
    )
    own = rules.stands_for_the_person(decision.relationship)
    form = None if own else forms.RecordConsentForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        given_by = "" if form is None else form.cleaned_data["given_by"]
        try:
            services.record_consent(request.user, person, given_by=given_by)
        except ValidationError as error:
            if form is None:
                _report(request, error)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The consent is on file. The care team can now share the data."))
            return redirect("access:consent" if own else "people:detail", person.public_id)
    return render(request, "access/consent_record.html", {"person": person, "form": form, "own": own})


def _own_right_change(
    request: AuthenticatedHttpRequest, person_id: uuid.UUID, action: str, change: OwnRightChange
) -> HttpResponse:
    """A change posted from "Consent and exclusions": the person or their representative only
    (anyone else gets the outsider's 404, audited); the service checks again and audits the
    change. `change` returns the sentence that confirms it, or raises ValidationError."""
    person = queries.person_for_own_rights(request.user, person_id, action=action, audit_granted=False, change=True)
    try:
        messages.success(request, change(person))
    except ValidationError as error:
        _report(request, error)
    return redirect("access:consent", person.public_id)


def _valid(form: Form, message: str = "") -> dict[str, Any]:
    """The form's data, or a ValidationError with its errors (or the one message given)."""
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError(message or [m for errors in form.errors.values() for m in errors])


def _chosen_user(request: AuthenticatedHttpRequest) -> User:
    data = _valid(forms.UserForm(request.POST), _("Choose a person from the list."))
    return queries.user_by_public_id(data["user"])


def _choices(request: AuthenticatedHttpRequest, person: Person) -> list[tuple[str, str]]:
    return queries.user_choices(queries.people_around(person), leave_out=request.user)


@person_route("POST")
@login_required
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def change(person: Person) -> str:
        services.withdraw_consent(request.user, person)
        return _("The consent is withdrawn. The care team no longer sees the data.")

    return _own_right_change(request, person_id, services.CONSENT.ended, change)


@person_route("POST")
@login_required
@require_POST
def exclude(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def change(person: Person) -> str:
        data = _valid(forms.ExcludeForm(request.POST, choices=_choices(request, person)))
        excluded = queries.user_by_public_id(data["user"])
        services.exclude_user(request.user, person, excluded)
        return _("%(name)s is excluded and no longer sees anything of the dossier.") % {"name": excluded}

    return _own_right_change(request, person_id, services.EXCLUSION.granted, change)


@person_route("POST")
@login_required
@require_POST
def exclusion_lift(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def change(person: Person) -> str:
        excluded = _chosen_user(request)
        services.lift_exclusion(request.user, person, excluded)
        return _("The exclusion of %(name)s is lifted.") % {"name": excluded}

    return _own_right_change(request, person_id, services.EXCLUSION.ended, change)


@person_route("POST")
@login_required
@require_POST
def mandate_grant(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def change(person: Person) -> str:
        data = _valid(forms.GrantMandateForm(request.POST, choices=_choices(request, person)))
        holder = queries.user_by_public_id(data["holder"])
        services.grant_mandate(
            request.user, person, holder, data["categories"], since=data["since_at"], until=data["until_at"]
        )
        return _("%(name)s may now act for the person.") % {"name": holder}

    return _own_right_change(request, person_id, services.MANDATE.granted, change)


@person_route("POST")
@login_required
@require_POST
def mandate_revoke(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def change(person: Person) -> str:
        holder = _chosen_user(request)
        services.revoke_mandate(request.user, person, holder)
        return _("The mandate of %(name)s is revoked.") % {"name": holder}

    return _own_right_change(request, person_id, services.MANDATE.ended, change)


# ── break the glass ─────────────────────────────────────────────────────────────────────────


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Takes an INSZ, not a person id: the answer never tells whether the person is known."""
    form = forms.BreakGlassForm(request.POST or None)
    if form.is_valid():
        try:
            grant = services.break_glass(request.user, form.cleaned_data["insz"], form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason" if error.code == "reason_too_short" else None, error)
        else:
            messages.warning(
                request,
                _(
                    "Emergency access is open, read-only, until %(until)s. The person and their care coordinator are told."
                )
                % {"until": presenters.when(grant.until)},
            )
            return redirect("people:detail", grant.person.public_id)
    return render(request, "access/break_glass.html", {"form": form, "hours": settings.ACCESS_BREAK_GLASS_HOURS})
