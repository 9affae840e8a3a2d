import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.tests.conftest import log_in
from accounts.tests.factories import UserFactory
from core.vocab import Profile

NEW_PASSWORD = "paarse-olifant-danst-in-Luik-7"


def test_the_full_reset_flow_in_the_users_language(db):
    user = UserFactory(profile=Profile.NURSE, language="fr")
    client = Client()

    response = client.post(reverse("accounts:password-reset"), {"email": user.email.upper()})

    assert response.status_code == 302 and response["Location"] == reverse("accounts:password-reset-done")
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.extra_headers["Content-Language"] == "fr"
    with translation.override("fr"):
        assert message.subject == gettext("Schakel: choose a new password")
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body).group(1)

    # Django swaps the token for a session key on the first visit, then shows the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password-reset-complete")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert log_in(Client(), user.email, NEW_PASSWORD).status_code == 302
    # The link works once.
    assert Client().get(link, follow=True).context["validlink"] is False


def test_the_mail_language_follows_the_account_not_the_browser(db):
    user = UserFactory(language="en")
    client = Client()
    client.cookies["django_language"] = "nl"
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert mail.outbox[0].extra_headers["Content-Language"] == "en"


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db):
    response = Client().post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []
