"""Synthetic HSDS 3.1 data for the social-map benchmark: N full services as JSON, written to var/.

    python -m bench.map_data 10000          # var/bench-map-10000-nl.json and -fr.json

Deterministic (seeded random, uuid5 ids): the same N gives the same files. No Django needed. The
services look like a real regional directory: names and descriptions built from the need
taxonomy's names and provider jargon (directory/data/need_taxonomy.toml) with invented brands, in
the real municipalities of shared/data/geography.csv (core/data/geography.csv), with service areas
(a municipality, two, or a care zone), opening hours, phones, spoken languages, capacities with
waiting lists, an organisation shared by a few services, and a provider taxonomy term on most of
them (about one in seven carries none, for the term suggestions). The Dutch file holds every
service; the French file the same ids for the Brussels services only (a merge import adds the
French text). Every person, phone number and address is invented.
"""

import csv
import json
import random
import sys
import tomllib
import uuid
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
TAXONOMY = BASE_DIR / "directory" / "data" / "need_taxonomy.toml"
GEOGRAPHY = BASE_DIR / "core" / "data" / "geography.csv"
SEED = 20261123
NAMESPACE = uuid.UUID("0b6f4a52-7c1e-4d3a-9e0f-5a8b2c4d6e71")
WITHOUT_TERM = 7  # one service in this many carries no taxonomy term

BRANDS = [
    ("De Linde", "Les Tilleuls"),
    ("Zonnebloem", "Le Tournesol"),
    ("Het Anker", "L'Ancre"),
    ("De Brug", "Le Pont"),
    ("Samen", "Ensemble"),
    ("Het Kompas", "La Boussole"),
    ("Den Eik", "Le Chêne"),
    ("De Bron", "La Source"),
    ("De Vlinder", "Le Papillon"),
    ("Regenboog", "Arc-en-ciel"),
    ("De Zon", "Le Soleil"),
    ("Sint-Jozef", "Saint-Joseph"),
]
STREETS = [
    ("Kerkstraat", "Rue de l'Église"),
    ("Stationsstraat", "Rue de la Gare"),
    ("Molenstraat", "Rue du Moulin"),
    ("Schoolstraat", "Rue de l'École"),
    ("Lindenlaan", "Avenue des Tilleuls"),
    ("Nieuwstraat", "Rue Neuve"),
    ("Dorpsstraat", "Rue du Village"),
]
TEXT: dict[str, dict[str, Any]] = {
    "nl": {
        "description": "{jargon}. Voor inwoners van {place} en omgeving. {extra}",
        "extra": [
            "Onze medewerkers werken samen met de huisarts en de andere zorgverleners.",
            "Een maatschappelijk werker bekijkt samen met u wat nodig is.",
            "We werken met een team van professionals en vrijwilligers.",
            "Neem contact op voor een eerste gesprek.",
        ],
        "organization": "vzw {brand} {place}",
        "organization_description": "Vereniging zonder winstoogmerk in {place}.",
        "apply": "Bel ons of kom langs tijdens de openingsuren.",
        "fees": "Volgens inkomen.",
        "eligibility": "Inwoners van {place} die hulp nodig hebben.",
        "schedule": "Elke werkdag",
        "office": "Kantoor {brand}",
        "term": "Providertaxonomie",
    },
    "fr": {
        "description": "{jargon}. Pour les habitants de {place} et environs. {extra}",
        "extra": [
            "Notre équipe travaille avec le médecin traitant et les autres soignants.",
            "Un assistant social examine avec vous ce qui est nécessaire.",
            "Une équipe de professionnels et de bénévoles.",
            "Contactez-nous pour un premier entretien.",
        ],
        "organization": "asbl {brand} {place}",
        "organization_description": "Association sans but lucratif à {place}.",
        "apply": "Appelez-nous ou passez pendant les heures d'ouverture.",
        "fees": "Selon les revenus.",
        "eligibility": "Habitants de {place} qui ont besoin d'aide.",
        "schedule": "Chaque jour ouvrable",
        "office": "Bureau {brand}",
        "term": "Taxonomie du prestataire",
    },
}
SPOKEN = [("en", "English"), ("ar", "العربية"), ("tr", "Türkçe"), ("es", "Español")]
UNITS = ["patients", "klanten", "plaatsen", "maaltijden"]


def uid(kind: str, n: int | str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}-{n}"))


def _needs() -> list[dict[str, Any]]:
    with open(TAXONOMY, "rb") as handle:
        return [term for term in tomllib.load(handle)["term"] if term.get("jargon")]


