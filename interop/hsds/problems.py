"""Import problems in the reader's language. The report stores each problem as data (code and
params, plus the validator's own message); it is put into words when it is shown, so a Dutch
and a French curator each read the same report in their own language."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from interop.hsds.schema import Problem

MESSAGES = {
    "required": _("%(object)s %(record)s: the field “%(field)s” is required and missing."),
    "type": _("%(object)s %(record)s: the field “%(field)s” has the wrong type (expected %(expected)s)."),
    "format": _("%(object)s %(record)s: the field “%(field)s” is not a valid %(format)s."),
    "enum": _("%(object)s %(record)s: the field “%(field)s” must be one of: %(allowed)s."),
    "invalid": _("%(object)s %(record)s: the field “%(field)s” does not match the HSDS schema."),
    "unknown_reference": _(
        "%(object)s %(record)s: “%(field)s” refers to %(target)s %(value)s, which is not in the file or the directory."
    ),
    "duplicate_id": _("%(object)s %(record)s: the id is used twice in the file."),
    "not_a_number": _("%(object)s %(record)s: the field “%(field)s” must be a number, not “%(value)s”."),
    "not_a_date": _("%(object)s %(record)s: the field “%(field)s” must be a date (YYYY-MM-DD), not “%(value)s”."),
    "not_a_datetime": _("%(object)s %(record)s: the field “%(field)s” must be a date and time, not “%(value)s”."),
    "too_long": _("%(object)s %(record)s: the field “%(field)s” is longer than %(limit)s characters."),
    "out_of_range": _("%(object)s %(record)s: the field “%(field)s” is out of range (“%(value)s”)."),
    "no_language": _("%(object)s %(record)s: its language is unknown; state the import's language (Dutch or French)."),
    "not_an_object": _("Record %(record)s is not an HSDS object."),
    "rejected_parent": _("%(object)s %(record)s: it belongs to a record that was rejected."),
    "bad_postcode": _("%(object)s %(record)s: “%(value)s” is not a Belgian postcode (four digits)."),
    "bad_identifier": _("%(object)s %(record)s: the identifier “%(value)s” is not valid: %(reason)s"),
}


def describe(problem: Problem | dict[str, Any]) -> str:
    """One sentence for one problem, in the active language."""
    template = MESSAGES.get(problem.get("code", ""), MESSAGES["invalid"])
    params = {str(k): v for k, v in (problem.get("params") or {}).items()}
    params.update(
        object=problem.get("object", ""),
        record=problem.get("record_id", "") or "-",
        field=problem.get("field", ""),
    )
    params.setdefault("expected", "")
    params.setdefault("format", "")
    params.setdefault("allowed", "")
    params.setdefault("target", "")
    params.setdefault("value", "")
    params.setdefault("limit", "")
    params.setdefault("reason", "")
    return str(template) % params
