"""Importing HSDS 3.0/3.1 JSON and data packages: ids kept, languages merged by id, every record
validated with a report in the reader's language, bad files refused with nothing changed."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from directory import models as m
from directory.hsds import datasets, importer, output
from interop.hsds import checking
from interop.hsds.exporter import page_of
from interop.hsds.reader import ImportRefused
from interop.tests import samples


def snapshot() -> dict[str, object]:
    """What readers see: the published dataset and its services."""
    dataset = m.Dataset.objects.published()
    return {
        "dataset": dataset.pk if dataset else None,
        "services": sorted(m.Service.objects.published().values_list("hsds_id", "name_nl", "name_fr")),
        "datasets": m.Dataset.objects.exclude(status=m.Dataset.Status.FAILED).count(),
    }


def test_json_import_keeps_ids_and_fills_the_stated_language(db, tmp_path):
    path = samples.write_json(tmp_path / "nl.json", samples.services(2, "nl"))
    result = importer.import_file(path, language="nl")
    assert result.published is True
    service = m.Service.objects.published().get(hsds_id=samples.uid("service", 1))
    assert (service.name_nl, service.name_fr) == ("Thuisverpleging 1", "")
    assert service.organization.hsds_id == samples.uid("organization", 1)
    assert service.organization.kbo_number == samples.kbo(1)
    assert [a.municipality.name_nl for a in service.service_areas.all()] == ["Schaarbeek"]
    address = m.Address.objects.get(hsds_id=samples.uid("address", 1))
    assert (address.postal_code, address.municipality.postcode) == ("1030", "1030")
    capacity = service.capacities.get()
    assert (capacity.available, capacity.maximum, capacity.unit.name) == (Decimal("0.00"), Decimal("40.00"), "patients")
    assert list(service.terms.values_list("code", flat=True)) == ["home-nursing"]
    assert result.counts["service"] == 2


def test_a_named_contact_and_a_marked_phone_are_professional_only(db, tmp_path):
    importer.import_file(samples.write_json(tmp_path / "nl.json", samples.services(1)), language="nl")
    contact = m.Contact.objects.get(hsds_id=samples.uid("contact", 1))
    assert (contact.name, contact.professional_only) == ("Greet Staff", True)
    phones = dict(m.Phone.objects.values_list("hsds_id", "professional_only"))
    assert phones[samples.uid("phone", 1)] is False
    assert phones[samples.uid("priority-phone", 1)] is True


def test_the_same_ids_in_french_fill_the_french_fields(published):
    service = m.Service.objects.published().get(hsds_id=samples.uid("service", 2))
    assert (service.name_nl, service.name_fr) == ("Thuisverpleging 2", "Soins infirmiers à domicile 2")
    assert service.description_nl.startswith("Verpleging aan huis")
    assert service.description_fr.startswith("Des soins à domicile")
    schedule = service.schedules.get()
    assert (schedule.description_nl, schedule.description_fr) == ("Elke werkdag", "Chaque jour ouvrable")
    organization = service.organization
    assert (organization.name_nl, organization.name_fr) == (
        "Wit-Gele Kruis afdeling 2",
        "Croix Jaune et Blanche section 2",
    )
    assert m.Dataset.objects.filter(status=m.Dataset.Status.PUBLISHED).count() == 1


def test_without_a_stated_language_a_service_takes_its_languages(db, tmp_path):
    importer.import_file(samples.write_json(tmp_path / "fr.json", samples.services(1, "fr")), language=None)
    service = m.Service.objects.published().get()
    assert (service.name_nl, service.name_fr) == ("", "Soins infirmiers à domicile 1")


def test_without_any_language_the_service_is_rejected(db, tmp_path):
    data = samples.services(1)
    data[0]["languages"] = [{"id": samples.uid("l-nl"), "code": "nl"}, {"id": samples.uid("l-fr"), "code": "fr"}]
    result = importer.import_file(samples.write_json(tmp_path / "x.json", data), language=None)
    assert result.published is False
    assert [(p["object"], p["field"], p["code"]) for p in result.problems] == [("service", "languages", "no_language")]


def test_an_api_page_of_services_is_accepted(db, tmp_path):
    page = page_of(2, 1, 2, samples.services(2))
    result = importer.import_file(samples.write_json(tmp_path / "page.json", page), language="nl")
    assert result.counts["service"] == 2


def test_hsds_30_data_is_validated_against_30(db, tmp_path):
    data = samples.services(1)
    del data[0]["capacities"]  # 3.0 has no capacities
    result = importer.import_file(samples.write_json(tmp_path / "v30.json", data), language="nl")
    assert result.published is True
    # 3.1-only keys make the file 3.1
    assert importer.read(samples.write_json(tmp_path / "v31.json", samples.services(1))).version == "3.1"
    assert importer.read(tmp_path / "v30.json").version == "3.0"


def test_rejected_records_are_reported_and_nothing_is_published(published, tmp_path):
    before = snapshot()
    data = samples.services(2, "nl", start=10)
    data[0]["status"] = "open"  # not in the enum
    del data[1]["phones"][0]["number"]  # required
    result = importer.import_file(samples.write_json(tmp_path / "bad.json", data), language="nl")
    assert result.published is False
    problems = sorted((p["object"], p["record_id"], p["field"], p["code"]) for p in result.problems)
    assert problems == [
        ("phone", samples.uid("service", 11), "phones[0].number", "required"),
        ("service", samples.uid("service", 10), "status", "enum"),
    ]
    assert snapshot() == before
    failed = result.dataset
    assert failed.status == m.Dataset.Status.FAILED
    assert len(failed.report) == 2
    assert m.Service.objects.filter(dataset=failed).count() == 0


@pytest.mark.parametrize("chunk_size", [1, 2, 500])
def test_a_second_process_checks_the_services_with_the_same_verdicts(db, tmp_path, settings, chunk_size):
    """From DIRECTORY_IMPORT_PARALLEL_FROM services, a forked child checks them against the schema
    (interop/hsds/checking.py); its verdicts are those of checking them here."""
    data = samples.services(5, "nl", start=10)
    data[1]["status"] = "open"
    del data[3]["phones"][0]["number"]
    data.insert(2, "not a service")
    path = samples.write_json(tmp_path / "five.json", data)
    found = {}
    for parallel_from in (10**9, 1):
        settings.DIRECTORY_IMPORT_PARALLEL_FROM = parallel_from
        result = importer.import_file(path, language="nl", skip_invalid=True, chunk_size=chunk_size)
        found[parallel_from] = (
            sorted((p["object"], p["record_id"], p["field"], p["code"]) for p in result.problems),
            sorted(m.Service.objects.published().values_list("hsds_id", flat=True)),
        )
    assert found[1] == found[10**9]
    assert found[1][0] == [
        ("phone", samples.uid("service", 13), "phones[0].number", "required"),
        ("service", "3", "", "not_an_object"),
        ("service", samples.uid("service", 11), "status", "enum"),
    ]
    assert found[1][1] == sorted(samples.uid("service", n) for n in (10, 12, 14))


def test_a_checking_process_that_fails_stops_the_import_and_changes_nothing(published, tmp_path, settings, monkeypatch):
    settings.DIRECTORY_IMPORT_PARALLEL_FROM = 1
    before = snapshot()

    def broken(*args, **kwargs):
        raise MemoryError("no room")

    monkeypatch.setattr(checking.schema, "validate", broken)  # inherited by the forked child
    with pytest.raises(checking.CheckFailed, match="MemoryError: no room"):
        importer.import_file(
            samples.write_json(tmp_path / "x.json", samples.services(3, "nl", start=20)), language="nl"
        )
    assert snapshot() == before


def test_skip_invalid_publishes_the_valid_records(db, tmp_path):
    data = samples.services(3)
    data[1]["minimum_age"] = "eighteen"
    result = importer.import_file(samples.write_json(tmp_path / "x.json", data), language="nl", skip_invalid=True)
    assert result.published is True
    assert sorted(m.Service.objects.published().values_list("hsds_id", flat=True)) == sorted(
        [samples.uid("service", 1), samples.uid("service", 3)]
    )
    assert [(p["field"], p["code"]) for p in result.dataset.report] == [("minimum_age", "type")]


def test_a_value_the_schema_allows_but_the_model_cannot_hold_is_rejected(db, tmp_path):
    data = samples.services(1)
    data[0]["assured_date"] = "15/01/2025"
    data[0]["minimum_age"] = -3
    result = importer.import_file(samples.write_json(tmp_path / "x.json", data), language="nl")
    assert result.published is False
    assert [(p["field"], p["code"]) for p in result.problems] == [("minimum_age", "out_of_range")]


def test_an_unknown_reference_is_rejected(published, tmp_path):
    before = snapshot()
    data = samples.services(1, start=20)
    del data[0]["organization"]
    data[0]["organization_id"] = samples.uid("organization", 999)
    result = importer.import_file(samples.write_json(tmp_path / "x.json", data), language="nl")
    assert result.published is False
    assert [(p["object"], p["field"], p["code"], p["params"]["value"]) for p in result.problems] == [
        ("service", "organization_id", "unknown_reference", samples.uid("organization", 999))
    ]
    assert snapshot() == before


def test_a_reference_to_a_published_record_is_fine_when_merging(published, tmp_path):
    data = samples.services(1, start=30)
    del data[0]["organization"]
    data[0]["organization_id"] = samples.uid("organization", 1)
    result = importer.import_file(samples.write_json(tmp_path / "x.json", data), language="nl")
    assert result.published is True
    service = m.Service.objects.published().get(hsds_id=samples.uid("service", 30))
    assert service.organization.name_fr == "Croix Jaune et Blanche section 1"
    assert m.Service.objects.published().count() == 4  # merge keeps the three others


def test_replace_mode_keeps_only_the_file(published, tmp_path):
    result = importer.import_file(
        samples.write_json(tmp_path / "x.json", samples.services(1, "nl")), language="nl", mode="replace"
    )
    assert result.published is True
    services = m.Service.objects.published()
    assert list(services.values_list("hsds_id", flat=True)) == [samples.uid("service", 1)]
    # the French text of the same id still joins
    assert services.get().name_fr == "Soins infirmiers à domicile 1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"id": ', "The file is not valid JSON (line %(line)s, column %(column)s: %(reason)s)."),
        (
            '{"services": []}',
            "The JSON must be a list of HSDS services, or an HSDS API page with a “contents” list of services.",
        ),
    ],
)
def test_malformed_json_is_refused_and_nothing_changes(published, tmp_path, content, message):
    before = snapshot()
    path = tmp_path / "bad.json"
    path.write_text(content)
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        importer.import_file(path, language="nl")
    expected = gettext(message)
    if "%(line)s" in message:
        expected = expected % {"line": 1, "column": 9, "reason": "Expecting value"}
    assert refused.value.message == expected
    assert snapshot() == before
    assert m.Dataset.objects.filter(status=m.Dataset.Status.FAILED).get().message == expected


@override_settings(DIRECTORY_IMPORT_MAX_BYTES=1000)
def test_an_oversized_file_is_refused(published, tmp_path):
    before = snapshot()
    path = samples.write_json(tmp_path / "big.json", samples.services(3))
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        importer.import_file(path, language="nl")
    size = round(path.stat().st_size / 1_048_576, 1)
    assert refused.value.message == gettext("The file is too large (%(size)s MB); the limit is %(limit)s MB.") % {
        "size": size,
        "limit": 0.0,
    }
    assert snapshot() == before


def test_too_many_records_are_refused(published, tmp_path, settings):
    settings.DIRECTORY_IMPORT_MAX_ROWS = 40
    before = snapshot()
    path = samples.write_json(tmp_path / "many.json", samples.services(3))
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        importer.import_file(path, language="nl")
    assert refused.value.message == gettext("The file has too many records (%(rows)s); the limit is %(limit)s.") % {
        "rows": 60,
        "limit": 40,
    }
    assert snapshot() == before
    settings.DIRECTORY_IMPORT_MAX_ROWS = 60
    assert importer.import_file(path, language="nl").published is True


# --- the tabular data package ---


def package_files(language: str = "fr") -> dict[str, str | bytes]:
    """A data package made by the exporter from a small directory (then changed by each test)."""
    with zip_of(output.export_package(m.Dataset.objects.published(), language)) as archive:  # type: ignore[arg-type]  # the sample is published
        return {name: archive.read(name).decode() for name in archive.namelist()}


def zip_of(data: bytes):
    return zipfile.ZipFile(io.BytesIO(data))


def rewrite_csv(text: str, change) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(csv.DictReader(io.StringIO(text)).fieldnames or []))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_a_data_package_folder_and_zip_import(published, tmp_path):
    files = package_files("fr")
    folder = tmp_path / "package"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_text(str(content))
    # Start empty: nothing to merge with.
    m.Dataset.objects.update(status=m.Dataset.Status.RETIRED)
    for dataset in m.Dataset.objects.all():
        datasets.purge_records(dataset)
    result = importer.import_file(folder, language="fr")
    assert result.published is True
    service = m.Service.objects.published().get(hsds_id=samples.uid("service", 1))
    assert (service.name_nl, service.name_fr) == ("", "Soins infirmiers à domicile 1")
    assert service.capacities.get().unit.name == "patients"
    assert service.organization.kbo_number == samples.kbo(1)
    zipped = samples.write_zip(tmp_path / "package.zip", files)
    assert importer.import_file(zipped, language="nl").published is True
    service = m.Service.objects.published().get(hsds_id=samples.uid("service", 1))
    assert service.name_nl == "Soins infirmiers à domicile 1"  # stated Dutch: the text went to nl


def test_a_package_needs_a_stated_language(published, tmp_path):
    zipped = samples.write_zip(tmp_path / "p.zip", package_files())
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        importer.import_file(zipped, language=None)
    assert refused.value.message == gettext("State the language of the data package (Dutch or French).")


def test_a_package_with_a_wrong_type_and_a_bad_reference_is_rejected(published, tmp_path):
    before = snapshot()
    files = package_files()

    def break_services(rows):
        rows[0]["minimum_age"] = "old"

    def break_phones(rows):
        rows[0]["service_id"] = samples.uid("service", 404)

    files["services.csv"] = rewrite_csv(str(files["services.csv"]), break_services)
    files["phones.csv"] = rewrite_csv(str(files["phones.csv"]), break_phones)
    result = importer.import_file(samples.write_zip(tmp_path / "p.zip", files), language="fr", mode="replace")
    assert result.published is False
    codes = sorted((p["object"], p["field"], p["code"]) for p in result.problems)
    assert ("service", "minimum_age", "type") in codes
    assert ("phone", "service_id", "unknown_reference") in codes
    # records pointing at the rejected service go too, and say why
    assert ("service_at_location", "service_id", "rejected_parent") in codes
    assert snapshot() == before


MALFORMED_PACKAGES = [
    (
        "services.csv",
        'id,name\n"abc,unclosed\n',
        "%(file)s is not valid CSV (line %(line)s: %(reason)s).",
        {"file": "services.csv", "line": 2, "reason": "unexpected end of data"},
    ),
    (
        "services.csv",
        "id,name,status\n1,2\n",
        "%(file)s, line %(line)s: %(found)s cells where the header has %(expected)s.",
        {"file": "services.csv", "line": 2, "found": 2, "expected": 3},
    ),
    (
        "services.csv",
        "name,status\nx,active\n",
        "%(file)s has no header row with an “id” column.",
        {"file": "services.csv"},
    ),
    ("datapackage.json", "{not json", "datapackage.json is not a valid data package descriptor.", {}),
]


@pytest.mark.parametrize(("name", "content", "message", "params"), MALFORMED_PACKAGES)
def test_a_malformed_package_is_refused(published, tmp_path, name, content, message, params):
    before = snapshot()
    files = package_files()
    files[name] = content
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        importer.import_file(samples.write_zip(tmp_path / "p.zip", files), language="fr")
    assert refused.value.message == (gettext(message) % params if params else gettext(message))
    assert snapshot() == before


def test_a_zip_that_unpacks_too_big_is_refused(published, tmp_path, settings):
    files = package_files()
    files["services.csv"] = str(files["services.csv"]) + "\n" * 50_000  # compresses to almost nothing
    path = samples.write_zip(tmp_path / "bomb.zip", files)
    settings.DIRECTORY_IMPORT_MAX_BYTES = 40_000
    assert path.stat().st_size < 40_000
    with pytest.raises(ImportRefused):
        importer.import_file(path, language="fr")


def test_a_damaged_zip_is_refused(published, tmp_path):
    before = snapshot()
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in package_files().items():
            archive.writestr(name, content)
    data = bytearray(path.read_bytes())
    at = data.index(b'"resources"')
    data[at + 1 : at + 4] = b"XYZ"  # the stored bytes no longer match their CRC
    path.write_bytes(bytes(data))
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        importer.import_file(path, language="fr")
    assert refused.value.message == gettext("The zip file is damaged and cannot be read.")
    assert snapshot() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
def test_sqlite_import_settings_are_restored_after_the_import(db, tmp_path, monkeypatch):
    def current():
        with connection.cursor() as cursor:
            found = {}
            for name in importer.SQLITE_IMPORT_PRAGMAS:
                cursor.execute(f"PRAGMA {name}")
                found[name] = cursor.fetchone()[0]
            return found

    before = current()
    seen = {}
    real = importer._Import.stage

    def stage(self, tables):
        seen.update(current())
        return real(self, tables)

    monkeypatch.setattr(importer._Import, "stage", stage)
    importer.import_file(samples.write_json(tmp_path / "x.json", samples.services(2)), language="nl")
    assert seen == importer.SQLITE_IMPORT_PRAGMAS
    assert current() == before
