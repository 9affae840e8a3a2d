"""The need taxonomy: the shipped file, its loading (idempotent, zone edits kept), editing with
history, and term suggestions for imported services without a need."""

import tomllib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from core.errors import Conflict
from directory import services, taxonomy
from directory.models import Attribute, Metadata, Taxonomy, TaxonomyTerm
from directory.search.engine import search
from directory.search.index import rebuild_index
from directory.search.models import NeedTerm, TermSuggestion
from directory.tests.search.conftest import make_service

# The needs the social map must know (issue 5, "Finding help").
REQUIRED = {
    "home-nursing", "family-help", "cleaning-help", "meals-at-home", "day-care", "short-stay", "nursing-home",
    "respite-care", "caregiver-support", "palliative-home-care", "mobility-aids", "adapted-transport",
    "social-restaurant", "social-grocery", "food-bank", "ocmw-cpas", "caw", "mental-health-centre",
    "community-health-centre", "gp-out-of-hours", "personal-alarm", "debt-help", "legal-aid", "interpreters",
    "zone-helpdesk", "helplines", "welfare-reception", "home-adaptation", "home-occupational-therapy",
    "home-physiotherapy", "pharmacy", "psychological-first-line", "dementia-support", "volunteer-visits",
}  # fmt: skip


def test_the_shipped_file_covers_every_required_need_in_both_languages():
    shipped = taxonomy.read_file()
    terms = {term.code: term for term in shipped.terms if not term.is_group}
    assert set(terms) >= REQUIRED
    for term in terms.values():
        assert len(term.values["everyday_words_nl"].splitlines()) >= 10, term.code
        assert len(term.values["everyday_words_fr"].splitlines()) >= 10, term.code
        assert term.values["jargon"], term.code
        assert all(term.values[f"name_{lang}"] for lang in ("nl", "fr", "en")), term.code
    first = {code for code, term in terms.items() if term.first_contact}
    assert first == {"welfare-reception", "ocmw-cpas", "caw", "zone-helpdesk", "helplines"}


def test_a_file_with_a_term_missing_words_is_refused_naming_the_problem():
    with open(taxonomy.TAXONOMY_FILE, "rb") as handle:
        data = tomllib.load(handle)
    data["term"][0]["everyday_fr"] = ["une seule"]
    del data["term"][1]["name"]["fr"]
    with pytest.raises(ValidationError) as error:
        taxonomy.parse(data)
    messages = " ".join(error.value.messages)
    assert "home-nursing: at least 10 everyday phrasings in fr" in messages
    assert "family-help: name needs nl, fr and en" in messages


def test_loading_creates_the_zone_taxonomy_once(db):
    call_command("load_need_taxonomy", verbosity=0)
    shipped = taxonomy.read_file()
    assert Taxonomy.objects.get(name="schakel-needs").dataset is None
    assert NeedTerm.objects.count() == len(shipped.terms) == TaxonomyTerm.objects.filter(dataset=None).count()
    nursing = NeedTerm.objects.get(code="home-nursing")
    assert nursing.term.name_nl == "Thuisverpleging"
    assert nursing.term.parent.code == "help-at-home"
    assert "verpleegster aan huis" in nursing.lines("everyday_words_nl")
    history = NeedTerm.history.count()
    # A second load changes nothing and writes no history.
    assert taxonomy.load(shipped) == []
    assert NeedTerm.history.count() == history
    assert NeedTerm.objects.count() == len(shipped.terms)


def test_a_newer_file_never_overwrites_the_zone_admins_edit(needs, zone_admin):
    need = needs["cleaning-help"]
    words = need.everyday_words_nl + "\nmenagere"
    services.edit_need(zone_admin, need, _values(need, everyday_words_nl=words), version=need.version)
    shipped = taxonomy.read_file()
    cleaning = next(term for term in shipped.terms if term.code == "cleaning-help")
    cleaning.values["everyday_words_nl"] = "alleen dit"
    cleaning.values["name_fr"] = "Aide ménagère à domicile"
    changes = taxonomy.load(shipped)
    need.refresh_from_db()
    assert need.everyday_words_nl == words  # the zone's edit stays
    assert need.name_fr == "Aide ménagère à domicile"  # an unedited field follows the file
    assert need.term.name_fr == "Aide ménagère à domicile"
    assert taxonomy.FieldChange("cleaning-help", "everyday_words_nl", True) in changes


