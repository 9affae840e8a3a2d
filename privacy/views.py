"""Closing and reopening a dossier, the closed dossiers and the retention rules. Thin: the rules
are in privacy.services, the reads in privacy.queries."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access import gate, rules
from access.queries import resolve_person
from core.requests import AuthenticatedHttpRequest
from core.vocab import Category, Level
from privacy import queries, services
from privacy.forms import CloseForm, ReopenForm
from schakel.routes import CLOSURE, own_account_route, person_route


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The closing page: who may close sees the form; once closed, when, why and by whom, and
    for the zone admin the reopening form."""
    actor = request.user
    action = services.CLOSE if request.method == "POST" else services.VIEW
    person = resolve_person(actor, person_id, action)
    decision = services.require_closing_right(actor, person, action=action, audit_granted=request.method == "GET")
    closure = services.open_closure(person)
    form = CloseForm(
        request.POST if request.method == "POST" else None,
        reasons=services.reasons_for(decision),
        initial={"version": person.version},
    )
    if request.method == "POST" and closure is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.close_dossier(
                actor,
                person,
                reason=data["reason"],
                event_date=data["event_date"],
                note=data["note"],
                version=data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The dossier is closed. Its care team has ended and it can no longer be changed.")
            )
            # A coordinator left the team with the closing: the closing page is no longer theirs.
            if rules.closing(actor, person).allowed:
                return redirect("privacy:close", person.public_id)
            return redirect("home")
    elif request.method == "POST" and closure is not None:
        form.add_error(None, _("This dossier is already closed."))
    context = {
        "person": person,
        "closure": closure,
        "form": form,
        "is_own": rules.stands_for_the_person(decision.relationship),
        "may_reopen": closure is not None and rules.is_zone_admin(actor) and closure.purged_at is None,
        "reopen_form": ReopenForm(initial={"closure": closure.public_id}) if closure else None,
        "history": queries.closures_of(person),
        # The zone admin closes and reopens without reading the dossier: no link to it.
        "may_read_dossier": gate.decide(actor, person, Category.IDENTITY, Level.READ).allowed,
    }
    return render(request, "privacy/close.html", context)


@person_route("POST", objects={"closure": CLOSURE})
@login_required
@require_POST
def reopen(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The zone admin reopens a dossier closed by mistake."""
    actor = request.user
    person = resolve_person(actor, person_id, services.REOPEN)
    services.require_reopening_right(actor, person, action=services.REOPEN)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_dossier(
                actor, person, closure_id=form.cleaned_data["closure"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The dossier is reopened. The care team it had is back."))
    else:
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, str(problem))
    return redirect("privacy:close", person.public_id)


@own_account_route("GET")
@login_required
def closures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The closed dossiers, for the zone admin (who reopens) and the data protection officer."""
    queries.require_zone_staff(request.user)
    rows = queries.open_closures(request.user)
    return render(request, "privacy/closures.html", {"rows": rows, "is_zone_admin": rules.is_zone_admin(request.user)})


@own_account_route("GET")
@login_required
def retention_rules(request: HttpRequest) -> HttpResponse:
    """The retention rules in force, read-only. Everyone logged in may read them: the person has
    a right to know how long their data is kept (GDPR art. 13(2)(a), 15(1)(d))."""
    return render(request, "privacy/retention.html", {"rules": queries.rules_for_display()})
