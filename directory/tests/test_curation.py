"""Curation for the zone team: list stale and incomplete services, edit, confirm, update
availability; each change has a history with its actor and an HSDS Metadata row; stale edits
meet a Conflict; other profiles get 404."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.tests.factories import UserFactory
from conftest import client_for
from core.errors import Conflict
from core.models import CareZone, Municipality
from core.vocab import Profile
from directory import models as m
from directory.curation import presenters, queries, services
from directory.hsds import importer
from interop.tests import samples


def service_of(n: int) -> m.Service:
    return m.Service.objects.published().get(hsds_id=samples.uid("service", n))


def form_data(service: m.Service, **changes: object) -> dict[str, object]:
    """What the edit form posts when the curator changes only `changes`."""
    data = {key: "" if value is None else value for key, value in presenters.service_initial(service).items()}
    data.update(changes)
    return data


URLS = [
    ("curation:services", False),
    ("curation:service", True),
    ("curation:imports", False),
]


@pytest.mark.parametrize("profile", [Profile.GP, Profile.NURSE, Profile.INFORMAL_CAREGIVER, Profile.PERSON])
def test_other_profiles_get_404(published, profile):
    client = client_for(UserFactory(profile=profile))
    hsds_id = samples.uid("service", 1)
    for name, takes_id in URLS:
        url = reverse(name, args=[hsds_id] if takes_id else [])
        assert client.get(url).status_code == 404
    response = client.post(reverse("curation:service-confirm", args=[hsds_id]), {"version": 1})
    assert response.status_code == 404
    assert service_of(1).assured_date == date(2025, 1, 15)


def test_anonymous_users_are_sent_to_log_in(client, published):
    response = client.get(reverse("curation:services"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("fixture", ["zone_admin_client", "helpdesk_client"])
def test_the_zone_team_sees_the_list(request, published, fixture):
    client = request.getfixturevalue(fixture)
    response = client.get(reverse("curation:services"))
    assert response.status_code == 200
    assert [row.service.hsds_id for row in response.context["rows"]] == [
        s.hsds_id for s in m.Service.objects.published().order_by("assured_date", "name_nl", "pk")
    ]


def test_the_stale_and_incomplete_filters(zone_admin, published, settings):
    fresh = service_of(1)
    m.Service.objects.filter(pk=fresh.pk).update(assured_date=timezone.localdate())
    m.ServiceCapacity.objects.filter(service=fresh).update(updated=fresh.created_at)
    m.Schedule.objects.filter(service=service_of(2)).delete()
    stale = {s.hsds_id for s in queries.services_to_curate(zone_admin, which="stale").object_list}
    assert stale == {samples.uid("service", 2), samples.uid("service", 3)}
    incomplete = queries.services_to_curate(zone_admin, which="incomplete").object_list
    assert [s.hsds_id for s in incomplete] == [samples.uid("service", 2)]
    assert queries.incomplete_reasons(incomplete[0]) == [gettext("no opening hours")]
    settings.DIRECTORY_STALE_DAYS = 100_000
    m.ServiceCapacity.objects.update(updated=fresh.created_at)
    assert [s.hsds_id for s in queries.services_to_curate(zone_admin, which="stale").object_list] == []


def test_the_list_page_filters(zone_admin_client, published):
    m.Service.objects.filter(pk=service_of(3).pk).update(description_fr="")
    response = zone_admin_client.get(reverse("curation:services"), {"filter": "incomplete"})
    assert [row.service.hsds_id for row in response.context["rows"]] == [samples.uid("service", 3)]
    assert response.context["rows"][0].missing == [gettext("no French description")]


def test_the_list_takes_a_fixed_number_of_queries(zone_admin_client, published, tmp_path, settings):
    """The same number with 3 services as with 8 (the count itself includes the session and
    middleware queries, which are not this page's)."""
    settings.AUDIT_STREAMS = 1  # a first write to a new audit chain creates its head: not this page's cost

    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert zone_admin_client.get(reverse("curation:services")).status_code == 200
        return len(captured)

    queries_for_the_list()  # the first request of a session reads more (session, caches)
    few = queries_for_the_list()
    importer.import_file(samples.write_json(tmp_path / "more.json", samples.services(5, start=10)), language="nl")
    assert len(zone_admin_client.get(reverse("curation:services")).context["rows"]) == 8
    assert queries_for_the_list() == few


def test_editing_a_service_keeps_history_and_metadata(zone_admin_client, zone_admin, published):
    service = service_of(1)
    version = service.version
    anderlecht = Municipality.objects.get(postcode="1070")
    zone = CareZone.objects.get(name="bassin Nord")
    url = reverse("curation:service", args=[service.hsds_id])
    response = zone_admin_client.post(
        url,
        form_data(
            service,
            name_fr="Infirmières à domicile 1",
            description_nl="Nieuwe beschrijving.",
            eligibility_description_fr="Pour les personnes âgées.",
            phone="+3225551234",
            municipalities=[anderlecht.pk],
            zones=[zone.pk],
        ),
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name_fr, service.description_nl, service.eligibility_description_fr, service.version) == (
        "Infirmières à domicile 1",
        "Nieuwe beschrijving.",
        "Pour les personnes âgées.",
        version + 1,
    )
    areas = {(a.municipality_id, a.zone_id) for a in service.service_areas.all()}
    assert areas == {(anderlecht.pk, None), (None, zone.pk)}  # Schaarbeek is no longer served
    assert service.phones.filter(professional_only=False, contact=None).first().number == "+3225551234"
    record = service.history.latest()
    assert (record.history_user, record.name_fr) == (zone_admin, "Infirmières à domicile 1")
    changes = dict(
        m.Metadata.objects.filter(resource_id=service.hsds_id, last_action_type="update").values_list(
            "field_name", "replacement_value"
        )
    )
    assert changes["name_fr"] == "Infirmières à domicile 1"
    assert changes["phones.number"] == "+3225551234"
    assert changes["service_areas"] == f"{anderlecht}, {zone}"
    assert set(m.Metadata.objects.values_list("updated_by", flat=True)) == {str(zone_admin)}
    page = zone_admin_client.get(url)
    assert {h.field_name for h in page.context["history"]} == {
        "name_fr",
        "description_nl",
        "eligibility_description_fr",
        "phones.number",
        "service_areas",
    }


def test_a_stale_edit_meets_a_conflict_and_the_first_change_survives(zone_admin, published):
    service = service_of(1)
    read_at = service.version
    services.update_service(zone_admin, service, version=read_at, fields={"name_nl": "Eerste", "name_fr": "Premier"})
    with pytest.raises(Conflict):
        services.update_service(zone_admin, service, version=read_at, fields={"name_nl": "Tweede", "name_fr": "Second"})
    service.refresh_from_db()
    assert (service.name_nl, service.version) == ("Eerste", read_at + 1)
    assert m.Metadata.objects.filter(field_name="name_nl").count() == 1


def test_the_page_says_so_on_a_conflict(zone_admin_client, zone_admin, published):
    service = service_of(1)
    read_at = service.version
    services.update_service(zone_admin, service, version=read_at, fields={"name_nl": "Eerste"})
    response = zone_admin_client.post(
        reverse("curation:service", args=[service.hsds_id]), form_data(service, version=read_at)
    )
    assert response.status_code == 200
    with translation.override("en"):
        assert response.context["form"].non_field_errors() == [
            gettext("Someone else changed this service. Reload to see their change.")
        ]


def test_bad_input_changes_nothing(zone_admin, published):
    service = service_of(1)
    read_at = service.version
    with pytest.raises(ValidationError) as no_name:
        services.update_service(zone_admin, service, version=read_at, fields={"name_nl": "", "name_fr": ""})
    assert no_name.value.code == "no_name"
    with pytest.raises(ValidationError) as ages:
        services.update_service(
            zone_admin, service, version=read_at, fields={"name_nl": "x", "minimum_age": 80, "maximum_age": 60}
        )
    assert ages.value.code == "ages"
    service.refresh_from_db()
    assert (service.name_nl, service.version, m.Metadata.objects.count()) == ("Thuisverpleging 1", read_at, 0)


def test_confirming_sets_the_assured_date_to_today(helpdesk_client, helpdesk, published):
    service = service_of(2)
    read_at = service.version
    response = helpdesk_client.post(reverse("curation:service-confirm", args=[service.hsds_id]), {"version": read_at})
    assert response.status_code == 302
    service.refresh_from_db()
    today = timezone.localdate()
    assert (service.assured_date, service.assurer_email, service.version) == (today, helpdesk.email, read_at + 1)
    change = m.Metadata.objects.get(resource_id=service.hsds_id)
    assert (change.last_action_type, change.field_name, change.previous_value, change.replacement_value) == (
        "confirm",
        "assured_date",
        "2025-01-15",
        today.isoformat(),
    )
    assert service.history.latest().history_user == helpdesk


def test_updating_availability(zone_admin_client, zone_admin, published):
    service = service_of(3)
    capacity = service.capacities.get()
    read_at = capacity.version
    response = zone_admin_client.post(
        reverse("curation:service-availability", args=[service.hsds_id]),
        {"version": capacity.version, "available": "0", "maximum": "40", "waiting_weeks": "6"},
    )
    assert response.status_code == 302
    capacity.refresh_from_db()
    assert (capacity.available, capacity.maximum, capacity.waiting_weeks, capacity.version) == (
        Decimal("0.00"),
        Decimal("40.00"),
        6,
        read_at + 1,
    )
    assert capacity.history.latest().history_user == zone_admin
    change = m.Metadata.objects.get(resource_id=capacity.hsds_id)
    assert (change.field_name, change.previous_value, change.replacement_value) == ("waiting_weeks", "", "6")
    from directory.availability import status

    assert status(service).status == "waiting_list"


def test_a_service_without_capacity_gets_one(zone_admin, published):
    service = service_of(1)
    m.ServiceCapacity.objects.filter(service=service).delete()
    capacity = services.update_availability(
        zone_admin, service, available=Decimal(2), maximum=None, waiting_weeks=None, version=None
    )
    assert (capacity.available, capacity.unit.name) == (Decimal(2), "patients")


def test_availability_bad_input_and_conflict(zone_admin, published):
    service = service_of(1)
    with pytest.raises(ValidationError) as bad:
        services.update_availability(
            zone_admin, service, available=Decimal(5), maximum=Decimal(2), waiting_weeks=None, version=1
        )
    assert bad.value.code == "capacity"
    with pytest.raises(Conflict):
        services.update_availability(
            zone_admin, service, available=Decimal(1), maximum=None, waiting_weeks=None, version=7
        )
    assert service.capacities.get().available == Decimal("0.00")


def test_the_import_page_queues_a_job_and_shows_its_progress(zone_admin_client, zone_admin, settings, tmp_path):
    settings.DIRECTORY_IMPORT_DIR = tmp_path
    # The task waits in the database for the worker, as in a deployment (tests otherwise run it at once).
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
    file = SimpleUploadedFile("services.json", b"[]", content_type="application/json")
    response = zone_admin_client.post(reverse("curation:imports"), {"file": file, "language": "nl", "mode": "merge"})
    job = m.ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("curation:import-job", args=[job.public_id])
    assert (job.created_by, job.language, job.mode, job.skip_invalid) == (zone_admin, "nl", "merge", False)
    page = zone_admin_client.get(response["Location"])
    body = page.content.decode()
    assert '<progress id="import-bar" max="100" value="0">' in body
    assert 'hx-trigger="every 1s"' in body  # polls while it runs
    assert f'href="{response["Location"]}"' in body  # and a refresh link without JavaScript
    fragment = zone_admin_client.get(response["Location"], headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="import-progress"')
    m.ImportJob.objects.update(status=m.ImportJob.Status.DONE)
    done = zone_admin_client.get(response["Location"]).content.decode()
    assert '<progress id="import-bar" max="100" value="100">' in done
    assert "hx-trigger" not in done


def test_the_import_page_refuses_a_wrong_file(zone_admin_client, settings, tmp_path):
    settings.DIRECTORY_IMPORT_DIR = tmp_path
    file = SimpleUploadedFile("services.csv", b"id\n", content_type="text/csv")
    response = zone_admin_client.post(reverse("curation:imports"), {"file": file, "language": "nl", "mode": "merge"})
    assert response.status_code == 200
    with translation.override("en"):
        assert response.context["form"].errors["file"] == [gettext("Upload an HSDS .json file or a .zip data package.")]
    assert m.ImportJob.objects.count() == 0


def test_a_failed_job_shows_the_report_in_the_readers_language(zone_admin_client, zone_admin, published):
    dataset = m.Dataset.objects.create(
        status=m.Dataset.Status.FAILED,
        report=[
            {
                "object": "service",
                "record_id": "abc",
                "field": "status",
                "code": "enum",
                "params": {"allowed": "active"},
            }
        ],
    )
    job = m.ImportJob.objects.create(
        language="nl",
        source="x.json",
        path="/nonexistent",
        created_by=zone_admin,
        dataset=dataset,
        status=m.ImportJob.Status.FAILED,
    )
    body = zone_admin_client.get(reverse("curation:import-job", args=[job.public_id])).content.decode()
    with translation.override("en"):
        expected = gettext("%(object)s %(record)s: the field “%(field)s” must be one of: %(allowed)s.") % {
            "object": "service",
            "record": "abc",
            "field": "status",
            "allowed": "active",
        }
    assert expected in body.replace("&ldquo;", "“").replace("&rdquo;", "”")
