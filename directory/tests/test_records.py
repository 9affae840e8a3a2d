"""The binding of HSDS objects to directory models (directory/hsds/records.py) matches the mapping
in interop: one model per object, and every field the mapping names exists on that model."""

from core.i18n import CONTENT_LANGUAGES
from directory.hsds.records import MODELS, object_of
from interop.hsds.mapping import ORDER, SPECS


def test_every_hsds_object_has_one_model_in_the_mappings_order():
    assert list(MODELS) == ORDER
    assert len(set(MODELS.values())) == len(MODELS)
    for obj, model in MODELS.items():
        assert object_of(model) == obj


def test_every_field_the_mapping_names_is_a_field_of_the_model():
    for obj, spec in SPECS.items():
        fields = {field.name for field in MODELS[obj]._meta.get_fields()}
        named = {
            *spec.plain,
            *spec.ints,
            *spec.floats,
            *spec.decimals,
            *spec.dates,
            *spec.datetimes,
            *spec.keep,
            *(f"{name}_{language}" for name in spec.text for language in CONTENT_LANGUAGES),
            *(fk for fk, _target in spec.refs.values()),
        }
        assert named - fields == set(), obj
        for fk, target in spec.refs.values():
            assert MODELS[obj]._meta.get_field(fk).related_model is MODELS[target], (obj, fk)
