from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access import presenters
from schakel.routes import own_account_route


@own_account_route()
@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    """The access matrix in force, readable by everyone logged in (ACC-01)."""
    columns, rows = presenters.matrix_rows()
    return render(request, "access/matrix.html", {"columns": columns, "rows": rows})
