"""The "did it help?" page of a person: their done actions with what was answered, and the form
to answer about one (?action=<id>). Thin: reads in plans.help.queries, the answer in services."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.requests import AuthenticatedHttpRequest
from plans.help import queries, services
from plans.help.forms import HelpAnswerForm
from schakel.routes import PLAN_ACTION, person_route


@person_route("GET", "POST", objects={"action": PLAN_ACTION})
@login_required
@require_http_methods(["GET", "POST"])
def did_it_help(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    form = None
    if request.method == "POST":
        person, decision = queries.person_for_answer(request.user, person_id)
        records_for = queries.records_for(decision)
        form = HelpAnswerForm(request.POST, records_for=records_for)
        action_id = request.POST.get("action") or None
        if action_id:
            # Before the form is checked: another person's id is the outsider's 404, audited.
            action = queries.action_of(request.user, person, action_id, action=queries.HELP_ANSWERED)
            if form.is_valid():
                try:
                    services.answer_did_it_help(
                        request.user,
                        person,
                        action,
                        answer=form.cleaned_data["answer"],
                        comment=form.cleaned_data["comment"],
                        answered_as=form.cleaned_data.get("answered_as") or "",
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Thank you: your answer is saved and the team can read it."))
                    url = reverse("plans:did-it-help", args=[person.public_id])
                    return redirect(f"{url}?action={action.public_id}")
        else:
            messages.error(request, _("Choose the action you answer about."))
        chosen_id: str | None = action_id
    else:
        chosen_id = request.GET.get("action") or None
    page = queries.help_page(request.user, person_id, chosen_id)
    if form is None and page.chosen is not None:
        form = HelpAnswerForm(initial={"action": page.chosen.public_id}, records_for=page.rights.records_for)
    context = {"page": page, "person": page.person, "form": form, "answer_days": services.answer_days()}
    return render(request, "plans/help/did_it_help.html", context)
