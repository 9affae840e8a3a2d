"""How each HSDS object maps onto Schakel's record shape: references, text read per language, and
typed fields, as plain field names (directory.hsds.records says which model holds each object).

One table drives import, copy and export, so the three cannot drift apart.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spec:
    # HSDS reference field -> (record's foreign key, HSDS object it points to)
    refs: dict[str, tuple[str, str]] = field(default_factory=dict)
    # HSDS fields stored per language: name -> name_nl / name_fr / name_en
    text: tuple[str, ...] = ()
    # HSDS fields stored as they are (strings)
    plain: tuple[str, ...] = ()
    ints: tuple[str, ...] = ()
    floats: tuple[str, ...] = ()
    decimals: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    datetimes: tuple[str, ...] = ()
    # Schakel fields an import never sets: kept from the published record with the same id.
    keep: tuple[str, ...] = ()
    # Required record references (the HSDS schema may leave them optional).
    required_refs: tuple[str, ...] = ()


SPECS: dict[str, Spec] = {
    "taxonomy": Spec(plain=("name", "description", "uri", "version")),
    "taxonomy_term": Spec(
        refs={"taxonomy_id": ("taxonomy", "taxonomy"), "parent_id": ("parent", "taxonomy_term")},
        text=("name", "description"),
        plain=("code", "term_uri"),
    ),
    "organization": Spec(
        refs={"parent_organization_id": ("parent", "organization")},
        text=("name", "description"),
        plain=("alternate_name", "email", "website", "tax_status", "tax_id", "legal_status", "logo", "uri"),
        ints=("year_incorporated",),
        keep=("kbo_number", "riziv_number", "profession"),
    ),
    "program": Spec(
        refs={"organization_id": ("organization", "organization")},
        text=("name", "description"),
        plain=("alternate_name",),
        required_refs=("organization_id",),
    ),
    "unit": Spec(plain=("name", "scheme", "identifier", "uri")),
    "location": Spec(
        refs={"organization_id": ("organization", "organization")},
        text=("name", "description"),
        plain=(
            "location_type",
            "url",
            "alternate_name",
            "transportation",
            "external_identifier",
            "external_identifier_type",
        ),
        floats=("latitude", "longitude"),
    ),
    "address": Spec(
        refs={"location_id": ("location", "location")},
        plain=(
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        required_refs=("location_id",),
    ),
    "accessibility": Spec(
        refs={"location_id": ("location", "location")},
        text=("description", "details"),
        plain=("url",),
        required_refs=("location_id",),
    ),
    "service": Spec(
        refs={"organization_id": ("organization", "organization"), "program_id": ("program", "program")},
        text=("name", "description", "application_process", "fees_description", "eligibility_description"),
        plain=(
            "alternate_name",
            "status",
            "email",
            "url",
            "interpretation_services",
            "wait_time",
            "fees",
            "accreditations",
            "licenses",
            "alert",
            "assurer_email",
        ),
        ints=("minimum_age", "maximum_age"),
        dates=("assured_date",),
        datetimes=("last_modified",),
        # assurer_email names staff and is never exported publicly, so a re-import keeps it.
        keep=("created_at", "assurer_email"),
    ),
    "service_at_location": Spec(
        refs={"service_id": ("service", "service"), "location_id": ("location", "location")},
        text=("description",),
        required_refs=("service_id", "location_id"),
    ),
    "contact": Spec(
        refs={
            "organization_id": ("organization", "organization"),
            "service_id": ("service", "service"),
            "location_id": ("location", "location"),
            "service_at_location_id": ("service_at_location", "service_at_location"),
        },
        plain=("name", "title", "department", "email"),
        keep=("professional_only",),
    ),
    "phone": Spec(
        refs={
            "location_id": ("location", "location"),
            "service_id": ("service", "service"),
            "organization_id": ("organization", "organization"),
            "contact_id": ("contact", "contact"),
            "service_at_location_id": ("service_at_location", "service_at_location"),
        },
        plain=("number", "type", "description"),
        ints=("extension",),
        keep=("professional_only",),
    ),
    "language": Spec(
        refs={
            "service_id": ("service", "service"),
            "location_id": ("location", "location"),
            "phone_id": ("phone", "phone"),
        },
        plain=("name", "code", "note"),
    ),
    "schedule": Spec(
        refs={
            "service_id": ("service", "service"),
            "location_id": ("location", "location"),
            "service_at_location_id": ("service_at_location", "service_at_location"),
        },
        text=("description",),
        plain=(
            "wkst",
            "freq",
            "byday",
            "byweekno",
            "bymonthday",
            "byyearday",
            "opens_at",
            "closes_at",
            "schedule_link",
            "attending_type",
            "notes",
        ),
        ints=("timezone", "count", "interval"),
        dates=("valid_from", "valid_to", "dtstart", "until"),
    ),
    "service_area": Spec(
        refs={
            "service_id": ("service", "service"),
            "service_at_location_id": ("service_at_location", "service_at_location"),
        },
        plain=("name", "description", "extent", "extent_type", "uri"),
    ),
    "cost_option": Spec(
        refs={"service_id": ("service", "service")},
        text=("option", "amount_description"),
        plain=("currency",),
        decimals=("amount",),
        dates=("valid_from", "valid_to"),
        required_refs=("service_id",),
    ),
    "required_document": Spec(
        refs={"service_id": ("service", "service")},
        text=("document",),
        plain=("uri",),
        required_refs=("service_id",),
    ),
    "funding": Spec(
        refs={"organization_id": ("organization", "organization"), "service_id": ("service", "service")},
        plain=("source",),
    ),
    "attribute": Spec(
        refs={"taxonomy_term_id": ("taxonomy_term", "taxonomy_term")},
        plain=("link_id", "link_type", "link_entity", "value", "label"),
    ),
    "service_capacity": Spec(
        refs={"service_id": ("service", "service"), "unit_id": ("unit", "unit")},
        plain=("description",),
        decimals=("available", "maximum"),
        datetimes=("updated",),
        keep=("waiting_weeks",),
        required_refs=("service_id", "unit_id"),
    ),
    "metadata": Spec(
        plain=(
            "resource_id",
            "resource_type",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ),
        datetimes=("last_action_date",),
    ),
}

# Parents before children, so every reference is staged before the records that use it.
ORDER = list(SPECS)

# Attributes link to these record types by (link_entity, link_id); others keep only the ids.
ATTRIBUTE_LINKS = {"service": "service", "organization": "organization", "location": "location"}

# Marks a phone or contact as for professionals only (docs/social-map.md).
PROFESSIONAL_ONLY_MARK = "professional-only"

# Nested arrays and objects of a full HSDS service, flattened on import:
# (parent object, key) -> (child object, reference field the child gets, "many" | "one").
NESTED: dict[tuple[str, str], tuple[str, str, str]] = {
    ("service", "phones"): ("phone", "service_id", "many"),
    ("service", "schedules"): ("schedule", "service_id", "many"),
    ("service", "service_areas"): ("service_area", "service_id", "many"),
    ("service", "service_at_locations"): ("service_at_location", "service_id", "many"),
    ("service", "languages"): ("language", "service_id", "many"),
    ("service", "funding"): ("funding", "service_id", "many"),
    ("service", "cost_options"): ("cost_option", "service_id", "many"),
    ("service", "required_documents"): ("required_document", "service_id", "many"),
    ("service", "contacts"): ("contact", "service_id", "many"),
    ("service", "capacities"): ("service_capacity", "service_id", "many"),
    ("service", "organization"): ("organization", "organization_id", "one"),
    ("service", "program"): ("program", "program_id", "one"),
    ("organization", "funding"): ("funding", "organization_id", "many"),
    ("organization", "contacts"): ("contact", "organization_id", "many"),
    ("organization", "phones"): ("phone", "organization_id", "many"),
    ("organization", "locations"): ("location", "organization_id", "many"),
    ("organization", "programs"): ("program", "organization_id", "many"),
    ("organization", "organization_identifiers"): ("organization_identifier", "organization_id", "many"),
    ("location", "languages"): ("language", "location_id", "many"),
    ("location", "addresses"): ("address", "location_id", "many"),
    ("location", "contacts"): ("contact", "location_id", "many"),
    ("location", "accessibility"): ("accessibility", "location_id", "many"),
    ("location", "phones"): ("phone", "location_id", "many"),
    ("location", "schedules"): ("schedule", "location_id", "many"),
    ("service_at_location", "contacts"): ("contact", "service_at_location_id", "many"),
    ("service_at_location", "phones"): ("phone", "service_at_location_id", "many"),
    ("service_at_location", "schedules"): ("schedule", "service_at_location_id", "many"),
    ("service_at_location", "service_areas"): ("service_area", "service_at_location_id", "many"),
    ("service_at_location", "location"): ("location", "location_id", "one"),
    ("contact", "phones"): ("phone", "contact_id", "many"),
    ("phone", "languages"): ("language", "phone_id", "many"),
    ("service_capacity", "unit"): ("unit", "unit_id", "one"),
    ("attribute", "taxonomy_term"): ("taxonomy_term", "taxonomy_term_id", "one"),
    ("taxonomy_term", "taxonomy_detail"): ("taxonomy", "taxonomy_id", "one"),
}


def language_fields(spec: Spec, language: str) -> list[str]:
    return [f"{name}_{language}" for name in spec.text]
