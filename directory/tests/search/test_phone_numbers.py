"""Issue 11: the map's result cards and the service page show the number to call, formatted
(+32 14 69 77 50) as a tap-to-call link; the service page puts it first; priority lines stay
with professionals; a number that is not valid is shown as typed, never as a broken link."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from directory.models import Phone
from directory.search.index import rebuild_index
from directory.tests.search.conftest import make_service


def _link() -> str:
    """The tap-to-call link, with its accessible name in the page's language (Dutch by default)."""
    with translation.override("nl"):
        label = gettext("Call %(name)s on %(number)s") % {"name": "Poetsdienst Proper", "number": "+32 14 69 77 50"}
    return f'<a class="phone" href="tel:+3214697750" aria-label="{label}">+32 14 69 77 50</a>'


@pytest.fixture
def cleaning(needs, dataset):
    service = make_service(
        dataset,
        name_nl="Poetsdienst Proper",
        needs=(needs["cleaning-help"],),
        postcodes=("1030",),
        public_phone="014 69 77 50",
        professional_phone="+3214699999",
    )
    rebuild_index(dataset)
    return service


def _search(client) -> str:
    return client.get(reverse("directory:search"), {"q": "poetsvrouw", "place": "Schaarbeek"}).content.decode()


def _card(body: str) -> str:
    return body[body.index('<article class="card"') : body.index("</article>")]


def test_a_result_card_shows_the_number_as_a_tap_to_call_link(client, cleaning):
    card = _card(_search(client))
    assert _link() in card
    # Near the top: before availability and the facts.
    assert card.index("tel:") < card.index('class="availability') < card.index('<dl class="facts">')


def test_a_result_card_never_shows_a_priority_line_not_even_to_a_professional(client, nurse, cleaning):
    client.force_login(nurse)
    card = _card(_search(client))
    assert "+32 14 69 77 50" in card
    assert "3214699999" not in card and "69 99 99" not in card


def test_a_card_without_a_number_of_its_own_shows_the_organisations(client, dataset, cleaning):
    Phone.objects.filter(service=cleaning).delete()
    Phone.objects.create(dataset=dataset, hsds_id="org-phone", organization=cleaning.organization, number="+3214000050")
    Phone.objects.create(
        dataset=dataset,
        hsds_id="org-prio",
        organization=cleaning.organization,
        number="+3214000059",
        professional_only=True,
    )
    card = _card(_search(client))
    assert 'href="tel:+3214000050"' in card and "+32 14 00 00 50" in card
    assert "3214000059" not in card
    page = client.get(reverse("directory:service", args=[cleaning.hsds_id])).content.decode()
    assert 'href="tel:+3214000050"' in page and "3214000059" not in page


def test_the_service_page_puts_the_contact_first_with_the_formatted_number(client, cleaning):
    body = client.get(reverse("directory:service", args=[cleaning.hsds_id])).content.decode()
    assert _link() in body
    assert body.index('id="contact-heading"') < body.index('id="availability-heading"')
    assert body.index('id="contact-heading"') < body.index('id="about-heading"')
    assert "3214699999" not in body  # the priority line is for professionals


def test_the_service_page_gives_professionals_the_priority_line_as_a_link(client, nurse, cleaning):
    client.force_login(nurse)
    body = client.get(reverse("directory:service", args=[cleaning.hsds_id])).content.decode()
    assert 'href="tel:+3214699999"' in body and "+32 14 69 99 99" in body


def test_a_number_that_is_not_valid_is_shown_as_typed_not_as_a_link(client, cleaning):
    Phone.objects.filter(service=cleaning, professional_only=False).update(number="014 69 77")
    card = _card(_search(client))
    page = client.get(reverse("directory:service", args=[cleaning.hsds_id])).content.decode()
    for body in (card, page):
        assert "014 69 77" in body and "tel:" not in body.replace("tel:+3214699999", "")
