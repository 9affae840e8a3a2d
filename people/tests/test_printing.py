"""The printable dossier summary (DOS-13): gated like the dossier page, audited as an export,
and the HTML sent to the PDF renderer holds nothing the reader may not read."""

from typing import Any

import pytest
from django.urls import reverse

from access import gate
from audit.models import AuditEntry
from conftest import client_for
from core import persondata
from core.vocab import Category, Level
from people import pdf, printing, sections
from people.tests.factories import SECTION_SAMPLES, medication_problem, section_row

pytestmark = pytest.mark.django_db


def _distinctive(code: str) -> dict[str, object]:
    """A sample row for a section whose text fields carry a marker found nowhere else."""
    kind = sections.kind(code)
    values = dict(SECTION_SAMPLES[code])
    for name in kind.fields:
        field: Any = kind.model._meta.get_field(name)
        if (
            field.get_internal_type() in ("CharField", "TextField")
            and not field.choices
            and name
            not in (
                "phone",
                "mobile",
                "email",
            )
        ):
            values[name] = f"ZZ-{code}-{name}-ZZ"
    return values


@pytest.fixture
def full_dossier(person, gp):
    """Every section of Jozef's dossier filled in, each with values that name their section."""
    for code in sections.SECTIONS:
        if code == "medication_problems":
            medication_problem(person, gp, description="ZZ-medication_problems-description-ZZ")
        else:
            section_row(person, code, **_distinctive(code))
    return person


@pytest.fixture
def captured(monkeypatch):
    """Replace the renderer seam: keep the HTML it is given, answer a stand-in PDF."""
    pages: list[str] = []

    def render(html: str) -> bytes:
        pages.append(html)
        return b"%PDF-stand-in"

    monkeypatch.setattr(pdf, "render", render)
    return pages


def test_the_caregiver_s_pdf_holds_nothing_of_a_category_she_may_not_read(full_dossier, caregiver, captured):
    person = full_dossier
    response = client_for(caregiver).get(reverse("people:summary-pdf", args=[person.public_id]))
    assert response.status_code == 200
    assert response.content == b"%PDF-stand-in"
    (html,) = captured
    forbidden = [c for c in sections.DOSSIER_CATEGORIES if not gate.decide(caregiver, person, c, Level.READ).allowed]
    allowed = [c for c in sections.DOSSIER_CATEGORIES if c not in forbidden]
    # The shipped matrix hides some dossier categories from a caregiver and shows others; if that
    # changed, this test would prove nothing, so it says so.
    assert forbidden and allowed
    for group in sections.GROUPS:
        for code in group.sections:
            marker = f"ZZ-{code}-"
            if group.category in forbidden:
                assert marker not in html, code
                assert f'id="section-{code}"' not in html
            else:
                assert marker in html, code
        if group.category in forbidden:
            assert f'id="group-{group.code}"' not in html
            assert str(group.heading) not in html


def test_the_pdf_is_a_pdf(full_dossier, gp):
    response = client_for(gp).get(reverse("people:summary-pdf", args=[full_dossier.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert full_dossier.family_name not in response["Content-Disposition"]


def test_the_summary_page_is_audited_as_an_export_once_per_category(full_dossier, nurse):
    person = full_dossier
    response = client_for(nurse).get(reverse("people:summary", args=[person.public_id]))
    assert response.status_code == 200
    rows = AuditEntry.objects.filter(action=printing.SUMMARY_EXPORTED, actor_id=nurse.pk)
    exported = sorted(rows.values_list("category", flat=True))
    readable = {Category.IDENTITY.value}
    readable |= {c for c in sections.DOSSIER_CATEGORIES if gate.decide(nurse, person, c, Level.READ).allowed}
    if gate.decide(nurse, person, Category.TEAM, Level.READ).allowed:
        readable.add(Category.TEAM.value)
    assert exported == sorted(readable)
    assert set(rows.values_list("event", flat=True)) == {AuditEntry.Event.EXPORT}
    assert all(row.allowed and row.detail == {"format": "html"} for row in rows)


def test_the_summary_page_shows_the_printing_essentials(full_dossier, gp):
    person = full_dossier
    html = client_for(gp).get(reverse("people:summary", args=[person.public_id])).content.decode()
    assert "Dossier summary of Jozef Wouters" in html
    assert "Confidential" in html
    assert "Printed on" in html
    assert 'id="print-button"' in html
    assert "Care coordinator:" in html and "Dr. An Peeters" in html
    assert "site-header" not in html  # no navigation on a page made to be printed


def test_the_dossier_page_links_the_summary(full_dossier, gp):
    html = client_for(gp).get(reverse("people:detail", args=[full_dossier.public_id])).content.decode()
    assert reverse("people:summary", args=[full_dossier.public_id]) in html


def test_a_refused_reader_gets_404_and_nothing_is_exported(full_dossier, outsider, captured):
    response = client_for(outsider).get(reverse("people:summary-pdf", args=[full_dossier.public_id]))
    assert response.status_code == 404
    assert captured == []
    assert not AuditEntry.objects.filter(action=printing.SUMMARY_EXPORTED, allowed=True).exists()
    assert AuditEntry.objects.filter(action=printing.SUMMARY_EXPORTED, actor_id=outsider.pk, allowed=False).exists()


def _page_texts(page) -> str:
    """All the text laid out on one page, its header and footer included."""
    texts: list[str] = []

    def walk(box) -> None:
        if hasattr(box, "text"):
            texts.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    walk(page._page_box)
    return " ".join(texts)


def test_every_pdf_page_carries_the_name_the_birth_date_and_confidential(person, gp):
    from datetime import date

    from django.utils import formats

    person.birth_date = date(1941, 3, 14)
    person.save(update_fields=["birth_date"])
    for n in range(40):  # enough to fill several pages
        section_row(person, "contacts", name=f"Contact {n}", notes="Calls on Mondays.\n" * 3)
    summary = printing.summary(gp, person, output="pdf")
    document = pdf.layout(printing.summary_html(summary, for_pdf=True))
    assert len(document.pages) >= 3
    for page in document.pages:
        text = _page_texts(page)
        assert "Jozef" in text and "Wouters" in text
        assert formats.date_format(date(1941, 3, 14), "SHORT_DATE_FORMAT") in text
        assert "Confidential" in text
    width, height = document.pages[0].width, document.pages[0].height
    assert (round(width * 25.4 / 96), round(height * 25.4 / 96)) == (210, 297)  # A4, CSS px to mm


def test_the_summary_prints_what_the_registry_says_is_printed(full_dossier, gp, captured):
    """Every model registered as printed in the dossier is a section whose row is on the paper,
    and the parts the summary lays out are the ones registered."""
    assert printing.printed_parts() == {"header", "dossier", "care_team"}
    in_dossier = {data.model for data in persondata.registered() if data.printed == "dossier"}
    assert in_dossier == {kind.model for kind in sections.SECTIONS.values()}
    client_for(gp).get(reverse("people:summary-pdf", args=[full_dossier.public_id]))
    (html,) = captured
    for code in sections.SECTIONS:
        assert f"ZZ-{code}-" in html, code
