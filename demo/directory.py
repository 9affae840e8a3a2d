"""The synthetic social map of the demo zone: some 2,000 services across Brussels (names and
descriptions in Dutch and French) and the Kempen (Dutch), in the real municipalities of
core.Municipality, each tagged with a need of the need taxonomy.

Generated deterministically (seeded random) from templates per need, with bulk inserts, as one
published Dataset; then the search index is built. Every organisation, address, phone number and
staff name is invented. The descriptions use the providers' own words (the taxonomy's jargon), as
real directories do, so that finding them in everyday words is the search's job.
"""

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from core.models import CareZone, Municipality
from directory import taxonomy
from directory.models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    Dataset,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    Unit,
)
from directory.search.index import rebuild_index
from directory.search.models import NeedTerm

SEED = 20260115
LABEL = "Demo social map (synthetic)"
NAMESPACE = uuid.UUID("6f1d3c1e-5b8a-4f0e-9c3b-3d7a1e2f4a50")

# Municipalities with more inhabitants get more of the services that come in numbers.
SIZE = {"21004": 3, "21001": 2, "21015": 2, "21012": 2, "21009": 2, "21016": 2, "13040": 2, "13008": 2, "13025": 2}


@dataclass(frozen=True)
class Kind:
    """How one need appears in the demo: names, where it works, how many, how it fills up."""

    code: str
    names_nl: tuple[str, ...]
    names_fr: tuple[str, ...]
    scope: str = "municipality"  # or "zone" (one per care zone), "region" (everywhere)
    count: int = 1  # per municipality (times SIZE when `scales`), per zone, or in all
    scales: bool = False
    capacity: str = ""  # unit of places when it has a waiting list ("" = no capacity data)
    fee_nl: str = "Volgens inkomen."
    fee_fr: str = "Selon les revenus."
    apply_nl: str = "Bel ons of kom langs tijdens de openingsuren."
    apply_fr: str = "Appelez-nous ou passez pendant les heures d'ouverture."
    for_nl: str = "Inwoners van de gemeente die hulp nodig hebben."
    for_fr: str = "Habitants de la commune qui ont besoin d'aide."
    hours: str = "office"  # office | always | mornings | weekdays_late
    min_age: int | None = None


