from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from people import queries as people_queries
from schakel.routes import own_account_route


@own_account_route()
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The persons this user has a relationship with, fitted to their role."""
    persons = people_queries.persons_for(request.user)
    return render(request, "core/home.html", {"persons": persons})
