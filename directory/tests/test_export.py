"""Export as HSDS 3.1 (JSON of full services, and the data package), one language per file, valid
against the 3.1 schemas, never with what is for professionals only; import -> export -> validate
-> re-import changes nothing."""

import csv
import io
import json
import zipfile
from typing import Any

import pytest

from directory import models as m
from directory.hsds import importer, output
from directory.hsds.records import MODELS
from interop.hsds import schema
from interop.hsds.mapping import ORDER
from interop.tests import samples

# Fields that record when or how often a row was written, not what it says.
VOLATILE = {"id", "dataset", "updated_at", "version", "created_at"}


def dump() -> dict[str, list[tuple[Any, ...]]]:
    """The published directory, normalised: every record by HSDS id, references by HSDS id."""
    dataset = m.Dataset.objects.published()
    out = {}
    for obj in ORDER:
        model = MODELS[obj]
        rows = []
        for record in model._default_manager.filter(dataset=dataset).order_by("hsds_id"):
            values = []
            for field in model._meta.concrete_fields:
                if field.name in VOLATILE:
                    continue
                value = getattr(record, field.name)
                if field.is_relation and value is not None:
                    value = getattr(value, "hsds_id", value.pk)
                values.append((field.name, json.dumps(value, default=str, sort_keys=True)))
            rows.append(tuple(values))
        out[obj] = rows
    return out


def package_rows(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """The CSVs of a package, typed like the importer types them."""
    from interop.hsds.reader import _csv_rows

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        return {
            resource["name"]: list(
                _csv_rows(archive.read(resource["path"]).decode(), resource["path"], resource["name"])
            )
            for resource in descriptor["resources"]
        }


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_json_export_is_valid_hsds_31_in_one_language(published, language):
    page = output.export_json(published, language)
    assert (page["total_items"], page["total_pages"], page["page_number"], page["size"]) == (3, 1, 1, 3)
    assert (page["first_page"], page["last_page"], page["empty"]) == (True, True, False)
    for service in page["contents"]:
        assert schema.validate("3.1", "service", service) == []
    first = page["contents"][0]
    n = {samples.uid("service", i): i for i in (1, 2, 3)}[first["id"]]
    expected = {"nl": f"Thuisverpleging {n}", "fr": f"Soins infirmiers à domicile {n}"}[language]
    assert first["name"] == expected
    assert first["attributes"][0]["taxonomy_term"]["language"] == language


def test_the_export_never_holds_professional_contacts(published):
    text = json.dumps(output.export_json(published, "nl"))
    assert "Greet Staff" not in text
    assert "+3225550199" not in text  # the priority number
    assert "+3225550177" not in text  # the named contact's number
    assert "greet1@example.org" not in text
    assert "+3225550100" in text  # the public number is there
    package = output.export_package(published, "nl")
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        everything = " ".join(archive.read(name).decode() for name in archive.namelist())
    assert "Greet Staff" not in everything and "+3225550199" not in everything and "+3225550177" not in everything
    assert "+3225550100" in everything


def test_the_package_is_valid_hsds_31(published):
    tables = package_rows(output.export_package(published, "fr"))
    assert len(tables["service"]) == 3
    assert len(tables["organization_identifier"]) == 3
    assert tables["metadata"] == []
    for obj, rows in tables.items():
        for row in rows:
            assert schema.validate("3.1", obj, row, tabular=True) == [], (obj, row)
    names = sorted(row["name"] for row in tables["service"])
    assert names == [f"Soins infirmiers à domicile {n}" for n in (1, 2, 3)]
    with zipfile.ZipFile(io.BytesIO(output.export_package(published, "fr"))) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        header = next(csv.reader(io.StringIO(archive.read("services.csv").decode())))
    assert descriptor["version"] == "3.1"
    assert {r["name"] for r in descriptor["resources"]} >= {"service", "service_capacity", "unit"}
    assert header[:3] == ["id", "organization_id", "program_id"]


def test_ids_are_stable_from_one_export_to_the_next(published):
    first = [s["id"] for s in output.export_json(published, "nl")["contents"]]
    second = [s["id"] for s in output.export_json(published, "fr")["contents"]]
    assert first == second == sorted(samples.uid("service", n) for n in (1, 2, 3))


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_json_round_trip_changes_nothing(published, tmp_path, language):
    before = dump()
    page = output.export_json(published, language)
    for service in page["contents"]:
        assert schema.validate("3.1", "service", service) == []
    result = importer.import_file(samples.write_json(tmp_path / "out.json", page), language=language)
    assert result.published is True
    assert result.dataset.pk != published.pk
    assert dump() == before


def test_package_round_trip_changes_nothing(published, tmp_path):
    before = dump()
    path = tmp_path / "package.zip"
    path.write_bytes(output.export_package(published, "nl"))
    result = importer.import_file(path, language="nl")
    assert result.published is True
    assert dump() == before


def test_the_export_pages_answer_with_files(client, published):
    response = client.get("/hsds/export/services.json?lang=fr")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="schakel-hsds-services-fr.json"'
    page = json.loads(response.content)
    assert sorted(s["name"] for s in page["contents"]) == [f"Soins infirmiers à domicile {n}" for n in (1, 2, 3)]
    response = client.get("/hsds/export/datapackage.zip?lang=nl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert len(package_rows(response.content)["service"]) == 3


def test_the_export_pages_are_404_without_a_published_directory(client, db):
    assert client.get("/hsds/export/services.json").status_code == 404
