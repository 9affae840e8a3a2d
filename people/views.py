import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access import gate
from access.vocab import Category, Level
from people import queries, services
from people.forms import MergeForm, RegisterPersonForm
from schakel.routes import own_account_route, person_route


@person_route("GET")
@login_required
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = queries.get_person(request.user, person_id, Category.IDENTITY, Level.READ, action="people.person_viewed")
    context = {
        "person": person,
        "aliases": queries.aliases_of(person),
        "may_merge": not person.insz and gate.is_coordinator(request.user, person),
        "may_see_log": gate.is_person_or_representative(request.user, person),
    }
    return render(request, "people/person_detail.html", context)


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


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def merge_person(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """A coordinator merges a record registered without INSZ into the person's INSZ record."""
    alias = queries.get_person(request.user, person_id, Category.IDENTITY, Level.READ, action="people.merge_viewed")
    may_merge = not alias.insz and gate.is_coordinator(request.user, alias)
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
