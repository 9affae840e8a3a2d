"""The printable dossier summary: an HTML page to print and the same summary as a PDF (DOS-13)."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from core.requests import AuthenticatedHttpRequest
from people import printing
from schakel.routes import person_route


@person_route("GET")
@login_required
def summary_page(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = printing.person_for_summary(request.user, person_id)
    summary = printing.summary(request.user, person, output="html")
    return HttpResponse(printing.summary_html(summary, for_pdf=False))


@person_route("GET")
@login_required
def summary_pdf(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = printing.person_for_summary(request.user, person_id)
    summary = printing.summary(request.user, person, output="pdf")
    response = HttpResponse(printing.summary_pdf(summary), content_type="application/pdf")
    # The name in the file name would be personal data in download folders and proxies' logs.
    response["Content-Disposition"] = 'attachment; filename="schakel-summary.pdf"'
    return response
