"""Synthetic HSDS data for the import/export tests: full services with every kind of object,
ids stable per number (uuid5) so a Dutch and a French file describe the same records."""

import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

NAMESPACE = uuid.UUID("5f0c6a4e-8d4b-4c8e-9a57-2b1f3c7d9e10")

TEXT = {
    "nl": {
        "service": "Thuisverpleging {n}",
        "service_description": "Verpleging aan huis voor wie niet naar de praktijk kan ({n}).",
        "organization": "Wit-Gele Kruis afdeling {n}",
        "organization_description": "Thuisverpleging in de regio.",
        "apply": "Bel ons of vraag het aan uw huisarts.",
        "schedule": "Elke werkdag",
        "location": "Kantoor {n}",
        "term": "Thuisverpleging",
        "term_description": "Verpleegkundige zorg thuis.",
    },
    "fr": {
        "service": "Soins infirmiers à domicile {n}",
        "service_description": "Des soins à domicile pour qui ne peut se déplacer ({n}).",
        "organization": "Croix Jaune et Blanche section {n}",
        "organization_description": "Soins infirmiers dans la région.",
        "apply": "Appelez-nous ou demandez à votre médecin.",
        "schedule": "Chaque jour ouvrable",
        "location": "Bureau {n}",
        "term": "Soins infirmiers à domicile",
        "term_description": "Soins infirmiers à la maison.",
    },
}


def kbo(n: int) -> str:
    """A valid KBO/BCE number per organisation (the last two digits check the first eight)."""
    base = 4031707 + n * 1000
    return f"0{base:07d}{97 - base % 97:02d}"


def uid(kind: str, n: int | str = 0) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}-{n}"))


def service(n: int, lang: str = "nl", *, postcode: str = "1030", area: str = "Schaarbeek") -> dict[str, Any]:
    """A full HSDS 3.1 service with organisation, location, phones, a named contact (staff) with a
    priority number, a schedule, a service area, a language, a capacity and a taxonomy term."""
    text = {key: value.format(n=n) for key, value in TEXT[lang].items()}
    return {
        "id": uid("service", n),
        "name": text["service"],
        "description": text["service_description"],
        "status": "active",
        "email": f"dienst{n}@example.org",
        "url": f"https://example.org/dienst/{n}",
        "application_process": text["apply"],
        "minimum_age": 18,
        "assured_date": "2025-01-15",
        "organization": {
            "id": uid("organization", n),
            "name": text["organization"],
            "description": text["organization_description"],
            "website": "https://example.org",
            "organization_identifiers": [
                {
                    "id": uid("identifier", n),
                    "identifier_scheme": "BE-BCE_KBO",
                    "identifier_type": "KBO",
                    "identifier": kbo(n),
                }
            ],
        },
        "phones": [
            {"id": uid("phone", n), "number": "+3225550100", "type": "voice", "languages": []},
            {
                "id": uid("priority-phone", n),
                "number": "+3225550199",
                "type": "voice",
                "description": "priority",
                "attributes": [
                    {
                        "id": uid("priority-mark", n),
                        "taxonomy_term_id": uid("term-professional", 0),
                        "value": "professional-only",
                        "taxonomy_term": {
                            "id": uid("term-professional", 0),
                            "code": "professional-only",
                            "name": "professional-only",
                            "description": "For professionals only",
                        },
                    }
                ],
            },
        ],
        "contacts": [
            {
                "id": uid("contact", n),
                "name": "Greet Staff",
                "title": "coordinator",
                "email": f"greet{n}@example.org",
                "phones": [{"id": uid("contact-phone", n), "number": "+3225550177"}],
            }
        ],
        "schedules": [
            {
                "id": uid("schedule", n),
                "freq": "WEEKLY",
                "byday": "MO,TU,WE,TH,FR",
                "opens_at": "08:00",
                "closes_at": "17:00",
                "description": text["schedule"],
            }
        ],
        "service_areas": [{"id": uid("area", n), "name": area}],
        "languages": [{"id": uid("language", n), "code": lang, "name": lang}],
        "capacities": [
            {
                "id": uid("capacity", n),
                "available": 0,
                "maximum": 40,
                "updated": "2025-01-15T09:00:00+00:00",
                "unit": {"id": uid("unit", 0), "name": "patients"},
            }
        ],
        "service_at_locations": [
            {
                "id": uid("sal", n),
                "location": {
                    "id": uid("location", n),
                    "location_type": "physical",
                    "name": text["location"],
                    "addresses": [
                        {
                            "id": uid("address", n),
                            "address_1": f"Rue Royale {n}",
                            "city": area,
                            "state_province": "Brussels",
                            "postal_code": postcode,
                            "country": "BE",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "attributes": [
            {
                "id": uid("attribute", n),
                "taxonomy_term_id": uid("term", 0),
                "taxonomy_term": {
                    "id": uid("term", 0),
                    "code": "home-nursing",
                    "name": text["term"],
                    "description": text["term_description"],
                    "taxonomy_detail": {
                        "id": uid("taxonomy", 0),
                        "name": "Schakel needs",
                        "description": "Needs of people at home",
                        "version": "1",
                    },
                },
            }
        ],
    }


def services(count: int, lang: str = "nl", start: int = 1) -> list[dict[str, Any]]:
    return [service(n, lang) for n in range(start, start + count)]


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_zip(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path