KINDS = [
    Kind(
        "home-nursing",
        ("Thuisverpleging", "Thuisverpleegkundigen", "Verpleegkundige zorg aan huis"),
        ("Soins infirmiers à domicile", "Infirmiers à domicile", "Centre de soins à domicile"),
        count=3,
        scales=True,
        capacity="patients",
        fee_nl="Terugbetaald door de mutualiteit op voorschrift.",
        fee_fr="Remboursé par la mutuelle sur prescription.",
        apply_nl="Via uw huisarts of bel ons rechtstreeks.",
        apply_fr="Via votre médecin ou appelez-nous directement.",
        hours="always",
    ),
    Kind(
        "family-help",
        ("Dienst voor gezinszorg", "Gezinszorg", "Aanvullende thuiszorg"),
        ("Service d'aide aux familles", "Aide familiale", "Aide aux familles et aux seniors"),
        count=2,
        scales=True,
        capacity="gezinnen",
        for_nl="Ouderen, zieken en gezinnen met een zorgnood.",
        for_fr="Personnes âgées, malades et familles qui ont besoin d'aide.",
    ),
    Kind(
        "cleaning-help",
        ("Poetsdienst", "Huishoudhulp", "Dienstenchequebedrijf"),
        ("Aide ménagère", "Titres-services", "Service d'aide ménagère"),
        count=3,
        scales=True,
        capacity="klanten",
        fee_nl="Met dienstencheques of volgens inkomen.",
        fee_fr="Avec des titres-services ou selon les revenus.",
    ),
    Kind(
        "meals-at-home",
        ("Maaltijddienst", "Warme maaltijden aan huis"),
        ("Repas à domicile", "Service de repas"),
        capacity="maaltijden",
        fee_nl="Tussen 6 en 10 euro per maaltijd, volgens inkomen.",
        fee_fr="Entre 6 et 10 euros par repas, selon les revenus.",
    ),
    Kind(
        "personal-alarm",
        ("Personenalarm", "Alarmcentrale"),
        ("Télévigilance", "Téléassistance"),
        fee_nl="Ongeveer 20 euro per maand.",
        fee_fr="Environ 20 euros par mois.",
        hours="always",
    ),
    Kind(
        "home-adaptation",
        ("Woonadvies", "Woningaanpassing"),
        ("Aménagement du logement", "Conseil logement adapté"),
        fee_nl="Advies gratuit; premies mogelijk.",
        fee_fr="Conseil gratuit ; primes possibles.",
    ),
    Kind(
        "home-occupational-therapy",
        ("Ergotherapie aan huis", "Ergotherapeutisch advies"),
        ("Ergothérapie à domicile", "Conseil en ergothérapie"),
        capacity="patiënten",
        fee_nl="Deels terugbetaald.",
        fee_fr="Partiellement remboursé.",
    ),
    Kind(
        "home-physiotherapy",
        ("Kinesitherapie aan huis", "Kinepraktijk", "Revalidatie aan huis"),
        ("Kinésithérapie à domicile", "Cabinet de kinésithérapie", "Rééducation à domicile"),
        count=2,
        scales=True,
        capacity="patiënten",
        fee_nl="Terugbetaald door de mutualiteit op voorschrift.",
        fee_fr="Remboursé par la mutuelle sur prescription.",
    ),
    Kind(
        "palliative-home-care",
        ("Palliatief netwerk", "Palliatieve thuiszorg"),
        ("Plateforme de soins palliatifs", "Équipe de soutien palliatif"),
        scope="zone",
        count=2,
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        hours="always",
    ),
    Kind(
        "day-care",
        ("Dagverzorgingscentrum", "Centrum voor dagverzorging"),
        ("Centre de jour", "Centre de soins de jour"),
        capacity="plaatsen",
        fee_nl="Ongeveer 25 euro per dag.",
        fee_fr="Environ 25 euros par jour.",
        min_age=65,
    ),
    Kind(
        "short-stay",
        ("Centrum voor kortverblijf", "Kortverblijf"),
        ("Court séjour", "Hébergement de courte durée"),
        capacity="bedden",
        fee_nl="Dagprijs volgens de voorziening.",
        fee_fr="Prix journalier selon l'établissement.",
        hours="always",
        min_age=65,
    ),
    Kind(
        "nursing-home",
        ("Woonzorgcentrum", "WZC"),
        ("Maison de repos", "Maison de repos et de soins"),
        count=3,
        scales=True,
        capacity="kamers",
        fee_nl="Dagprijs van 60 tot 80 euro.",
        fee_fr="Prix journalier de 60 à 80 euros.",
        hours="always",
        min_age=60,
    ),
    Kind(
        "respite-care",
        ("Oppasdienst", "Respijtzorg"),
        ("Garde à domicile", "Service de répit"),
        capacity="oppasuren",
        fee_nl="Enkele euro per uur.",
        fee_fr="Quelques euros par heure.",
        hours="always",
    ),
    Kind(
        "caregiver-support",
        ("Mantelzorgvereniging", "Steunpunt mantelzorg"),
        ("Aidants proches", "Soutien aux aidants"),
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        for_nl="Mantelzorgers.",
        for_fr="Aidants proches.",
    ),
    Kind(
        "community-health-centre",
        ("Wijkgezondheidscentrum", "WGC"),
        ("Maison médicale", "Centre de santé"),
        capacity="patiënten",
        fee_nl="Forfait via de mutualiteit: u betaalt niets per bezoek.",
        fee_fr="Au forfait via la mutuelle : rien à payer par consultation.",
    ),
    Kind(
        "gp-out-of-hours",
        ("Huisartsenwachtpost", "Huisartsenwacht"),
        ("Poste médical de garde", "Garde de médecine générale"),
        scope="zone",
        count=2,
        fee_nl="Gewoon consultatietarief.",
        fee_fr="Tarif de consultation habituel.",
        apply_nl="Bel 1733 of kom langs.",
        apply_fr="Appelez le 1733 ou passez.",
        hours="always",
    ),
    Kind(
        "pharmacy",
        ("Apotheek", "Buurtapotheek"),
        ("Pharmacie", "Pharmacie de quartier"),
        count=2,
        scales=True,
        fee_nl="Volgens het geneesmiddel.",
        fee_fr="Selon le médicament.",
        apply_nl="Kom langs.",
        apply_fr="Passez.",
    ),
    Kind(
        "mental-health-centre",
        ("Centrum geestelijke gezondheidszorg", "CGG"),
        ("Service de santé mentale", "SSM"),
        capacity="nieuwe cliënten",
        fee_nl="Bijdrage volgens inkomen.",
        fee_fr="Participation selon les revenus.",
    ),
    Kind(
        "psychological-first-line",
        ("Eerstelijnspsychologen", "Psychologische zorg"),
        ("Psychologues de première ligne", "Soins psychologiques"),
        capacity="cliënten",
        fee_nl="11 euro per sessie, 4 euro met verhoogde tegemoetkoming.",
        fee_fr="11 euros par séance, 4 euros avec intervention majorée.",
    ),
    Kind(
        "dementia-support",
        ("Expertisecentrum dementie", "Dementieconsulent"),
        ("Centre d'expertise démence", "Référent démence"),
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        for_nl="Mensen met dementie en hun familie.",
        for_fr="Personnes atteintes de démence et leur famille.",
    ),
    Kind(
        "social-restaurant",
        ("Sociaal restaurant", "Buurtrestaurant"),
        ("Restaurant social", "Restaurant de quartier"),
        capacity="plaatsen",
        fee_nl="Vanaf 4 euro per maaltijd.",
        fee_fr="À partir de 4 euros le repas.",
        apply_nl="Kom langs, reserveren is niet nodig.",
        apply_fr="Passez, sans réservation.",
        hours="mornings",
    ),
    Kind(
        "social-grocery",
        ("Sociale kruidenier", "Sociale kruidenierszaak"),
        ("Épicerie sociale", "Épicerie solidaire"),
        capacity="klanten",
        fee_nl="Lage prijzen.",
        fee_fr="Petits prix.",
        apply_nl="Met een doorverwijzing van het OCMW of een sociale dienst.",
        apply_fr="Sur orientation du CPAS ou d'un service social.",
    ),
    Kind(
        "food-bank",
        ("Voedselbedeling", "Voedselbank"),
        ("Banque alimentaire", "Distribution de colis"),
        capacity="pakketten",
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        apply_nl="Na een gesprek met een sociaal werker.",
        apply_fr="Après un entretien avec un travailleur social.",
    ),
    Kind(
        "mobility-aids",
        ("Uitleendienst hulpmiddelen", "Thuiszorgwinkel"),
        ("Prêt de matériel", "Location de matériel médical"),
        fee_nl="Huur vanaf 1 euro per dag.",
        fee_fr="Location à partir de 1 euro par jour.",
    ),
    Kind(
        "adapted-transport",
        ("Minder Mobielen Centrale", "Aangepast vervoer"),
        ("Transport PMR", "Transport adapté"),
        capacity="ritten",
        fee_nl="Kilometervergoeding.",
        fee_fr="Indemnité kilométrique.",
    ),
    Kind(
        "debt-help",
        ("Schuldbemiddeling", "Budgetbegeleiding"),
        ("Médiation de dettes", "Guidance budgétaire"),
        capacity="dossiers",
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
    ),
    Kind(
        "legal-aid",
        ("Juridische eerstelijnsbijstand", "Juridisch advies"),
        ("Aide juridique de première ligne", "Permanence juridique"),
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        hours="mornings",
    ),
    Kind(
        "interpreters",
        ("Sociaal tolken", "Tolkendienst"),
        ("Interprétariat social", "Service d'interprètes"),
        scope="zone",
        fee_nl="Gratis voor diensten en zorgverleners.",
        fee_fr="Gratuit pour les services et soignants.",
    ),
    Kind(
        "welfare-reception",
        ("Welzijnsonthaal", "Sociaal huis"),
        ("Accueil social", "Point d'accueil"),
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        apply_nl="Kom langs zonder afspraak.",
        apply_fr="Passez sans rendez-vous.",
    ),
    Kind(
        "ocmw-cpas",
        ("OCMW", "Sociale dienst OCMW"),
        ("CPAS", "Service social du CPAS"),
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
    ),
    Kind(
        "caw",
        ("CAW", "Algemeen welzijnswerk"),
        ("Service social", "Centre d'action sociale globale"),
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        capacity="nieuwe vragen",
    ),
    Kind(
        "zone-helpdesk",
        ("Helpdesk zorgzone",),
        ("Helpdesk du bassin",),
        scope="zone",
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        for_nl="Professionals en mantelzorgers in een complexe situatie.",
        for_fr="Professionnels et aidants face à une situation complexe.",
    ),
    Kind(
        "helplines",
        ("Tele-Onthaal", "Zelfmoordlijn", "Awel", "Hulplijn", "Luisterlijn"),
        ("Télé-Accueil", "Centre de prévention du suicide", "Écoute-Enfants", "Ligne d'écoute", "Ligne d'aide"),
        scope="region",
        count=5,
        fee_nl="Gratis en anoniem.",
        fee_fr="Gratuit et anonyme.",
        apply_nl="Bel of chat, dag en nacht.",
        apply_fr="Appelez ou chattez, jour et nuit.",
        hours="always",
        for_nl="Iedereen.",
        for_fr="Tout le monde.",
    ),
    Kind(
        "volunteer-visits",
        ("Vrijwilligersbezoek", "Zorgzame buurt"),
        ("Visites bénévoles", "Convivialité seniors"),
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        for_nl="Ouderen die alleen wonen.",
        for_fr="Personnes âgées isolées.",
    ),
    Kind(
        "prevention-meetings",
        ("Ontmoetingen rond gezondheidspreventie", "Gezondheidspreventie"),
        ("Rencontres prévention santé", "Prévention santé"),
        fee_nl="Gratis.",
        fee_fr="Gratuit.",
        apply_nl="Iedereen welkom, zonder inschrijving.",
        apply_fr="Bienvenue à tous, sans inscription.",
    ),
]

