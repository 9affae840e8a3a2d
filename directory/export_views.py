"""Public HSDS 3.1 exports of the published directory, one language per request (`?lang=nl|fr`)."""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory.hsds import exporter
from directory.hsds.serialize import check_language
from directory.hsds_api import HsdsThrottle
from directory.models import Dataset
from schakel.routes import public_route


def _throttled(request: HttpRequest) -> HttpResponse | None:
    if HsdsThrottle().allow_request(request):
        return None
    return HttpResponse(_("Too many requests; try again in a minute."), status=429, content_type="text/plain")


def _published() -> Dataset:
    dataset = Dataset.objects.published()
    if dataset is None:
        raise Http404
    return dataset


@public_route()
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    if refused := _throttled(request):
        return refused
    language = check_language(request.GET.get("lang") or translation.get_language())
    page = exporter.export_json(_published(), language)
    response = HttpResponse(json.dumps(page, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="schakel-hsds-services-{language}.json"'
    return response


@public_route()
@require_GET
def export_package(request: HttpRequest) -> HttpResponse:
    if refused := _throttled(request):
        return refused
    language = check_language(request.GET.get("lang") or translation.get_language())
    response = HttpResponse(exporter.export_package(_published(), language), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="schakel-hsds-datapackage-{language}.zip"'
    return response
