"""The user guide's screenshots (docs/user-guide.md), made by `make screenshots` only.

The file's name is outside pytest's `test_*.py` pattern, so `make test` never collects it; the
Makefile names it. The demo zone is loaded under a fixed clock (time-machine patches the clock
for every thread, the live server's too, which the first test proves), so dates in the images
do not change between runs. The pages are shown in English, the guide's language; each image
is reduced to a palette and optimised, to keep the committed PNGs small.
"""

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEntry
from core.vocab import Category, Profile
from meetings.models import Meeting
from people.models import MedicationIntake, Person
from plans.models import PlanAction
from tests.browser.conftest import NARROW, WIDE

time_machine = pytest.importorskip("time_machine")
Image = pytest.importorskip("PIL.Image")
expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.screenshots, pytest.mark.django_db(transaction=True)]

GUIDE_IMAGES = Path(settings.BASE_DIR) / "docs" / "guide" / "img"
# A Monday morning in the care zone; every date in the images follows from it.
FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))
LANGUAGE = "en"
MAX_HEIGHT = 1400  # a long page is cut here: the guide shows its top


@pytest.fixture
def fixed_clock():
    # tick=True: time runs on from the fixed moment, so that Playwright's and the server's
    # timeouts still work; a run takes well under a minute.
    with time_machine.travel(FIXED_NOW, tick=True):
        yield


@pytest.fixture
def guide(fixed_clock, demo, new_context):
    """Open a page as a demo user (by profile), in English, at 1280 px unless told."""
    users, jozef = demo

    def open_as(profile: str | None, path: str, *, viewport: dict | None = None, language: str = LANGUAGE):
        user = users[profile] if profile else None
        if user is not None:
            type(user).objects.filter(pk=user.pk).update(language=language)
        page = new_context(user, language=language, viewport=viewport or WIDE).new_page()
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        return page

    def new_page_as(profile: str):
        return new_context(users[profile], language=LANGUAGE).new_page()

    return users, jozef, open_as, new_page_as


def shoot(page, name: str, *, start=None) -> Path:
    """Save MAX_HEIGHT pixels of the page, from its top or from the `start` element, as
    docs/guide/img/<name>.png, palette-reduced."""
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    top = 0 if start is None else max(0, int(start.evaluate("e => e.getBoundingClientRect().top + scrollY")) - 16)
    height = min(page.evaluate("document.documentElement.scrollHeight") - top, MAX_HEIGHT)
    clip = {"x": 0, "y": top, "width": width, "height": height}
    raw = page.screenshot(full_page=True, clip=clip, animations="disabled", caret="hide")
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    # Flat UI colours: 64 without dithering look the same and keep the file small.
    image = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path = GUIDE_IMAGES / f"{name}.png"
    image.save(path, optimize=True)
    return path


