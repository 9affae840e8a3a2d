"""The public social map (no login; MAP-01..05, CARE-04, UX-02) and the zone admin's need taxonomy.

Public pages: search, a service, "Where do I start?", the local offer per municipality and the
accessibility statement. The search is rate-limited per client address, and only aggregated words
are kept of what people search (directory/search/terms.py), never the query with an address.
"""

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.requests import AuthenticatedHttpRequest
from core.models import CareZone, Municipality
from directory import presenters, queries, taxonomy
from directory.forms import NeedForm, SearchForm
from directory.models import Attribute, Dataset, Service
from directory.search import ratelimit, terms
from directory.search.engine import search
from directory.search.models import NeedTerm, SearchPlace, TermSuggestion
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
    context: dict[str, object] = {"form": form, "first_contacts": _first_contact_needs()}
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


def _published_service(hsds_id: str) -> Service:
    dataset = Dataset.objects.published()
    if dataset is None:
        raise Http404
    return get_object_or_404(Service.objects.select_related("organization"), dataset=dataset, hsds_id=hsds_id)


@public_route()
@require_GET
def service_page(request: HttpRequest, hsds_id: str) -> HttpResponse:
    """Everything about one service; professional-only contact points only for professionals."""
    service = _published_service(hsds_id)
    card = presenters.cards([service])[0]
    points = queries.contacts_for(request.user, service)
    locations = [link.location for link in service.service_at_locations.all()]
    context = {
        "card": card,
        "service": service,
        "phones": points.phones,
        "contacts": points.contacts,
        "professional": points.professional,
        "documents": list(service.required_documents.all()),
        "accessibility": [item for location in locations for item in location.accessibility.all()],
    }
    return render(request, "directory/service.html", context)


def _first_contact_needs() -> list[NeedTerm]:
    return list(NeedTerm.objects.filter(first_contact=True, is_group=False).order_by("position"))


@public_route()
@require_GET
def start_page(request: HttpRequest) -> HttpResponse:
    """ "Where do I start?": the first points of contact (MAP-04, CARE-04), near the place given."""
    place = request.GET.get("place", "").strip()[:100]
    sections = []
    result = None
    if place and not ratelimit.allow(request):
        return _too_many(request)
    for need in _first_contact_needs():
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
    zones = CareZone.objects.prefetch_related("municipalities").order_by("kind", "name")
    return render(request, "directory/municipalities.html", {"zones": zones})


@public_route()
@require_GET
def municipality_page(request: HttpRequest, nis_code: str, postcode: str) -> HttpResponse:
    """The local offer of one municipality (MAP-05): per need, how many services cover it."""
    municipality = get_object_or_404(Municipality.objects.select_related("zone"), nis_code=nis_code, postcode=postcode)
    dataset = Dataset.objects.published()
    counts: dict[int, int] = {}
    if dataset is not None:
        covering = SearchPlace.objects.filter(municipality=municipality, dataset=dataset).values("service_id")
        rows = (
            Attribute.objects.filter(dataset=dataset, service_id__in=covering, taxonomy_term__need__isnull=False)
            .values("taxonomy_term_id")
            .annotate(count=Count("service_id", distinct=True))
        )
        counts = {row["taxonomy_term_id"]: row["count"] for row in rows}
    place = f"{municipality.nis_code}-{municipality.postcode}"
    needs = list(NeedTerm.objects.order_by("position"))
    groups: dict[int | None, list[dict[str, object]]] = defaultdict(list)
    parents: dict[int | None, NeedTerm] = {need.term_id: need for need in needs if need.is_group}
    parent_of = dict(NeedTerm.objects.filter(is_group=False).values_list("term_id", "term__parent_id"))
    for need in needs:
        if need.is_group:
            continue
        groups[parent_of.get(need.term_id)].append(
            {
                "need": need,
                "count": counts.get(need.term_id, 0),
                "url": reverse("directory:search") + "?" + urlencode({"need": need.code, "place": place}),
            }
        )
    local = []
    for code in LOCAL_OFFER:
        result = search("", language=translation.get_language() or "nl", place=place, need=code, limit=5)
        found = next((n for n in needs if n.code == code), None)
        if found:
            local.append(
                {"need": found, "cards": presenters.cards(hit.service for hit in result.hits), "total": result.total}
            )
    context = {
        "municipality": municipality,
        "local": local,
        "groups": [(parents.get(parent_id), items) for parent_id, items in groups.items()],
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
    needs = NeedTerm.objects.order_by("position")
    pending = TermSuggestion.objects.filter(status=TermSuggestion.Status.PENDING).count()
    return render(
        request,
        "directory/taxonomy.html",
        {"needs": needs, "pending": pending, "is_zone_admin": taxonomy.is_zone_admin(request.user)},
    )


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def need_page(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One need: its words and its history; the zone admin edits it here."""
    if not taxonomy.can_curate(request.user):
        raise PermissionDenied
    need = get_object_or_404(NeedTerm, code=code)
    form = NeedForm.for_need(need, request.POST or None)
    if request.method == "POST":
        if not taxonomy.is_zone_admin(request.user):
            raise PermissionDenied
        if form.is_valid():
            values = {name: value for name, value in form.cleaned_data.items() if name != "version"}
            try:
                taxonomy.edit_need(request.user, need, values, version=form.cleaned_data["version"])
            except ValidationError as error:  # Conflict is one too
                form.add_error(None, error)
            else:
                messages.success(request, _("The need was saved."))
                return redirect("directory:need", code)
    history = presenters_history(need)
    return render(
        request,
        "directory/need.html",
        {"need": need, "form": form, "history": history, "is_zone_admin": taxonomy.is_zone_admin(request.user)},
    )


def presenters_history(need: NeedTerm) -> list[dict[str, object]]:
    """Each saved version: when, who, and which fields changed from the version before."""
    records = list(need.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    rows = []
    for record, older in zip(records, [*records[1:], None], strict=True):
        changed = [] if older is None else [change.field for change in record.diff_against(older).changes]
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user.full_name if record.history_user else _("the shipped file"),
                "fields": [str(NeedTerm._meta.get_field(name).verbose_name) for name in changed],  # type: ignore[union-attr]  # its own fields
                "created": older is None,
            }
        )
    return rows


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def suggestions_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Needs suggested for imported services without one; the curator confirms or rejects."""
    if not taxonomy.can_curate(request.user):
        raise PermissionDenied
    if request.method == "POST":
        dataset = Dataset.objects.published()
        made = taxonomy.suggest_terms(dataset) if dataset else 0
        messages.success(request, _("New suggestions: %(count)d.") % {"count": made})
        return redirect("directory:suggestions")
    pending = (
        TermSuggestion.objects.filter(status=TermSuggestion.Status.PENDING, service__dataset__status="published")
        .select_related("service", "term__need")
        .order_by("-score", "pk")
    )
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "directory/suggestions.html", {"page": page})


@own_account_route("POST")
@login_required
@require_POST
def suggestion_decide(request: AuthenticatedHttpRequest, suggestion_id: int) -> HttpResponse:
    if not taxonomy.can_curate(request.user):
        raise PermissionDenied
    suggestion = get_object_or_404(TermSuggestion, pk=suggestion_id)
    confirm = request.POST.get("decision") == "confirm"
    try:
        taxonomy.decide_suggestion(request.user, suggestion, confirm=confirm)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The need was added to the service.") if confirm else _("The suggestion was rejected.")
        )
    return redirect("directory:suggestions")
