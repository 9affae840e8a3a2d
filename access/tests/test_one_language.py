"""Issue 11: the "why" page is made of whole translated sentences (a role's label is quoted, never
glued into a sentence built for another noun), the Dutch pages say "noodtoegang", and the matrix's
working note ("our own choice, to be reviewed by the care zone") is for the zone admin and the DPO
only."""

from django.urls import reverse
from django.utils import translation

from access.explain import explain_access
from conftest import client_for

REVIEW_NOTE = "our own choice, to be reviewed by the care zone"


def _wishes(rows):
    return " ".join(next(row for row in rows if row.category == "wishes").reasons)


def test_the_french_why_page_quotes_the_role_in_whole_sentences(person, person_user):
    with translation.override("fr"):
        reasons = _wishes(explain_access(person_user, person))
    assert "Matrice d'accès : le rôle « la personne elle-même » a le niveau « " in reasons
    assert "dans le rôle « la personne elle-même »" in reasons
    assert "le rôle la personne" not in reasons
    assert "en tant que la personne" not in reasons


def test_the_person_never_reads_the_matrix_review_note(person, person_user):
    reasons = _wishes(explain_access(person_user, person))  # the rule for the person and wishes is an assumption
    assert REVIEW_NOTE not in reasons
    assert "Source: a choice of the care zone, where the official rules say nothing." in reasons
    client = client_for(person_user)
    for url in (reverse("access:matrix"), reverse("access:matrix-cell", args=["person", "wishes"])):
        page = client.get(url).content.decode()
        assert REVIEW_NOTE not in page, url
        assert "a choice of the care zone, where the official rules say nothing" in page, url


def test_the_zone_admin_and_the_dpo_read_the_review_note(zone_admin, dpo):
    for user in (zone_admin, dpo):
        page = client_for(user).get(reverse("access:matrix-cell", args=["person", "wishes"])).content.decode()
        assert REVIEW_NOTE in page


def test_the_dutch_emergency_and_matrix_pages_say_noodtoegang(gp):
    gp.language = "nl"
    gp.save(update_fields=["language"])
    client = client_for(gp)
    for url in (reverse("access:break-glass"), reverse("access:matrix")):
        page = client.get(url).content.decode()
        assert "break the glass" not in page.lower(), url
        assert "oodtoegang" in page, url
