"""The public social map (no login; MAP-01..05, CARE-04, UX-02) and the zone admin's need taxonomy.

Public pages: search, a service, "Where do I start?", the local offer per municipality and the
accessibility statement. The search is rate-limited per client address, and only aggregated words
are kept of what people search (directory/search/terms.py), never the query with an address.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import rules
from core.requests import AuthenticatedHttpRequest
from directory import presenters, queries, services, taxonomy
from directory.forms import NeedForm, SearchForm
from directory.search import ratelimit, terms
from directory.search.engine import search
from schakel.routes import own_account_route, public_route

PAGE_SIZE = 20
# The local offer asked for in seeds 002 and 003 (MAP-05), shown first on a municipality's page.
LOCAL_OFFER = ("mobility-aids", "social-restaurant", "social-grocery", "food-bank", "prevention-meetings")


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "directory/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


# ── public pages ────────────────────────────────────────────────────────────────────────────────


@public_route()
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """One box, "What are you looking for?", a place, a few filters; results a caregiver can use."""
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "first_contacts": queries.first_contact_needs()}
    if form.is_valid():
        data = form.cleaned_data
        asked = data["q"].strip() or data["place"].strip() or data["need"]
        if asked:
            if not ratelimit.allow(request):
                return _too_many(request)
            page = data["page"] or 1
            result = search(
                data["q"],
                language=translation.get_language() or "nl",
                place=data["place"] or None,
                spoken_language=data["spoken_language"] or None,
                available_now=data["available_now"],
                need=data["need"] or None,
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
            )
            if data["q"].strip():
                terms.record(data["q"])
            pages = max(1, -(-result.total // PAGE_SIZE))
            query: dict[str, Any] = {key: value for key, value in request.GET.items() if key != "page"}
            context |= {
                "result": result,
                "cards": presenters.cards(hit.service for hit in result.hits),
                "page": page,
                "pages": pages,
                "previous_url": f"?{urlencode({**query, 'page': page - 1})}" if page > 1 else "",
                "next_url": f"?{urlencode({**query, 'page': page + 1})}" if page < pages else "",
                "start": (page - 1) * PAGE_SIZE + 1,
            }
    return render(request, "directory/search.html", context)


@public_route()
@require_GET
def service_page(request: HttpRequest, hsds_id: str) -> HttpResponse:
    """Everything about one service; professional-only contact points only for professionals."""
    details = queries.published_service(request.user, hsds_id)
    context = {
        "card": presenters.cards([details.service])[0],
        "service": details.service,
        "phones": details.points.phones,
        "contacts": details.points.contacts,
        "professional": details.points.professional,
        "documents": details.documents,
        "accessibility": details.accessibility,
    }
    return render(request, "directory/service.html", context)


@public_route()
@require_GET
def start_page(request: HttpRequest) -> HttpResponse:
    """ "Where do I start?": the first points of contact (MAP-04, CARE-04), near the place given."""
    place = request.GET.get("place", "").strip()[:100]
    sections = []
    result = None
    if place and not ratelimit.allow(request):
        return _too_many(request)
    for need in queries.first_contact_needs():
        result = search("", language=translation.get_language() or "nl", place=place or None, need=need.code, limit=5)
        sections.append(
            {"need": need, "cards": presenters.cards(hit.service for hit in result.hits), "total": result.total}
        )
    unknown_place = bool(place and result is not None and result.place_unknown)
    return render(
        request, "directory/start.html", {"sections": sections, "place": place, "unknown_place": unknown_place}
    )


@public_route()
@require_GET
def municipalities_page(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/municipalities.html", {"zones": queries.zones_with_municipalities()})


@public_route()
@require_GET
def municipality_page(request: HttpRequest, nis_code: str, postcode: str) -> HttpResponse:
    """The local offer of one municipality (MAP-05): per need, how many services cover it."""
    municipality = queries.municipality(nis_code, postcode)
    offer = queries.local_offer(municipality)
    place = f"{municipality.nis_code}-{municipality.postcode}"
    local = []
    for code in LOCAL_OFFER:
        result = search("", language=translation.get_language() or "nl", place=place, need=code, limit=5)
        need = next((n for n in offer.needs if n.code == code), None)
        if need:
            local.append(
                {"need": need, "cards": presenters.cards(hit.service for hit in result.hits), "total": result.total}
            )
    context = {
        "municipality": municipality,
        "local": local,
        "groups": presenters.need_groups(offer, place),
        "place": place,
    }
    return render(request, "directory/municipality.html", context)


@public_route()
@require_GET
def accessibility_page(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/accessibility.html")


# ── the zone admin's need taxonomy ──────────────────────────────────────────────────────────────


@own_account_route()
@login_required
@require_GET
def taxonomy_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not taxonomy.can_curate(request.user):
        raise PermissionDenied
    context = {
        "needs": queries.taxonomy_needs(),
        "pending": queries.pending_suggestion_count(),
        "is_zone_admin": rules.is_zone_admin(request.user),
    }
    return render(request, "directory/taxonomy.html", context)


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def need_page(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One need: its words and its history; the zone admin edits it here."""
    if not taxonomy.can_curate(request.user):
        raise PermissionDenied
    need = queries.need(code)
    form = NeedForm.for_need(need, request.POST or None)
    if request.method == "POST":
        if not rules.is_zone_admin(request.user):
            raise PermissionDenied
        if form.is_valid():
            values = {name: value for name, value in form.cleaned_data.items() if name != "version"}
            try:
                services.edit_need(request.user, need, values, version=form.cleaned_data["version"])
            except ValidationError as error:  # Conflict is one too
                form.add_error(None, error)
            else:
                messages.success(request, _("The need was saved."))
                return redirect("directory:need", code)
    history = presenters.need_history(need)
    return render(
        request,
        "directory/need.html",
        {"need": need, "form": form, "history": history, "is_zone_admin": rules.is_zone_admin(request.user)},
    )


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def suggestions_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Needs suggested for imported services without one; the curator confirms or rejects."""
    if not taxonomy.can_curate(request.user):
        raise PermissionDenied
    if request.method == "POST":
        made = services.suggest_for_published()
        messages.success(request, _("New suggestions: %(count)d.") % {"count": made})
        return redirect("directory:suggestions")
    page = queries.pending_suggestions(request.GET.get("page"))
    return render(request, "directory/suggestions.html", {"page": page})


@own_account_route("POST")
@login_required
@require_POST
def suggestion_decide(request: AuthenticatedHttpRequest, suggestion_id: int) -> HttpResponse:
    if not taxonomy.can_curate(request.user):
        raise PermissionDenied
    suggestion = queries.suggestion(suggestion_id)
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.decide_suggestion(request.user, suggestion, confirm=confirm)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The need was added to the service.") if confirm else _("The suggestion was rejected.")
        )
    return redirect("directory:suggestions")
