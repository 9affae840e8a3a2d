"""The CoBRHA-style registry import keeps identifiers and never duplicates an organisation."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from directory import cobrha
from directory import models as m
from interop.hsds.problems import describe
from interop.hsds.reader import ImportRefused
from interop.tests import samples

HEADER = "identifier_scheme,identifier,name_nl,name_fr,address,postcode,city,profession\n"


def registry(tmp_path, *lines: str, name: str = "cobrha.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_new_organisations_are_created_with_identifiers_and_an_address(db, tmp_path):
    path = registry(
        tmp_path,
        "KBO,0403.199.702,Thuiszorg Noord,Soins à domicile Nord,Haachtsesteenweg 1,1030,Schaarbeek,home nursing",
        "RIZIV,1-23456-25-123,Dokter Peeters,,Kerkstraat 2,2440,Geel,gp",
    )
    result = cobrha.import_registry(path)
    assert (result.created, result.updated, result.unchanged, result.problems) == (2, 0, 0, [])
    organization = m.Organization.objects.published().get(kbo_number="0403199702")
    assert (organization.name_nl, organization.name_fr, organization.profession) == (
        "Thuiszorg Noord",
        "Soins à domicile Nord",
        "home nursing",
    )
    assert [(i["type"], i["scheme"], i["value"]) for i in organization.identifiers] == [
        ("KBO", "BE-BCE_KBO", "0403199702")
    ]
    address = m.Address.objects.get(location__organization=organization)
    assert (address.postal_code, address.municipality.name_nl, address.state_province) == (
        "1030",
        "Schaarbeek",
        "Brussels",
    )
    doctor = m.Organization.objects.published().get(riziv_number="12345625123")
    assert doctor.name_nl == "Dokter Peeters"


def test_an_existing_organisation_is_matched_by_identifier(published, tmp_path):
    """The published sample organisations carry a KBO number (HSDS organization_identifiers)."""
    before = m.Organization.objects.published().count()
    path = registry(tmp_path, f"BCE,{samples.kbo(1)},,Autre nom,Rue 1,1000,Bruxelles,nursing")
    result = cobrha.import_registry(path)
    assert (result.created, result.updated) == (0, 1)
    assert m.Organization.objects.published().count() == before
    organization = m.Organization.objects.published().get(kbo_number=samples.kbo(1))
    assert organization.name_fr.startswith("Croix Jaune et Blanche")  # never overwritten
    assert organization.profession == "nursing"  # an empty field is filled


def test_an_existing_organisation_is_matched_by_name_and_postcode(published, tmp_path):
    path = registry(tmp_path, "RIZIV,65432141001,WIT-GELE KRUIS afdeling 2,,,1030,,")
    result = cobrha.import_registry(path)
    assert (result.created, result.updated) == (0, 1)
    organization = m.Organization.objects.published().get(hsds_id=samples.uid("organization", 2))
    assert organization.riziv_number == "65432141001"
    assert {i["type"] for i in organization.identifiers} == {"KBO", "RIZIV"}
    # the same name elsewhere is another organisation
    other = registry(tmp_path, "RIZIV,12345625123,Wit-Gele Kruis afdeling 2,,,2440,,", name="other.csv")
    assert cobrha.import_registry(other).created == 1


def test_importing_twice_changes_nothing_the_second_time(db, tmp_path):
    path = registry(tmp_path, "KBO,0417497106,Lokaal Dienstencentrum,,Markt 1,2440,Geel,")
    cobrha.import_registry(path)
    result = cobrha.import_registry(path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert m.Organization.objects.count() == 1


def test_two_rows_for_one_organisation_make_one(db, tmp_path):
    path = registry(
        tmp_path,
        "KBO,0417497106,Huisartsenpraktijk De Linde,,Markt 1,2440,Geel,gp practice",
        "RIZIV,12345625123,Huisartsenpraktijk de Linde,,Markt 1,2440,Geel,gp practice",
    )
    result = cobrha.import_registry(path)
    assert (result.created, result.updated) == (1, 1)
    organization = m.Organization.objects.get()
    assert (organization.kbo_number, organization.riziv_number) == ("0417497106", "12345625123")


def test_invalid_rows_are_reported_and_nothing_changes(db, tmp_path):
    path = registry(
        tmp_path,
        "KBO,0417497107,Wrong check digits,,,2440,,",
        "FOO,123,Unknown scheme,,,2440,,",
        "KBO,0417497106,,,,2440,,",
        "KBO,0417497106,Bad postcode,,,24400,,",
        "KBO,0417497106,Fine,,,2440,,",
    )
    with translation.override("en"):
        result = cobrha.import_registry(path)
    assert [(p["record_id"], p["field"], p["code"]) for p in result.problems] == [
        ("2", "identifier", "bad_identifier"),
        ("3", "identifier_scheme", "enum"),
        ("4", "name_nl", "required"),
        ("5", "postcode", "bad_postcode"),
    ]
    assert m.Organization.objects.count() == 0
    with translation.override("en"):
        assert describe(result.problems[0]) == gettext(
            "%(object)s %(record)s: the identifier “%(value)s” is not valid: %(reason)s"
        ) % {
            "object": "organization",
            "record": "2",
            "value": "0417497107",
            "reason": gettext("%(value)s is not a valid KBO/BCE enterprise number.") % {"value": "0417497107"},
        }
    assert cobrha.import_registry(path, skip_invalid=True).created == 1


def test_semicolons_are_accepted(db, tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text(HEADER.replace(",", ";") + "KBO;0417497106;Naam;;;2440;;\n", encoding="utf-8")
    assert cobrha.import_registry(path).created == 1


@pytest.mark.parametrize(
    ("content", "message", "params"),
    [
        (
            "name_nl\nx\n",
            "%(file)s lacks the columns: %(columns)s.",
            {"file": "r.csv", "columns": "identifier_scheme, identifier, postcode"},
        ),
        (
            HEADER + 'KBO,"0417497106,x\n',
            "%(file)s is not valid CSV (line %(line)s: %(reason)s).",
            {"file": "r.csv", "line": 1, "reason": "unexpected end of data"},
        ),
        (
            HEADER + "KBO,0417497106\n",
            "%(file)s, line %(line)s: the number of cells does not match the header.",
            {"file": "r.csv", "line": 2},
        ),
    ],
)
def test_a_malformed_file_is_refused(db, tmp_path, content, message, params):
    path = tmp_path / "r.csv"
    path.write_text(content, encoding="utf-8")
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        cobrha.import_registry(path)
    assert refused.value.message == gettext(message) % params
    assert m.Organization.objects.count() == 0


def test_an_oversized_file_is_refused(db, tmp_path, settings):
    settings.DIRECTORY_IMPORT_MAX_BYTES = 100
    path = registry(tmp_path, *["KBO,0417497106,Naam,,,2440,,"] * 10)
    with pytest.raises(ImportRefused):
        cobrha.import_registry(path)
    assert m.Organization.objects.count() == 0


def test_the_command(db, tmp_path):
    path = registry(tmp_path, "KBO,0417497106,Naam,,,2440,,")
    call_command("import_cobrha", str(path), verbosity=0)
    assert m.Organization.objects.count() == 1
    bad = registry(tmp_path, "KBO,1,Naam,,,2440,,", name="bad.csv")
    with pytest.raises(CommandError):
        call_command("import_cobrha", str(bad), verbosity=0)