def _places() -> list[dict[str, str]]:
    with open(GEOGRAPHY, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class Generator:
    def __init__(self, count: int, seed: int = SEED) -> None:
        self.count = count
        self.rng = random.Random(seed)
        self.needs = _needs()
        self.places = _places()
        self.zones = sorted({place["zone"] for place in self.places})

    def services(self) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
        """(Dutch service, French service or None) for each number."""
        return [self.service(n) for n in range(self.count)]

    def service(self, n: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
        rng = self.rng
        need = self.needs[n % len(self.needs)]
        home = self.places[rng.randrange(len(self.places))]
        brand = rng.choice(BRANDS)
        street = rng.choice(STREETS)
        brussels = home["region"] == "Brussels"
        org_n = n // 3  # an organisation runs about three services, in one place
        choices = {
            "extra": rng.randrange(4),
            "jargon": rng.sample(need["jargon"], k=min(2, len(need["jargon"]))),
            "areas": rng.random(),
            "second": self.places[rng.randrange(len(self.places))],
            "spoken": rng.sample(SPOKEN, k=rng.choice((0, 0, 1, 2))),
            "capacity": rng.random(),
            "available": rng.randrange(0, 8),
            "maximum": rng.randrange(10, 80),
            "number": rng.randrange(100, 999),
            "house": rng.randrange(1, 200),
            "opens": rng.choice(("08:00", "08:30", "09:00")),
            "closes": rng.choice(("16:00", "17:00", "18:00")),
        }
        dutch = self._record(n, org_n, need, home, brand, street, "nl", choices, brussels)
        french = self._record(n, org_n, need, home, brand, street, "fr", choices, brussels) if brussels else None
        return dutch, french

    def _record(
        self,
        n: int,
        org_n: int,
        need: dict[str, Any],
        home: dict[str, str],
        brand: tuple[str, str],
        street: tuple[str, str],
        lang: str,
        c: dict[str, Any],
        brussels: bool,
    ) -> dict[str, Any]:
        text = TEXT[lang]
        index = 0 if lang == "nl" else 1
        place = home["name_nl"] if lang == "nl" else (home["name_fr"] or home["name_nl"])
        jargon = ", ".join(c["jargon"])
        jargon = jargon[0].upper() + jargon[1:]
        if c["areas"] < 0.6:
            areas = [{"id": uid("area", n), "name": place}]
        elif c["areas"] < 0.85:
            second = c["second"]["name_nl"] if lang == "nl" else (c["second"]["name_fr"] or c["second"]["name_nl"])
            areas = [{"id": uid("area", n), "name": place}, {"id": uid("area2", n), "name": second}]
        else:
            areas = [{"id": uid("area", n), "name": home["zone"]}]
        languages = [{"id": uid(f"lang-{lang}", n), "code": lang, "name": "Nederlands" if lang == "nl" else "Français"}]
        if brussels:
            other = "fr" if lang == "nl" else "nl"
            languages.append(
                {"id": uid(f"lang-{other}", n), "code": other, "name": "Français" if other == "fr" else "Nederlands"}
            )
        languages += [{"id": uid(f"lang-{code}", n), "code": code, "name": name} for code, name in c["spoken"]]
        service: dict[str, Any] = {
            "id": uid("service", n),
            "name": f"{need['name'][lang]} {brand[index]} {place}",
            "description": text["description"].format(jargon=jargon, place=place, extra=text["extra"][c["extra"]]),
            "status": "active",
            "email": f"info{n}@example.org",
            "application_process": text["apply"],
            "fees_description": text["fees"],
            "eligibility_description": text["eligibility"].format(place=place),
            "assured_date": "2026-10-01",
            "organization": {
                "id": uid("organization", org_n),
                "name": text["organization"].format(brand=brand[index], place=place),
                "description": text["organization_description"].format(place=place),
            },
            "phones": [{"id": uid("phone", n), "number": f"+32 2 555 {c['number']:03d}", "type": "voice"}],
            "schedules": [
                {
                    "id": uid("schedule", n),
                    "freq": "WEEKLY",
                    "byday": "MO,TU,WE,TH,FR",
                    "opens_at": c["opens"],
                    "closes_at": c["closes"],
                    "description": text["schedule"],
                }
            ],
            "service_areas": areas,
            "languages": languages,
            "service_at_locations": [
                {
                    "id": uid("sal", n),
                    "location": {
                        "id": uid("location", n),
                        "location_type": "physical",
                        "name": text["office"].format(brand=brand[index]),
                        "addresses": [
                            {
                                "id": uid("address", n),
                                "address_1": f"{street[index]} {c['house']}",
                                "city": place,
                                "state_province": home["region"],
                                "postal_code": home["postcode"],
                                "country": "BE",
                                "address_type": "physical",
                            }
                        ],
                    },
                }
            ],
        }
        if c["capacity"] < 0.6:
            unit = UNITS[n % len(UNITS)]
            service["capacities"] = [
                {
                    "id": uid("capacity", n),
                    "available": c["available"] if c["capacity"] < 0.3 else 0,
                    "maximum": c["maximum"],
                    "updated": "2026-10-01T09:00:00+00:00",
                    "unit": {"id": uid("unit", unit), "name": unit},
                }
            ]
        if n % WITHOUT_TERM:
            service["attributes"] = [
                {
                    "id": uid("attribute", n),
                    "taxonomy_term_id": uid("term", need["code"]),
                    "taxonomy_term": {
                        "id": uid("term", need["code"]),
                        "code": need["code"],
                        "name": need["name"][lang],
                        "description": need["name"][lang],
                        "taxonomy_detail": {
                            "id": uid("taxonomy", "provider"),
                            "name": text["term"],
                            "description": text["term"],
                            "version": "1",
                        },
                    },
                }
            ]
        return service


def paths(count: int) -> dict[str, Path]:
    return {lang: VAR / f"bench-map-{count}-{lang}.json" for lang in ("nl", "fr")}


def write(count: int) -> dict[str, Path]:
    """Write (or reuse, when already made for this count) the Dutch and French files."""
    files = paths(count)
    if all(path.exists() for path in files.values()):
        return files
    VAR.mkdir(exist_ok=True)
    pairs = Generator(count).services()
    for lang, index in (("nl", 0), ("fr", 1)):
        records = [pair[index] for pair in pairs if pair[index] is not None]
        partial = files[lang].with_suffix(".part")
        partial.write_text(json.dumps(records, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        partial.replace(files[lang])
    return files


if __name__ == "__main__":
    for made in write(int(sys.argv[1]) if len(sys.argv) > 1 else 1000).values():
        print(made)