BRANDS = [
    ("De Linde", "Les Tilleuls"),
    ("Zonnebloem", "Le Tournesol"),
    ("Het Anker", "L'Ancre"),
    ("De Brug", "Le Pont"),
    ("Samen", "Ensemble"),
    ("De Horizon", "Horizon"),
    ("Het Kompas", "La Boussole"),
    ("De Schakel", "Le Maillon"),
    ("Den Eik", "Le Chêne"),
    ("Het Nest", "Le Nid"),
    ("De Bron", "La Source"),
    ("Hartelijk", "Cordial"),
    ("De Vlinder", "Le Papillon"),
    ("Thuis", "Chez Soi"),
    ("De Parel", "La Perle"),
    ("Regenboog", "Arc-en-ciel"),
    ("De Zon", "Le Soleil"),
    ("Het Park", "Le Parc"),
    ("Sint-Jozef", "Saint-Joseph"),
    ("De Wending", "Le Tournant"),
]
STREETS = [
    ("Kerkstraat", "Rue de l'Église"),
    ("Stationsstraat", "Rue de la Gare"),
    ("Molenstraat", "Rue du Moulin"),
    ("Schoolstraat", "Rue de l'École"),
    ("Vredestraat", "Rue de la Paix"),
    ("Lindenlaan", "Avenue des Tilleuls"),
    ("Gemeenteplein", "Place communale"),
    ("Nieuwstraat", "Rue Neuve"),
    ("Bloemenstraat", "Rue des Fleurs"),
    ("Parklaan", "Avenue du Parc"),
    ("Dorpsstraat", "Rue du Village"),
    ("Beukenlaan", "Avenue des Hêtres"),
]
GIVEN = ["An", "Els", "Koen", "Sofie", "Marc", "Nadia", "Youssef", "Claire", "Luc", "Inès", "Pieter", "Fatou"]
FAMILY = ["Peeters", "Janssens", "Maes", "Dubois", "Lambert", "El Idrissi", "Claes", "Martin", "Willems", "Diallo"]
EXTRA_LANGUAGES = [("en", "English"), ("ar", "العربية"), ("tr", "Türkçe"), ("es", "Español"), ("ro", "Română")]
DAYS = "MO,TU,WE,TH,FR"


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def _jargon_sentence(rng: random.Random, need: NeedTerm, language: str) -> str:
    words = need.lines("jargon")
    picked = rng.sample(words, k=min(2, len(words)))
    if language == "fr":
        return f"Service agréé : {', '.join(picked)}."
    return f"Erkende dienst: {', '.join(picked)}."


