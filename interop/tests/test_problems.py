"""Import problems are stored as data and put into words in the reader's language."""

from django.utils import translation
from django.utils.translation import gettext

from interop.hsds.problems import describe


def test_the_report_reads_in_the_users_language():
    found = {
        "object": "service",
        "record_id": "abc",
        "field": "status",
        "code": "enum",
        "params": {"allowed": "active"},
    }
    with translation.override("en"):
        assert describe(found) == gettext(
            "%(object)s %(record)s: the field “%(field)s” must be one of: %(allowed)s."
        ) % {
            "object": "service",
            "record": "abc",
            "field": "status",
            "allowed": "active",
        }
    for language in ("nl", "fr"):
        with translation.override(language):
            template = gettext("%(object)s %(record)s: the field “%(field)s” must be one of: %(allowed)s.")
            assert describe(found) == template % {
                "object": "service",
                "record": "abc",
                "field": "status",
                "allowed": "active",
            }
