import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.requests import AuthenticatedHttpRequest
from plans.reviews.views import attach
from plans.signals import queries, services
from plans.signals.forms import HandleForm, SignalForm
from schakel.routes import EARLY_SIGNAL, person_route


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def signals(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Record an early signal (any team member) and see the signals one may read (PLAN-06)."""
    posting = request.method == "POST"
    action = services.SIGNAL_RECORDED if posting else queries.SIGNALS_VIEWED
    person = queries.person_for_signals(request.user, person_id, action=action, audit_granted=not posting)
    panel = queries.signal_panel(request.user, person)
    form = SignalForm(request.POST or None) if panel.may_record or posting else None
    if form is not None and posting and form.is_valid():
        try:
            services.record_signal(request.user, person, **form.cleaned_data)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("Thank you. The signal is recorded and the care coordinator is told."))
            return redirect("plans:signals", person.public_id)
    context = {"person": person, "signal_panel": panel, "form": form, "recording_here": form is not None}
    return render(request, "plans/signals/page.html", context)


@person_route("POST", objects={"signal": EARLY_SIGNAL})
@login_required
@require_POST
def signal_handle(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Mark a signal handled (who may write the plan), with how it was followed up."""
    action = services.SIGNAL_HANDLED
    person = queries.person_for_signals(request.user, person_id, action=action, audit_granted=False)
    # The id first, so that another person's signal is refused (404, audited) whatever else was sent.
    form = HandleForm(request.POST)
    try:
        signal = queries.get_signal(request.user, person, request.POST.get("signal"), action=action)
        if not form.is_valid():
            raise ValidationError(_("The page was out of date. Reload it and try again."), code="invalid_form")
        services.handle_signal(
            request.user, signal, version=form.cleaned_data["version"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:  # Conflict is one too
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The signal is marked as handled."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("plans:signals", person.public_id)