def _description(rng: random.Random, kind: Kind, need: NeedTerm, place: str, language: str) -> str:
    jargon = _jargon_sentence(rng, need, language)
    if language == "fr":
        return f"{jargon} Pour les habitants de {place} et environs. {rng.choice(_FR_EXTRA)}"
    return f"{jargon} Voor inwoners van {place} en omgeving. {rng.choice(_NL_EXTRA)}"


_NL_EXTRA = [
    "Onze medewerkers werken samen met de huisarts en de andere zorgverleners.",
    "Een maatschappelijk werker bekijkt samen met u wat nodig is.",
    "We werken met een team van professionals en vrijwilligers.",
    "Neem contact op voor een eerste gesprek.",
]
_FR_EXTRA = [
    "Notre équipe travaille avec le médecin traitant et les autres soignants.",
    "Un assistant social examine avec vous ce qui est nécessaire.",
    "Une équipe de professionnels et de bénévoles.",
    "Contactez-nous pour un premier entretien.",
]


class _Builder:
    """Collects the rows of the demo directory, then inserts them in bulk."""

    def __init__(self, dataset: Dataset, rng: random.Random) -> None:
        self.dataset = dataset
        self.rng = rng
        self.now = timezone.now()
        self.rows: dict[type, list[Any]] = defaultdict(list)
        self.services: list[tuple[Service, dict[str, Any]]] = []

    def add(
        self, kind: Kind, need: NeedTerm, index: int, home: Municipality, areas: list[dict[str, object]], brussels: bool
    ) -> None:
        rng, key = self.rng, (kind.code, index)
        brand_nl, brand_fr = rng.choice(BRANDS)
        prefix = index % len(kind.names_nl)
        place_nl, place_fr = home.name_nl, home.name_fr or home.name_nl
        name_nl = (
            f"{kind.names_nl[prefix]} {brand_nl} {place_nl}"
            if kind.scope == "municipality"
            else f"{kind.names_nl[prefix]} {brand_nl}"
        )
        name_fr = (
            f"{kind.names_fr[prefix % len(kind.names_fr)]} {brand_fr} {place_fr}"
            if kind.scope == "municipality"
            else f"{kind.names_fr[prefix % len(kind.names_fr)]} {brand_fr}"
        )
        if kind.scope == "region":
            name_nl, name_fr = kind.names_nl[prefix], kind.names_fr[prefix % len(kind.names_fr)]
        organization = Organization(
            dataset=self.dataset,
            hsds_id=_uuid("organization", *key),
            name_nl=name_nl if not brussels else f"{brand_nl} vzw",
            name_fr=f"{brand_fr} asbl" if brussels else "",
            email=f"info{index}@{kind.code}.demo.invalid",
        )
        if not brussels:
            organization.name_nl = f"{brand_nl} vzw"
        fresh = rng.random() > 0.15  # some records were not confirmed for a long time
        service = Service(
            dataset=self.dataset,
            hsds_id=_uuid("service", *key),
            name_nl=name_nl,
            name_fr=name_fr if brussels else "",
            description_nl=_description(rng, kind, need, place_nl, "nl"),
            description_fr=_description(rng, kind, need, place_fr, "fr") if brussels else "",
            eligibility_description_nl=kind.for_nl,
            eligibility_description_fr=kind.for_fr if brussels else "",
            application_process_nl=kind.apply_nl,
            application_process_fr=kind.apply_fr if brussels else "",
            fees_description_nl=kind.fee_nl,
            fees_description_fr=kind.fee_fr if brussels else "",
            minimum_age=kind.min_age,
            email=f"contact{index}@{kind.code}.demo.invalid",
            assured_date=(self.now - timedelta(days=rng.randint(1, 60) if fresh else rng.randint(120, 400))).date(),
        )
        self.services.append(
            (
                service,
                {
                    "organization": organization,
                    "kind": kind,
                    "need": need,
                    "home": home,
                    "areas": areas,
                    "brussels": brussels,
                    "fresh": fresh,
                    "key": key,
                },
            )
        )

    def save(self, unit: Unit) -> None:
        rng = self.rng
        Organization.objects.bulk_create([extra["organization"] for _, extra in self.services], batch_size=1000)
        for service, extra in self.services:
            service.organization = extra["organization"]
        Service.objects.bulk_create([service for service, _ in self.services], batch_size=1000)
        locations = []
        for service, extra in self.services:
            home = extra["home"]
            brussels = extra["brussels"]
            street_nl, street_fr = rng.choice(STREETS)
            number = rng.randint(1, 180)
            location = Location(
                dataset=self.dataset,
                hsds_id=_uuid("location", *extra["key"]),
                organization=extra["organization"],
                name_nl=service.name_nl,
                name_fr=service.name_fr,
                latitude=None,
                longitude=None,
            )
            locations.append(location)
            extra["location"] = location
            extra["address"] = Address(
                dataset=self.dataset,
                hsds_id=_uuid("address", *extra["key"]),
                address_1=f"{street_fr} {number} / {street_nl} {number}" if brussels else f"{street_nl} {number}",
                city=(home.name_fr if brussels else home.name_nl) or home.name_nl,
                state_province="Brussels Hoofdstedelijk Gewest" if brussels else "Antwerpen",
                postal_code=home.postcode,
                municipality=home,
            )
        Location.objects.bulk_create(locations, batch_size=1000)
        for service, extra in self.services:
            extra["address"].location = extra["location"]
            self.rows[Address].append(extra["address"])
            self.rows[ServiceAtLocation].append(
                ServiceAtLocation(
                    dataset=self.dataset,
                    hsds_id=_uuid("sal", *extra["key"]),
                    service=service,
                    location=extra["location"],
                )
            )
            for number, area in enumerate(extra["areas"]):
                self.rows[ServiceArea].append(
                    ServiceArea(
                        dataset=self.dataset, hsds_id=_uuid("area", *extra["key"], number), service=service, **area
                    )
                )
            self._languages(service, extra)
            self._contact_points(service, extra)
            self._schedule(service, extra)
            self._costs(service, extra)
            self._capacity(service, extra, unit)
            self.rows[Attribute].append(
                Attribute(
                    dataset=self.dataset,
                    hsds_id=_uuid("attribute", *extra["key"]),
                    link_entity="service",
                    link_id=service.hsds_id,
                    service=service,
                    taxonomy_term_id=extra["need"].term_id,
                )
            )
        for model in (
            Address,
            ServiceAtLocation,
            ServiceArea,
            Language,
            Phone,
            Schedule,
            CostOption,
            ServiceCapacity,
            Attribute,
        ):
            model.objects.bulk_create(self.rows[model], batch_size=2000)
        # Named contacts (always for professionals) refer to nothing created in bulk above.
        Contact.objects.bulk_create(self.rows[Contact], batch_size=2000)

    def _languages(self, service: Service, extra: dict[str, Any]) -> None:
        codes = [("nl", "Nederlands")]
        if extra["brussels"] or self.rng.random() < 0.2:
            codes.append(("fr", "Français"))
        if self.rng.random() < 0.35:
            codes.append(self.rng.choice(EXTRA_LANGUAGES))
        for code, name in dict(codes).items():
            self.rows[Language].append(
                Language(
                    dataset=self.dataset,
                    hsds_id=_uuid("language", *extra["key"], code),
                    service=service,
                    code=code,
                    name=name,
                )
            )

    def _contact_points(self, service: Service, extra: dict[str, Any]) -> None:
        # Valid Belgian numbers (Brussels 02 5.., Kempen 014 ..), so the pages show them as tap-to-call links.
        area = "25" if extra["brussels"] else "14"
        priority_area = "229" if extra["brussels"] else "149"
        serial = int(uuid.UUID(service.hsds_id)) % 1_000_000
        self.rows[Phone].append(
            Phone(
                dataset=self.dataset,
                hsds_id=_uuid("phone", *extra["key"]),
                service=service,
                number=f"+32{area}{serial:06d}",
                type="voice",
            )
        )
        if self.rng.random() < 0.3:
            # The priority line for professionals (seed 002): never shown to the public.
            self.rows[Phone].append(
                Phone(
                    dataset=self.dataset,
                    hsds_id=_uuid("priority", *extra["key"]),
                    service=service,
                    number=f"+32{priority_area}{serial % 100000:05d}",
                    type="voice",
                    description="Prioriteitsnummer voor professionals / numéro prioritaire pour professionnels",
                    professional_only=True,
                )
            )
            self.rows[Contact].append(
                Contact(
                    dataset=self.dataset,
                    hsds_id=_uuid("contact", *extra["key"]),
                    service=service,
                    name=f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)}",
                    title="Coördinator / coordinatrice",
                    email=f"coordinatie{serial}@demo.invalid",
                    professional_only=True,
                )
            )

    def _schedule(self, service: Service, extra: dict[str, Any]) -> None:
        kind: Kind = extra["kind"]
        hours = {"office": ("09:00", "17:00"), "mornings": ("09:00", "13:00"), "always": ("00:00", "23:59")}.get(
            kind.hours, ("09:00", "17:00")
        )
        days = "MO,TU,WE,TH,FR,SA,SU" if kind.hours == "always" else DAYS
        self.rows[Schedule].append(
            Schedule(
                dataset=self.dataset,
                hsds_id=_uuid("schedule", *extra["key"]),
                service=service,
                freq="WEEKLY",
                byday=days,
                opens_at=hours[0],
                closes_at=hours[1],
            )
        )

    def _costs(self, service: Service, extra: dict[str, Any]) -> None:
        kind: Kind = extra["kind"]
        if kind.fee_nl.startswith("Gratis"):
            self.rows[CostOption].append(
                CostOption(
                    dataset=self.dataset,
                    hsds_id=_uuid("cost", *extra["key"]),
                    service=service,
                    option_nl="Gratis",
                    option_fr="Gratuit",
                    currency="EUR",
                    amount=Decimal("0"),
                )
            )

    def _capacity(self, service: Service, extra: dict[str, Any], unit: Unit) -> None:
        kind: Kind = extra["kind"]
        if not kind.capacity:
            return
        rng = self.rng
        maximum = rng.choice([10, 20, 30, 40, 60, 90, 120])
        roll = rng.random()
        waiting: int | None = None
        if roll < 0.4:
            available = rng.randint(1, max(1, maximum // 4))
        elif roll < 0.75:
            available, waiting = 0, rng.choice([1, 2, 3, 4, 6, 8, 12, 16, 26, 52])
        else:
            available = 0
        recent = extra["fresh"] and rng.random() > 0.1
        updated = self.now - (
            timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 20))
            if recent
            else timedelta(days=rng.randint(100, 300))
        )
        self.rows[ServiceCapacity].append(
            ServiceCapacity(
                dataset=self.dataset,
                hsds_id=_uuid("capacity", *extra["key"]),
                service=service,
                unit=unit,
                available=Decimal(available),
                maximum=Decimal(maximum),
                waiting_weeks=waiting,
                updated=updated,
                description=kind.capacity,
            )
        )


