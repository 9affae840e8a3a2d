import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access.queries import resolve_person
from core.requests import AuthenticatedHttpRequest
from plans import services
from plans.reviews import queries
from plans.reviews.forms import ReviewForm
from schakel.routes import person_route


def attach(form: Form, error: ValidationError) -> None:
    """A service's errors on the form: per field where the form has that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def reviews(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """When the plan was last reviewed and when it is due; who may write the plan reviews it
    here (PLAN-03): when, with which team members and whom else, and what was agreed."""
    person = resolve_person(request.user, person_id, queries.REVIEWS_VIEWED)
    panel = queries.review_panel(request.user, person)  # plan read: outsiders get 404 here
    form = None
    if panel.may_review or request.method == "POST":
        form = ReviewForm(request.POST or None, members=queries.review_members(person))
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.record_review(request.user, person, **form.service_arguments())
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("plans:reviews", person.public_id)
    return render(request, "plans/reviews/page.html", {"person": person, "review_panel": panel, "form": form})