def test_guide_screenshots(guide):
    users, jozef, open_as, new_page_as = guide
    person = [jozef.public_id]

    # Log in.
    page = open_as(None, reverse("accounts:login"))
    page.locator("[name=username], [type=email]").first.fill(users[Profile.GP].email)
    shoot(page, "01-login")

    # The GP's home: the persons they care for.
    page = open_as(Profile.GP, reverse("home"))
    shoot(page, "02-home-gp")

    # The dossier, as the GP reads it.
    page = open_as(Profile.GP, reverse("people:detail", args=person))
    shoot(page, "03-dossier-gp")
    # The fixed clock holds in the live server's thread too: it wrote this read's audit row.
    read = AuditEntry.objects.filter(person=jozef, actor=users[Profile.GP]).latest("pk")
    assert timezone.localtime(read.created_at).date() == FIXED_NOW.date(), read.created_at

    # A section: the medication schedule, with the form to add a line.
    page = open_as(Profile.GP, reverse("people:section-medication", args=person))
    shoot(page, "04-section-medication")

    # A stale edit: the nurse saved the same line in the meantime.
    intake = MedicationIntake.objects.filter(person=jozef).order_by("pk").first()
    assert intake is not None
    edit = reverse("people:section-medication", args=person) + f"?item={intake.public_id}"
    gp_page = open_as(Profile.GP, edit)
    nurse_page = open_as(Profile.NURSE, edit)
    nurse_page.locator("[name=dose]").fill("2 tablets")
    nurse_page.locator("form:has([name=dose]) button[type=submit]").click()
    gp_page.locator("[name=notes]").fill("Take with a full glass of water")
    gp_page.locator("form:has([name=dose]) button[type=submit]").click()
    expect(gp_page.locator("#current-heading")).to_be_visible()
    shoot(gp_page, "05-stale-edit")

    # Report a medication problem (the informal caregiver helps with the intake).
    page = open_as(Profile.INFORMAL_CAREGIVER, reverse("people:medication-problems", args=person))
    shoot(page, "06-medication-problem")

    # The care team, as its coordinator (the GP, for Jozef) sees it.
    page = open_as(Profile.GP, reverse("teams:team", args=person))
    shoot(page, "07-team")
    page = open_as(Profile.GP, reverse("teams:member-add", args=person))
    shoot(page, "08-team-add-member")

    # The team's messages, as the home nurse reads them.
    page = open_as(Profile.NURSE, reverse("teams:messages", args=person))
    shoot(page, "09-messages")

    # Jozef's consent and exclusions, and who looked at his dossier.
    page = open_as(Profile.PERSON, reverse("access:consent", args=person))
    shoot(page, "10-consent-exclusions")

    # "Why can't I see": the informal caregiver asks about the medical part.
    page = open_as(Profile.INFORMAL_CAREGIVER, reverse("access:explain", args=person))
    with translation.override(LANGUAGE):
        medical = str(Category.MEDICAL.label)
    shoot(
        page,
        "12-why",
        start=page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=medical, exact=True)),
    )

    # Break the glass: a hospital doctor outside the team.
    page = open_as(Profile.HOSPITAL_DOCTOR, reverse("access:break-glass"))
    page.locator("[name=insz]").fill(jozef.insz)
    page.locator("[name=reason]").fill("Admitted unconscious to the emergency department; need the medication list.")
    shoot(page, "13-break-the-glass")
    page.locator("form:has([name=insz]) button[type=submit]").click()
    expect(page.locator("ul.messages .warning")).to_be_visible()

    # Who looked: the emergency access above, and a refusal of the psychologist he excluded.
    refused = new_page_as(Profile.PSYCHOLOGIST).goto(reverse("people:detail", args=person))
    assert refused is not None
    assert refused.status == 404
    page = open_as(Profile.PERSON, reverse("audit:person-log", args=person))
    shoot(page, "11-who-looked")

    # The social map, public.
    page = open_as(None, reverse("directory:search") + "?q=hulp+bij+het+poetsen&place=Geel")
    shoot(page, "14-social-map")

    # The zone admin's access matrix.
    page = open_as(Profile.ZONE_ADMIN, reverse("access:matrix"))
    shoot(page, "15-access-matrix")

    # On a phone: the dossier as the informal caregiver sees it, at 360 px.
    page = open_as(Profile.INFORMAL_CAREGIVER, reverse("people:detail", args=person), viewport=NARROW)
    shoot(page, "16-dossier-caregiver-360")

    # Each profile lands on its own work: the zone admin's and the DPO's home pages.
    page = open_as(Profile.ZONE_ADMIN, reverse("home"))
    shoot(page, "17-home-zone-admin")
    page = open_as(Profile.DPO, reverse("home"))
    shoot(page, "18-home-dpo")

    # The dossier opens with its summary: alerts, the coordinator, what changed (GP, 360 px).
    page = open_as(Profile.GP, reverse("people:detail", args=person), viewport=NARROW)
    shoot(page, "19-dossier-summary-gp-360")

    # Handing over coordination: the confirmation page says what follows before anything changes.
    page = open_as(Profile.GP, reverse("teams:team", args=person))
    with translation.override(LANGUAGE):
        make = translation.gettext("Make %(name)s care coordinator") % {"name": users[Profile.NURSE].full_name}
    page.get_by_role("link", name=make).click()
    shoot(page, "20-confirm-coordinator")

    # A medication line is stopped with a date and a reason, never deleted.
    line = MedicationIntake.objects.filter(person=jozef, stopped_on=None).order_by("pk").first()
    assert line is not None
    page = open_as(Profile.GP, reverse("people:medication-stop", args=person) + f"?item={line.public_id}")
    shoot(page, "21-stop-medication")

    # A team message: the author chooses the topic and reads who will see it (360 px).
    page = open_as(Profile.NURSE, reverse("teams:messages", args=person), viewport=NARROW)
    page.locator(f"input[name=category][value={Category.MEDICAL}]").check()
    shoot(page, "22-message-topic-360", start=page.locator("form:has(input[name=category])"))

    # Who looked, on a phone: visits grouped, the person's own hidden, the DPO's contact.
    page = open_as(Profile.PERSON, reverse("audit:person-log", args=person), viewport=NARROW)
    shoot(page, "23-who-looked-360")

    # A service of the social map opens with the number to call.
    results = open_as(None, reverse("directory:search") + "?q=thuisverpleging&place=Geel")
    first = results.locator("[aria-labelledby^=service-]").first
    hsds_id = (first.get_attribute("aria-labelledby") or "").removeprefix("service-")
    service = open_as(None, reverse("directory:service", args=[hsds_id]), viewport=NARROW)
    shoot(service, "24-service-contact-360")

    # The care plan (issue 12), from the demo's plans and meetings (plans/demo.py, meetings/demo.py).
    page = open_as(Profile.GP, reverse("plans:plan", args=person), language="nl")
    shoot(page, "25-plan-coordinator-nl")
    page = open_as(Profile.PERSON, reverse("plans:plan", args=person), viewport=NARROW, language="nl")
    shoot(page, "26-plan-person-360-nl")
    # Goal Attainment Scaling: the T-score chart and its table, for Simone, in French.
    simone = Person.objects.get(given_name="Simone")
    page = open_as(Profile.SOCIAL_WORKER, reverse("plans:gas-overview", args=[simone.public_id]), language="fr")
    shoot(page, "27-gas-chart-fr")
    page = open_as(Profile.NURSE, reverse("plans:my-actions"))
    shoot(page, "28-my-actions-nurse")
    helped = PlanAction.objects.get(person=jozef, help_answers__answer="partly")
    page = open_as(Profile.PERSON, reverse("plans:action", args=[jozef.public_id, helped.public_id]))
    shoot(page, "29-action-did-it-help-person")
    mdo = Meeting.objects.filter(person=jozef, status=Meeting.Status.CLOSED).order_by("starts_at").last()
    assert mdo is not None
    page = open_as(Profile.GP, reverse("meetings:detail", args=person) + f"?meeting={mdo.public_id}")
    shoot(page, "30-meeting-decisions")
    own = PlanAction.objects.get(person=jozef, owner__user=users[Profile.NEIGHBOUR])
    page = open_as(
        Profile.NEIGHBOUR,
        reverse("plans:action", args=[jozef.public_id, own.public_id]),
        viewport=NARROW,
        language="fr",
    )
    shoot(page, "31-neighbour-action-fr-360")

    sizes = {path.name: path.stat().st_size for path in sorted(GUIDE_IMAGES.glob("*.png"))}
    print("\n".join(f"{name}: {size // 1024} KB" for name, size in sizes.items()))