def _areas_for(
    kind: Kind, rows: list[Municipality], zones: list[CareZone], zone: CareZone | None
) -> list[dict[str, object]]:
    if kind.scope == "region":
        return [{"zone": each, "name": each.name} for each in zones]
    if kind.scope == "zone":
        return [{"zone": zone, "name": zone.name if zone else ""}]
    return [{"municipality": row, "name": row.name_nl} for row in rows]


@transaction.atomic
def load(*, seed: int = SEED, scale: float = 1.0) -> Dataset | None:
    """Create the demo directory once, published, with its search index. Does nothing when a
    directory is already published (a real import or an earlier run). `scale` multiplies the
    number of services (the benchmark's larger directories)."""
    if settings.SCHAKEL_ENVIRONMENT == "production":
        raise ImproperlyConfigured("The demo directory is never loaded under production settings.")
    if Dataset.objects.published() is not None:
        return None
    taxonomy.load(taxonomy.read_file())
    needs = {need.code: need for need in NeedTerm.objects.filter(is_group=False)}
    rng = random.Random(seed)
    now = timezone.now()
    dataset = Dataset.objects.create(
        label=LABEL, status=Dataset.Status.STAGING, language="nl", source="demo", created_at=now
    )
    unit = Unit.objects.create(dataset=dataset, hsds_id=_uuid("unit", "places"), name="places / plaatsen / places")
    builder = _Builder(dataset, rng)
    municipalities = list(Municipality.objects.select_related("zone").order_by("nis_code", "postcode"))
    by_nis: dict[str, list[Municipality]] = defaultdict(list)
    for row in municipalities:
        by_nis[row.nis_code].append(row)
    zones = list(CareZone.objects.order_by("name"))
    index = 0
    for kind in KINDS:
        need = needs[kind.code]
        repeat = max(1, round(kind.count * scale))
        if kind.scope == "municipality":
            for nis, rows in by_nis.items():
                brussels = rows[0].zone.kind == CareZone.Kind.BASSIN
                count = max(1, round(kind.count * (SIZE.get(nis, 1) if kind.scales else 1) * scale))
                for number in range(count):
                    index += 1
                    home = rows[number % len(rows)]
                    builder.add(kind, need, index, home, _areas_for(kind, rows, zones, None), brussels)
        elif kind.scope == "zone":
            for zone in zones:
                members = [row for row in municipalities if row.zone_id == zone.pk]
                for number in range(repeat):
                    index += 1
                    home = members[number % len(members)]
                    brussels = zone.kind == CareZone.Kind.BASSIN
                    builder.add(kind, need, index, home, _areas_for(kind, members, zones, zone), brussels)
        else:
            for _number in range(repeat):
                index += 1
                home = by_nis["21004"][0]
                builder.add(kind, need, index, home, _areas_for(kind, [], zones, None), True)
    builder.save(unit)
    rebuild_index(dataset)
    Dataset.objects.filter(pk=dataset.pk).update(
        status=Dataset.Status.PUBLISHED, published_at=now, total=len(builder.services), progress=100
    )
    dataset.refresh_from_db()
    return dataset
