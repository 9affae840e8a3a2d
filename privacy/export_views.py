"""The person's "Your data" page and the subject-access export (JSON and PDF)."""

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render

from core.requests import AuthenticatedHttpRequest
from privacy import export
from schakel.routes import person_route


@person_route("GET")
@login_required
def your_data(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = export.person_for_export(request.user, person_id, action=export.PAGE_VIEWED)
    export.log_page_view(request.user, person)
    return render(request, "privacy/export.html", {"person": person})


@person_route("GET")
@login_required
def export_json(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = export.person_for_export(request.user, person_id, action=export.EXPORTED)
    data = export.as_json(export.collect(request.user, person, output="json"))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    # No name in the file name: it would be personal data in download folders and proxy logs.
    response["Content-Disposition"] = 'attachment; filename="schakel-my-data.json"'
    return response


@person_route("GET")
@login_required
def export_pdf(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = export.person_for_export(request.user, person_id, action=export.EXPORTED)
    response = HttpResponse(
        export.as_pdf(export.collect(request.user, person, output="pdf")), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="schakel-my-data.pdf"'
    return response
