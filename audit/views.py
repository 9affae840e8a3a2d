import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access import gate
from audit import queries
from audit.forms import PeriodForm
from audit.services import log_decision
from people import queries as people_queries
from schakel.routes import person_route


@person_route("GET")
@login_required
def person_log(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """ "Who looked at my dossier": for the person and their representative only (ACC-03)."""
    actor = request.user
    person = people_queries.resolve_person(actor, person_id, "audit.person_log_viewed")
    allowed = gate.is_person_or_representative(actor, person)
    decision = gate.Decision(
        allowed,
        "granted" if allowed else "not_person_or_representative",
        "acp",
        "read",
        relationship="self_or_representative" if allowed else "",
    )
    log_decision(actor, person, decision, action="audit.person_log_viewed")
    if not allowed:
        raise gate.Denied
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    rows = queries.person_log(person, start=period.get("start"), end=period.get("end"))
    page = queries.paginate(rows, request.GET.get("page"))
    return render(request, "audit/person_log.html", {"person": person, "form": form, "page": page})