def test_setting_a_field_back_to_the_shipped_text_makes_it_follow_the_file(needs, zone_admin):
    need = needs["pharmacy"]
    shipped_words = need.everyday_words_fr
    need = services.edit_need(zone_admin, need, _values(need, everyday_words_fr="pharmacie"), version=need.version)
    assert need.edited_fields == ["everyday_words_fr"]
    need = services.edit_need(zone_admin, need, _values(need, everyday_words_fr=shipped_words), version=need.version)
    assert need.edited_fields == []


def test_edits_have_a_history_with_who_and_what(needs, zone_admin):
    need = needs["food-bank"]
    services.edit_need(zone_admin, need, _values(need, name_nl="Voedselhulp"), version=need.version)
    latest = need.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_user, latest.name_nl) == (zone_admin, "Voedselhulp")
    assert TaxonomyTerm.objects.get(pk=need.term_id).name_nl == "Voedselhulp"


def test_only_the_zone_admin_edits_and_nothing_changes_otherwise(needs, helpdesk):
    need = needs["food-bank"]
    with pytest.raises(PermissionDenied):
        services.edit_need(helpdesk, need, _values(need, name_nl="X"), version=need.version)
    need.refresh_from_db()
    assert need.name_nl == "Voedselbank en voedselhulp"


def test_a_stale_edit_is_refused_and_the_first_survives(needs, zone_admin):
    need = needs["food-bank"]
    version = need.version
    services.edit_need(zone_admin, need, _values(need, name_nl="Eerste"), version=version)
    with pytest.raises(Conflict):
        services.edit_need(zone_admin, need, _values(need, name_nl="Tweede"), version=version)
    need.refresh_from_db()
    assert need.name_nl == "Eerste"


def test_a_need_without_a_dutch_name_is_refused(needs, zone_admin):
    need = needs["food-bank"]
    with pytest.raises(ValidationError):
        services.edit_need(zone_admin, need, _values(need, name_nl=" "), version=need.version)


def test_an_untagged_service_gets_a_suggested_need_from_its_jargon_and_a_curator_confirms_it(needs, dataset, helpdesk):
    service = make_service(
        dataset,
        name_nl="Vzw Zorgzaam",
        description_nl="Erkende dienst voor schuldbemiddeling en budgetbegeleiding.",
        postcodes=("1030",),
    )
    make_service(dataset, name_nl="Already tagged", needs=(needs["pharmacy"],), postcodes=("1030",))
    rebuild_index(dataset)
    assert search("ik heb schulden", language="nl").ids == []  # not findable by need yet
    assert services.suggest_terms(dataset) == 1
    suggestion = TermSuggestion.objects.get()
    assert (suggestion.service, suggestion.term_id) == (service, needs["debt-help"].term_id)
    assert "schuldbemiddeling" in suggestion.matched
    assert services.suggest_terms(dataset) == 0  # not suggested twice

    services.decide_suggestion(helpdesk, suggestion, confirm=True)
    assert Attribute.objects.filter(service=service, taxonomy_term_id=needs["debt-help"].term_id).count() == 1
    assert Metadata.objects.get(resource_id=service.hsds_id).replacement_value == "debt-help"
    assert search("ik heb schulden", language="nl").ids == [service.pk]
    with pytest.raises(ValidationError):
        services.decide_suggestion(helpdesk, suggestion, confirm=False)


def test_a_rejected_suggestion_tags_nothing(needs, dataset, helpdesk, caregiver):
    service = make_service(dataset, name_nl="Thuisverpleging Zuid", postcodes=("1030",))
    services.suggest_terms(dataset)
    suggestion = TermSuggestion.objects.get(service=service)
    with pytest.raises(PermissionDenied):
        services.decide_suggestion(caregiver, suggestion, confirm=True)
    services.decide_suggestion(helpdesk, suggestion, confirm=False)
    assert not Attribute.objects.filter(service=service).exists()
    assert TermSuggestion.objects.get().status == TermSuggestion.Status.REJECTED


def _values(need: NeedTerm, **changes: str) -> dict[str, str]:
    from directory.search.models import EDITABLE_FIELDS

    return {name: changes.get(name, getattr(need, name)) for name in EDITABLE_FIELDS}
