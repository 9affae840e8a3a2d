import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from audit import presenters, queries
from audit.forms import LogSearchForm, PeriodForm
from core.requests import AuthenticatedHttpRequest
from schakel.routes import own_account_route, person_route


@person_route("GET")
@login_required
def person_log(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """ "Who looked at your dossier", grouped per visit: for the person and their representative
    only (ACC-03). The person's own visits are hidden unless asked for (`own=1`)."""
    person = queries.person_for_log(request.user, person_id)
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    include_own = request.GET.get("own") == "1"
    grouped = queries.person_visits(
        person,
        request.user,
        start=period.get("start"),
        end=period.get("end"),
        include_own=include_own,
        page=request.GET.get("page"),
    )
    query = _period_query(period)
    context = {
        "person": person,
        "is_person": person.account_id == request.user.pk,
        "form": form,
        "page": grouped.page,
        "summary": grouped.summary,
        "visits": presenters.visits(grouped, person.account_id),
        "include_own": include_own,
        "query": query + ("&own=1" if include_own else ""),
        "toggle_query": query + ("" if include_own else "&own=1"),
        "dpo": presenters.dpo_contact(),
    }
    return render(request, "audit/person_log.html", context)


@own_account_route("GET")
@login_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The data protection officer's "what did this user open?"; every search is audited."""
    queries.require_searcher(request.user)
    form = LogSearchForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        # A name typed in starts a new search; otherwise the chosen user's rows are shown.
        searched = queries.user_for_search(data["user"]) if data["user"] and not data["q"] else None
        if searched is None and data["q"]:
            context["candidates"] = queries.find_users(data["q"])
            context["searched_for"] = data["q"]
        elif searched is not None:
            rows = queries.what_user_opened(request.user, searched, start=data["start"], end=data["end"])
            page = queries.paginate(rows, request.GET.get("page"))
            context |= {
                "searched": searched,
                "page": page,
                "rows": [presenters.log_row(entry, with_person=True) for entry in page],
                "query": _period_query(data) + f"&user={searched.public_id}",
            }
    return render(request, "audit/search.html", context)


def _period_query(period: dict[str, Any]) -> str:
    """The period as query parameters, for the pagination links."""
    start, end = period.get("start"), period.get("end")
    return f"start={start.isoformat() if start else ''}&end={end.isoformat() if end else ''}"
