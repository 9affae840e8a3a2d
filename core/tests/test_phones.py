"""Issue 11: one way to show Belgian phone numbers (core/phones.py and the `phones` template tags):
the international format, a tap-to-call link with an accessible name, and a number that is not
valid shown as typed (escaped), never as a link."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core import phones


@pytest.mark.parametrize(
    ("typed", "display", "uri"),
    [
        ("+3214697750", "+32 14 69 77 50", "tel:+3214697750"),
        ("014 69 77 50", "+32 14 69 77 50", "tel:+3214697750"),
        ("0470/12.34.56", "+32 470 12 34 56", "tel:+32470123456"),
        ("+31 20 123 4567", "+31 20 123 4567", "tel:+31201234567"),
        ("1733", "1733", "tel:1733"),  # the GP on duty: a short number, dialled as it is
        ("112", "112", "tel:112"),
        ("014 69 77", "014 69 77", ""),
        ("+322123456", "+322123456", ""),
        ("call us", "call us", ""),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_a_number_is_read_as_belgian_and_shown_in_the_international_format(typed, display, uri):
    assert phones.read(typed) == phones.Phone(display, uri)


def _render(source: str, **context: object) -> str:
    return Template("{% load phones %}" + source).render(Context(context))


def test_the_filter_formats_and_keeps_what_it_cannot_read():
    assert _render("{{ n|phone }}", n="+3214697750") == "+32 14 69 77 50"
    assert _render("{{ n|phone }}", n="<b>12</b>") == "&lt;b&gt;12&lt;/b&gt;"


def test_the_link_has_an_accessible_name_in_the_readers_language():
    with translation.override("en"):
        assert _render("{% phone_link n %}", n="014 69 77 50") == (
            '<a class="phone" href="tel:+3214697750" aria-label="Call +32 14 69 77 50">+32 14 69 77 50</a>'
        )
        assert 'aria-label="Call Sofie on +32 14 69 77 50"' in _render(
            "{% phone_link n name=who %}", n="+3214697750", who="Sofie"
        )
    with translation.override("nl"):
        assert 'aria-label="Sofie bellen op +32 14 69 77 50"' in _render(
            "{% phone_link n name='Sofie' %}", n="+3214697750"
        )
    with translation.override("fr"):
        assert 'aria-label="Appeler Sofie au +32 14 69 77 50"' in _render(
            "{% phone_link n name='Sofie' %}", n="+3214697750"
        )


def test_a_number_that_is_not_valid_is_text_not_a_link():
    assert _render("{% phone_link n %}", n="014 69 77") == "014 69 77"
    assert _render("{% phone_link n %}", n='12"><script>') == "12&quot;&gt;&lt;script&gt;"
    assert _render("{% phone_link n %}", n="") == ""


def test_the_link_can_be_kept_for_a_whole_sentence():
    with translation.override("en"):
        rendered = _render(
            "{% load i18n %}{% phone_link n as number %}{% blocktranslate %}Phone: {{ number }}{% endblocktranslate %}",
            n="+3214697750",
        )
    assert rendered.startswith('Phone: <a class="phone" href="tel:+3214697750"')
