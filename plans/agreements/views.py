import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access.queries import resolve_person
from core.errors import Conflict
from core.requests import AuthenticatedHttpRequest
from plans.agreements import queries, services
from plans.agreements.forms import AgreementForm
from plans.reviews.views import attach
from schakel.routes import person_route


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The team's communication agreement beside its reachability (PLAN-07); who may write the
    plan records or changes it. A change made meanwhile by someone else is refused and said."""
    person = resolve_person(request.user, person_id, queries.AGREEMENT_VIEWED)
    panel = queries.agreement_panel(request.user, person)  # plan read: outsiders get 404 here
    posting = request.method == "POST"
    form = None
    if panel.may_change or posting:
        form = AgreementForm(
            request.POST if posting else None, members=panel.members, initial=AgreementForm.initial_for(panel.agreement)
        )
    if form is not None and posting and form.is_valid():
        try:
            services.save_agreement(request.user, person, **form.service_arguments())
        except Conflict as error:
            messages.error(request, error.messages[0])
            return redirect("plans:agreement", person.public_id)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("plans:agreement", person.public_id)
    main_fields = [form[name] for name in ("first_contact", "channel", "line_24_7")] if form else []
    context = {"person": person, "agreement_panel": panel, "form": form, "main_fields": main_fields}
    return render(request, "plans/agreements/page.html", context)
