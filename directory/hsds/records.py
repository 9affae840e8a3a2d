"""Which directory model holds each HSDS object. interop.hsds.mapping describes the objects'
fields as plain names; this table binds them to the models the import writes and the export reads.
"""

from django.db import models

from directory import models as m

MODELS: dict[str, type[models.Model]] = {
    "taxonomy": m.Taxonomy,
    "taxonomy_term": m.TaxonomyTerm,
    "organization": m.Organization,
    "program": m.Program,
    "unit": m.Unit,
    "location": m.Location,
    "address": m.Address,
    "accessibility": m.Accessibility,
    "service": m.Service,
    "service_at_location": m.ServiceAtLocation,
    "contact": m.Contact,
    "phone": m.Phone,
    "language": m.Language,
    "schedule": m.Schedule,
    "service_area": m.ServiceArea,
    "cost_option": m.CostOption,
    "required_document": m.RequiredDocument,
    "funding": m.Funding,
    "attribute": m.Attribute,
    "service_capacity": m.ServiceCapacity,
    "metadata": m.Metadata,
}


def object_of(model: type[models.Model]) -> str:
    """The HSDS object a model holds."""
    return next(name for name, held_by in MODELS.items() if held_by is model)
