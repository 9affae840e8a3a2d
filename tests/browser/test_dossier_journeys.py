"""The dossier and care-team journeys of issue 4, walked in Debian's Chromium: a coordinator
builds a team, the GP edits the medication schedule, the informal caregiver sees only what the
matrix allows, the person excludes a professional, a stale edit meets the conflict message; then
axe on the dossier pages in nl and fr. Elements are found by role and by the label the server
renders in that language; the database is checked where it proves more than the page."""

import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from access import gate
from access.models import Exclusion
from audit.models import AuditEntry
from core import phones
from core.vocab import Level, Profile
from people import sections
from people.models import MedicationIntake, Person
from teams.models import TeamMessage
from teams.queries import active_members
from tests.browser.conftest import WIDE, t

expect = pytest.importorskip("playwright.sync_api").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGE = "nl"
BLOCKING_IMPACTS = {"serious", "critical"}


def label(lazy: object, language: str = LANGUAGE) -> str:
    """A lazily translated label (a choice, a section title) as rendered in `language`."""
    with translation.override(language):
        return str(lazy)


def capfirst_label(lazy: object, language: str = LANGUAGE) -> str:
    text = label(lazy, language)
    return text[:1].upper() + text[1:]


def field_label(text: str) -> re.Pattern[str]:
    """A form label exactly, with or without Django's label suffix."""
    return re.compile(rf"^{re.escape(text)}:?$")


def messages_of(page):
    return page.locator("ul.messages")


def _intake_field(field: str) -> re.Pattern[str]:
    """A medication-schedule form label: the model field's verbose name, as ModelForm shows it."""
    return field_label(capfirst_label(MedicationIntake._meta.get_field(field).verbose_name))  # type: ignore[union-attr]  # a concrete field


