"""The printable summary and the person's "Your data" page, as a user sees them (DOS-13, GDPR
art. 15): the Print button opens the print dialog, no navigation is printed, and the page has no
serious accessibility violation."""

import pytest

from tests.browser.conftest import t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The demo users read Dutch: a logged-in user's own language wins over the language cookie.
LANGUAGE = "nl"


def test_the_gp_prints_jozef_s_summary(demo, new_context, screenshots):
    users, jozef = demo
    page = new_context(users["gp"], language=LANGUAGE).new_page()
    page.set_default_timeout(60_000)  # the PDF is rendered on a busy test machine
    page.goto(f"/persons/{jozef.public_id}/")
    page.get_by_role("link", name=t("Print summary", LANGUAGE)).click()
    page.wait_for_url(f"**/persons/{jozef.public_id}/summary/")
    assert page.get_by_role("heading", level=1).inner_text() == t(
        "Dossier summary of %(name)s", LANGUAGE, name=str(jozef)
    )
    page.screenshot(path=screenshots / "summary-gp.png", full_page=True)
    # window.print() is replaced so the test sees the click reach it without a dialog.
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name=t("Print", LANGUAGE)).click()
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    page.pdf(path=str(screenshots / "summary-gp-browser.pdf"), format="A4")
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download as PDF", LANGUAGE)).click()
    download.value.save_as(screenshots / "summary-gp.pdf")
    assert (screenshots / "summary-gp.pdf").read_bytes().startswith(b"%PDF")


def test_the_person_downloads_their_data(demo, new_context, screenshots):
    users, jozef = demo
    page = new_context(users["person"], language=LANGUAGE).new_page()
    page.set_default_timeout(60_000)  # the PDF is rendered on a busy test machine
    page.goto(f"/audit/person/{jozef.public_id}/")
    page.get_by_role("link", name=t("Download a copy of all your data", LANGUAGE)).click()
    page.wait_for_url(f"**/privacy/person/{jozef.public_id}/")
    page.screenshot(path=screenshots / "your-data.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download as PDF", LANGUAGE)).click()
    download.value.save_as(screenshots / "export-person.pdf")
    assert (screenshots / "export-person.pdf").read_bytes().startswith(b"%PDF")
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download as JSON", LANGUAGE)).click()
    assert download.value.suggested_filename == "schakel-my-data.json"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_axe_finds_no_serious_violation_on_the_summary_and_your_data(demo, new_context, language):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    users, jozef = demo
    blocking = []
    pages = [
        (users["gp"], f"/persons/{jozef.public_id}/summary/"),
        (users["informal_caregiver"], f"/persons/{jozef.public_id}/summary/"),
        (users["person"], f"/privacy/person/{jozef.public_id}/"),
    ]
    for user, path in pages:
        type(user).objects.filter(pk=user.pk).update(language=language)
        page = new_context(user, language=language).new_page()
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        for violation in axe_module.Axe().run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                blocking.append(f"{path} {violation['id']}: {[node['target'] for node in violation['nodes']]}")
    assert blocking == []
