"""Issue 11: the dossier's contacts show their numbers formatted (+32 14 12 34 56) as tap-to-call
links, on the dossier page and the section page; a stored number that is not valid is shown as
typed, never as a broken link."""

import pytest
from django.urls import reverse

from conftest import client_for
from people.tests.factories import section_row

LINK = (
    '<a class="phone" href="tel:+3214123456" aria-label="Call Thuisverpleging De Kempen on +32 14 12 34 56">'
    "+32 14 12 34 56</a>"
)


def _pages(person) -> list[str]:
    return [
        reverse("people:detail", args=[person.public_id]),
        reverse("people:section-contacts", args=[person.public_id]),
    ]


@pytest.mark.parametrize("who", ["gp", "caregiver"])
def test_the_dossier_contacts_show_tap_to_call_numbers(person, who, request):
    section_row(person, "contacts", mobile="+32470123456")
    client = client_for(request.getfixturevalue(who))
    for url in _pages(person):
        body = client.get(url).content.decode()
        assert LINK in body, url
        assert 'href="tel:+32470123456"' in body and ">+32 470 12 34 56</a>" in body


def test_a_stored_number_that_is_not_valid_is_shown_as_typed(person, gp):
    section_row(person, "contacts", phone="+3214")  # an old row, from before the check
    for url in _pages(person):
        body = client_for(gp).get(url).content.decode()
        assert '<td data-label="Phone">+3214</td>' in body and 'href="tel:+3214"' not in body, url
