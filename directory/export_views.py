"""Public HSDS 3.1 exports of the published directory, one language per request (`?lang=nl|fr`)."""

import json

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory import queries
from directory.hsds import output
from directory.hsds_api import HsdsThrottle
from schakel.routes import public_route


def _throttled(request: HttpRequest) -> HttpResponse | None:
    if HsdsThrottle().allow_request(request):
        return None
    return HttpResponse(_("Too many requests; try again in a minute."), status=429, content_type="text/plain")


@public_route()
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    if refused := _throttled(request):
        return refused
    language = output.check_language(request.GET.get("lang") or translation.get_language())
    page = output.export_json(queries.published_dataset(), language)
    response = HttpResponse(json.dumps(page, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="schakel-hsds-services-{language}.json"'
    return response


@public_route()
@require_GET
def export_package(request: HttpRequest) -> HttpResponse:
    if refused := _throttled(request):
        return refused
    language = output.check_language(request.GET.get("lang") or translation.get_language())
    response = HttpResponse(
        output.export_package(queries.published_dataset(), language), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="schakel-hsds-datapackage-{language}.zip"'
    return response