def test_coordinator_registers_a_person_and_builds_the_team(demo, new_context, live_server):
    users, _ = demo
    coordinator, gp, caregiver = users[Profile.CARE_COORDINATOR], users[Profile.GP], users[Profile.INFORMAL_CAREGIVER]
    page = new_context(coordinator).new_page()

    page.goto(reverse("home"))
    page.get_by_role("link", name=t("Register a person", LANGUAGE)).click()
    page.get_by_label(t("Given name", LANGUAGE)).fill("Lena")
    page.get_by_label(t("Family name", LANGUAGE)).fill("Verbruggen")
    page.get_by_role("button", name=t("Register", LANGUAGE), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Verbruggen")
    lena = Person.objects.get(given_name="Lena", family_name="Verbruggen")

    # The registering professional records the consent the person expressed. The dossier page
    # has no link to this form for them yet, so they come by its address.
    page.goto(reverse("access:consent-record", args=[lena.public_id]))
    page.get_by_label(t("the person", LANGUAGE), exact=True).check()
    page.get_by_label(t("They told me they agree that their care team shares their data in Schakel.", LANGUAGE)).check()
    page.get_by_role("button", name=t("Record the consent", LANGUAGE)).click()
    expect(messages_of(page)).to_contain_text(
        t("The consent is on file. The care team can now share the data.", LANGUAGE)
    )

    page.get_by_role("link", name=t("Care team and messages", LANGUAGE)).click()
    expect(page.get_by_text(t("No care coordinator: agree who coordinates.", LANGUAGE))).to_be_visible()
    page.get_by_role("link", name=t("Make %(name)s care coordinator", LANGUAGE, name=coordinator.full_name)).click()
    # Taking the role oneself is confirmed on a page that says what it means (issue 11).
    page.get_by_role("button", name=t("Yes, I coordinate", LANGUAGE)).click()
    expect(messages_of(page)).to_contain_text(t("You are the care coordinator now.", LANGUAGE))
    expect(page.get_by_text(t("No care coordinator: agree who coordinates.", LANGUAGE))).to_have_count(0)

    # The GP joins in their own profile.
    page.get_by_role("link", name=t("Add a member", LANGUAGE)).click()
    page.get_by_label(t("E-mail address of their Schakel account", LANGUAGE)).fill(gp.email)
    page.get_by_role("button", name=t("Add to the team", LANGUAGE)).click()
    expect(messages_of(page)).to_contain_text(t("%(name)s is on the team now.", LANGUAGE, name=gp.full_name))

    # The daughter joins the person's own circle, in the role the coordinator picks.
    page.get_by_role("link", name=t("Add a member", LANGUAGE)).click()
    page.get_by_label(t("E-mail address of their Schakel account", LANGUAGE)).fill(caregiver.email)
    page.get_by_label(field_label(t("Role", LANGUAGE))).select_option(label=label(Profile.INFORMAL_CAREGIVER.label))
    page.get_by_label(t("Assignment: what they do for the person", LANGUAGE)).fill("Dagelijks bezoek")
    page.get_by_role("button", name=t("Add to the team", LANGUAGE)).click()
    expect(messages_of(page)).to_contain_text(t("%(name)s is on the team now.", LANGUAGE, name=caregiver.full_name))

    professionals = page.locator("section", has=page.get_by_role("heading", name=t("Professionals", LANGUAGE)))
    circle = page.locator("section", has=page.get_by_role("heading", name=t("The person's own circle", LANGUAGE)))
    expect(professionals.get_by_role("row").filter(has_text=gp.full_name)).to_have_count(1)
    expect(professionals.get_by_role("row").filter(has_text=coordinator.full_name)).to_contain_text(
        t("care coordinator", LANGUAGE)
    )
    expect(circle.get_by_role("row").filter(has_text=caregiver.full_name)).to_contain_text("Dagelijks bezoek")

    members = {m.user_id: m for m in active_members(lena)}
    assert set(members) == {coordinator.pk, gp.pk, caregiver.pk}
    assert [m.user_id for m in members.values() if m.is_coordinator] == [coordinator.pk]
    assert members[gp.pk].profile == Profile.GP
    assert members[caregiver.pk].profile == Profile.INFORMAL_CAREGIVER
    assert members[caregiver.pk].added_by_id == coordinator.pk

    # The new members have access at once: each finds Lena on their home page and opens her dossier.
    for member in (gp, caregiver):
        member_page = new_context(member).new_page()
        member_page.goto(reverse("home"))
        member_page.get_by_role("link", name="Lena Verbruggen").click()
        expect(member_page.get_by_role("heading", level=1)).to_have_text("Lena Verbruggen")
        expect(member_page).to_have_url(re.compile(re.escape(reverse("people:detail", args=[lena.public_id])) + "$"))


def test_gp_adds_and_changes_a_line_of_the_medication_schedule(demo, new_context):
    users, jozef = demo
    gp = users[Profile.GP]
    medication = sections.kind("medication")
    page = new_context(gp).new_page()

    page.goto(reverse("people:detail", args=[jozef.public_id]))
    page.locator("#section-medication").get_by_role("link", name=label(medication.title)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(label(medication.title))
    form = page.locator("form", has=page.get_by_role("button", name=t("Save", LANGUAGE)))
    form.get_by_label(_intake_field("time_of_day")).fill("21:30")
    form.get_by_label(_intake_field("medication")).fill("Zolpidem 10 mg (demo)")
    form.get_by_label(_intake_field("dose")).fill("1/2 tablet")
    form.get_by_label(_intake_field("with_food")).check()
    form.get_by_role("button", name=t("Save", LANGUAGE)).click()

    expect(messages_of(page)).to_contain_text(t("Saved.", LANGUAGE))
    row = page.get_by_role("row").filter(has_text="Zolpidem 10 mg (demo)")
    expect(row).to_contain_text("1/2 tablet")
    expect(row).to_contain_text("21:30")
    intake = MedicationIntake.objects.get(person=jozef, medication="Zolpidem 10 mg (demo)")
    assert (intake.updated_by_id, intake.version, intake.with_food) == (gp.pk, 1, True)

    # Change it: the edit link of that row fills the form with the entry and its version.
    row.locator("a[href*='?item=']:not([href*='/stop/'])").click()  # Edit, not Stop
    expect(page.get_by_role("heading", name=t("Change this entry", LANGUAGE))).to_be_visible()
    form.get_by_label(_intake_field("dose")).fill("1 tablet")
    form.get_by_role("button", name=t("Save", LANGUAGE)).click()
    expect(messages_of(page)).to_contain_text(t("Saved.", LANGUAGE))
    expect(page.get_by_role("row").filter(has_text="Zolpidem 10 mg (demo)")).to_contain_text("1 tablet")
    intake.refresh_from_db()
    assert (intake.dose, intake.version) == ("1 tablet", 2)
    assert intake.history.count() == 2

    # The change is in the section's history, with who made it.
    page.get_by_role("link", name=t("History of changes", LANGUAGE)).click()
    expect(page.get_by_role("main")).to_contain_text(gp.full_name)
    expect(page.get_by_role("main")).to_contain_text("1 tablet")


def test_caregiver_sees_only_what_the_matrix_allows(demo, new_context):
    users, jozef = demo
    caregiver = users[Profile.INFORMAL_CAREGIVER]
    readable = {c: gate.decide(caregiver, jozef, c, Level.READ).allowed for c in sections.DOSSIER_CATEGORIES}
    hidden = [c for c, allowed in readable.items() if not allowed]
    assert hidden, "the shipped matrix hides some dossier category from an informal caregiver"
    assert any(readable.values())
    page = new_context(caregiver).new_page()

    response = page.goto(reverse("people:detail", args=[jozef.public_id]))
    assert response is not None
    assert response.status == 200
    main = page.get_by_role("main")
    for group in sections.GROUPS:
        heading = main.get_by_role("heading", level=2, name=label(group.heading), exact=True)
        if readable[group.category]:
            expect(heading).to_be_visible()
        else:
            expect(heading).to_have_count(0)
            for code in group.sections:
                expect(page.locator(f"#section-{code}")).to_have_count(0)

    # A hidden section's own page answers like an unknown address, and the refusal is logged.
    hidden_code = next(code for code, kind in sections.SECTIONS.items() if kind.category in hidden and kind.generic)
    hidden_page = new_context(caregiver).new_page()
    response = hidden_page.goto(reverse(f"people:section-{sections.kind(hidden_code).slug}", args=[jozef.public_id]))
    assert response is not None
    assert response.status == 404
    expect(hidden_page.get_by_role("heading", level=1)).to_have_text(t("Not found", LANGUAGE))
    assert AuditEntry.objects.filter(person=jozef, actor=caregiver, allowed=False).exists()

    # The team's thread shows her only the messages in categories she may read, without a trace
    # of the others; the priority numbers are for professionals only.
    page.goto(reverse("teams:messages", args=[jozef.public_id]))
    messages = list(TeamMessage.objects.filter(person=jozef))
    shown = [m for m in messages if gate.decide(caregiver, jozef, m.category, Level.READ).allowed]
    assert shown and len(shown) < len(messages)
    thread = page.get_by_role("list", name=t("Messages, oldest first", LANGUAGE))
    expect(thread.get_by_role("listitem")).to_have_count(len(shown))
    for message in messages:
        expect(thread.get_by_text(message.body)).to_have_count(1 if message in shown else 0)
    page.goto(reverse("teams:team", args=[jozef.public_id]))
    expect(page.get_by_role("columnheader", name=t("Priority contact", LANGUAGE))).to_have_count(0)
    # Her circle sees the ordinary and 24/7 numbers (issue 11), never a priority number.
    priority = [phones.display(m.priority_phone) for m in active_members(jozef).exclude(priority_phone="")]
    assert priority
    for number in priority:
        expect(page.get_by_role("main")).not_to_contain_text(number)


def test_person_excludes_a_professional_who_is_then_refused(demo, new_context):
    users, jozef = demo
    pharmacist = users[Profile.PHARMACIST]
    person_url = reverse("people:detail", args=[jozef.public_id])
    pharmacist_page = new_context(pharmacist).new_page()
    response = pharmacist_page.goto(person_url)
    assert response is not None
    assert response.status == 200

    page = new_context(users[Profile.PERSON]).new_page()
    page.goto(person_url)
    # The summary on top and the consent section both lead there.
    page.get_by_role("link", name=t("Consent and exclusions", LANGUAGE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My consent and exclusions", LANGUAGE))
    page.get_by_label(t("Someone around the person", LANGUAGE)).select_option(
        label=f"{pharmacist.full_name} ({label(pharmacist.profile_label)})"
    )
    page.get_by_role("button", name=t("Exclude", LANGUAGE), exact=True).click()

    expect(messages_of(page)).to_contain_text(
        t("%(name)s is excluded and no longer sees anything of the dossier.", LANGUAGE, name=pharmacist.full_name)
    )
    excluded = page.locator("section", has=page.get_by_role("heading", name=t("Excluded people", LANGUAGE)))
    expect(excluded.get_by_role("listitem").filter(has_text=pharmacist.full_name)).to_have_count(1)
    exclusion = Exclusion.objects.active().get(person=jozef, excluded=pharmacist)

    # The explanation page says so, for the pharmacist, in every row.
    page.get_by_role("link", name=t("Who can see what, and why", LANGUAGE)).click()
    page.get_by_label(field_label(t("Explain for", LANGUAGE))).select_option(value=str(pharmacist.public_id))
    page.get_by_role("button", name=t("Explain", LANGUAGE), exact=True).click()
    with translation.override(LANGUAGE):
        since = formats.date_format(timezone.localtime(exclusion.since), "DATE_FORMAT")
    excluded_reason = t(
        "The person has excluded %(name)s since %(date)s. An exclusion blocks all access, emergencies included.",
        LANGUAGE,
        name=pharmacist.full_name,
        date=since,
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("What %(who)s can see, and why", LANGUAGE, who=pharmacist.full_name)
    )
    explained = page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("rowheader"))
    expect(explained.filter(has_text=excluded_reason).first).to_be_visible()
    expect(explained.locator(".outcome-allowed")).to_have_count(0)

    # At once: the same page the pharmacist just read is now a 404 that names no one.
    response = pharmacist_page.goto(person_url)
    assert response is not None
    assert response.status == 404
    expect(pharmacist_page.get_by_role("heading", level=1)).to_have_text(t("Not found", LANGUAGE))
    assert "Wouters" not in pharmacist_page.content()
    refusal = AuditEntry.objects.filter(person=jozef, actor=pharmacist, allowed=False).latest("pk")
    assert refusal.action == "people.person_viewed"

    # Jozef's "who looked" page shows the refusal.
    page.goto(reverse("audit:person-log", args=[jozef.public_id]))
    visits = page.locator("ol.visit-list > li").filter(has_text=pharmacist.full_name)
    expect(visits.first).to_contain_text(t("you have excluded them", LANGUAGE))


def test_stale_edit_gets_the_conflict_message_naming_who_changed_it(demo, new_context):
    users, jozef = demo
    gp, nurse = users[Profile.GP], users[Profile.NURSE]
    intake = MedicationIntake.objects.filter(person=jozef).order_by("pk").first()
    assert intake is not None
    edit_url = reverse("people:section-medication", args=[jozef.public_id]) + f"?item={intake.public_id}"
    pages = {}
    for user in (gp, nurse):
        pages[user] = new_context(user).new_page()
        pages[user].goto(edit_url)
        expect(pages[user].get_by_role("heading", name=t("Change this entry", LANGUAGE))).to_be_visible()

    # Both read version 1; the nurse saves first.
    pages[nurse].get_by_label(_intake_field("dose")).fill("2 tabletten (verpleegkundige)")
    pages[nurse].get_by_role("button", name=t("Save", LANGUAGE)).click()
    expect(messages_of(pages[nurse])).to_contain_text(t("Saved.", LANGUAGE))

    gp_page = pages[gp]
    gp_page.get_by_label(_intake_field("notes")).fill("Avonddosis verlagen (huisarts)")
    gp_page.get_by_role("button", name=t("Save", LANGUAGE)).click()

    intake.refresh_from_db()
    assert (intake.version, intake.dose, intake.updated_by_id) == (2, "2 tabletten (verpleegkundige)", nurse.pk)
    assert intake.notes != "Avonddosis verlagen (huisarts)"
    with translation.override(LANGUAGE):
        when = formats.date_format(timezone.localtime(intake.updated_at), "DATETIME_FORMAT")
    expect(gp_page.get_by_role("main")).to_contain_text(
        t(
            "This was changed by %(name)s at %(time)s; here is the new version.",
            LANGUAGE,
            name=nurse.full_name,
            time=when,
        )
    )
    current = gp_page.locator("section", has=gp_page.get_by_role("heading", name=t("The new version", LANGUAGE)))
    expect(current).to_contain_text("2 tabletten (verpleegkundige)")
    # The GP's own input is kept, so nothing typed is lost.
    expect(gp_page.get_by_label(_intake_field("notes"))).to_have_value("Avonddosis verlagen (huisarts)")

    # Saving again is now a deliberate choice over the version the GP has seen.
    gp_page.get_by_role("button", name=t("Save", LANGUAGE)).click()
    expect(messages_of(gp_page)).to_contain_text(t("Saved.", LANGUAGE))
    intake.refresh_from_db()
    assert (intake.version, intake.notes, intake.updated_by_id) == (3, "Avonddosis verlagen (huisarts)", gp.pk)


def _dossier_pages(users, jozef):
    """(name, who, path) of the dossier pages axe checks."""
    person = [jozef.public_id]
    medication = reverse("people:section-medication", args=person)
    intake = MedicationIntake.objects.filter(person=jozef).order_by("pk").first()
    assert intake is not None
    return [
        ("dossier", users[Profile.GP], reverse("people:detail", args=person)),
        ("dossier-caregiver", users[Profile.INFORMAL_CAREGIVER], reverse("people:detail", args=person)),
        ("section-list", users[Profile.GP], medication),
        ("section-edit", users[Profile.GP], f"{medication}?item={intake.public_id}"),
        ("section-singleton", users[Profile.NURSE], reverse("people:section-home", args=person)),
        ("section-visits", users[Profile.NURSE], reverse("people:section-visits", args=person)),
        ("section-history", users[Profile.GP], reverse("people:history-medication", args=person)),
        ("medication-problems", users[Profile.PHARMACIST], reverse("people:medication-problems", args=person)),
        ("team", users[Profile.GP], reverse("teams:team", args=person)),
        ("team-add", users[Profile.GP], reverse("teams:member-add", args=person)),
        ("messages", users[Profile.NURSE], reverse("teams:messages", args=person)),
        ("consent", users[Profile.PERSON], reverse("access:consent", args=person)),
        ("why", users[Profile.INFORMAL_CAREGIVER], reverse("access:explain", args=person)),
    ]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_axe_finds_no_serious_violation_on_the_dossier_pages(demo, new_context, language):
    users, jozef = demo
    axe = Axe()
    blocking, other = [], []
    for name, user, path in _dossier_pages(users, jozef):
        type(user).objects.filter(pk=user.pk).update(language=language)
        page = new_context(user, language=language, viewport=WIDE).new_page()
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        for violation in axe.run(page).response["violations"]:
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            line = f"{name} [{language}] {violation['id']} ({violation['impact']}): {targets}"
            (blocking if violation["impact"] in BLOCKING_IMPACTS else other).append(line)
    print("\n".join(["axe, minor and moderate:", *other]))
    assert blocking == []
