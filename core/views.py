from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.requests import AuthenticatedHttpRequest
from people import queries as people_queries
from schakel.routes import own_account_route


@own_account_route()
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The persons this user has a relationship with, fitted to their role."""
    persons = people_queries.persons_for(request.user)
    return render(request, "core/home.html", {"persons": persons})
