from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.requests import AuthenticatedHttpRequest
from notifications import services
from schakel.routes import own_account_route


@own_account_route()
@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = services.for_user(request.user)
    return render(request, "notifications/list.html", {"items": items})
