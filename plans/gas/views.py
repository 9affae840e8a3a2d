"""The Goal Attainment Scaling pages: the person's overview, a goal's scale page, the scale's form
and the score's form. Thin: parse, call a query or a service, render."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.actions import Action
from core.requests import AuthenticatedHttpRequest
from plans.gas import forms, queries, services
from schakel.routes import person_route


def _attach(form: Form, error: ValidationError) -> None:
    """A service's errors on the form: per field where the form has that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@person_route("GET")
@login_required
@require_GET
def overview(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person's goals with their scales, and one T-score per review date (chart and table)."""
    view = queries.get_overview(request.user, person_id)
    return render(request, "plans/gas/overview.html", {"person": view.person, "gas": view})


@person_route("GET")
@login_required
@require_GET
def scale(request: AuthenticatedHttpRequest, person_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    """A goal's scale, its level over time (chart and table) and every version."""
    page = queries.get_goal_page(request.user, person_id, goal_id)
    form = forms.ScoreForm(scale=page.gas.scale) if page.may_write and page.gas.scale else None
    context = {"person": page.person, "page": page, "gas": page.gas, "goal": page.gas.goal, "score_form": form}
    return render(request, "plans/gas/scale.html", context)


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def scale_edit(request: AuthenticatedHttpRequest, person_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    """Set the goal's scale and baseline, or change them (a new, flagged version once scored)."""
    posting = request.method == "POST"
    action = Action.PLANS_GAS_SCALE_SET if posting else Action.PLANS_GAS_VIEWED
    person, _may_write = queries.person_for_gas(request.user, person_id, action=action, audit_granted=not posting)
    goal = queries.goal_for_gas(request.user, person, goal_id, action=action)
    queries.require_write(request.user, person, action=action)
    current = queries.current_scale(goal)
    form = forms.ScaleForm(request.POST if posting else None, scale=current)
    if form.is_valid():
        try:
            services.set_scale(
                request.user,
                goal,
                form.service_input(),
                version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:  # a Conflict is one too
            _attach(form, error)
        else:
            messages.success(request, _("The scale is saved."))
            return redirect("plans:gas-scale", person.public_id, goal.public_id)
    context = {"person": person, "goal": goal, "scale": current, "form": form}
    return render(request, "plans/gas/scale_edit.html", context)


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def score(request: AuthenticatedHttpRequest, person_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    """Record a follow-up score; with ?on=<date>, change that date's score."""
    posting = request.method == "POST"
    action = Action.PLANS_GAS_SCORED if posting else Action.PLANS_GAS_VIEWED
    person, _may_write = queries.person_for_gas(request.user, person_id, action=action, audit_granted=not posting)
    goal = queries.goal_for_gas(request.user, person, goal_id, action=action)
    queries.require_write(request.user, person, action=action)
    current = queries.current_scale(goal)
    if current is None:
        messages.error(request, _("Set the goal's scale and its baseline before scoring it."))
        return redirect("plans:gas-scale-edit", person.public_id, goal.public_id)
    existing = None if posting else queries.score_on(current, request.GET.get("on"))
    form = forms.ScoreForm(request.POST if posting else None, scale=current, score=existing)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_score(
                request.user,
                goal,
                scored_on=data["scored_on"],
                score=data["score"],
                note=data["note"],
                version=data.get("version"),
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The score is saved."))
            return redirect("plans:gas-scale", person.public_id, goal.public_id)
    context = {"person": person, "goal": goal, "scale": current, "form": form, "changing": existing}
    return render(request, "plans/gas/score.html", context)
