import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access.vocab import Category, Level
from people import queries, services
from people.forms import RegisterPersonForm
from schakel.routes import own_account_route, person_route


@person_route("GET")
@login_required
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = queries.get_person(request.user, person_id, Category.IDENTITY, Level.READ, action="people.person_viewed")
    return render(request, "people/person_detail.html", {"person": person})


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def register_person(request: HttpRequest) -> HttpResponse:
    form = RegisterPersonForm(request.POST or None)
    if form.is_valid():
        try:
            person = services.register_person(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("people:detail", person.public_id)
    return render(request, "people/register.html", {"form": form})
