import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts import services
from accounts.models import Invitation, Organisation, User
from accounts.tests.conftest import log_in
from accounts.tests.factories import OrganisationFactory
from audit.models import AuditEntry
from core.vocab import Profile

VALID_MOD97 = "1-23456-25-001"  # check digits 97 - (123456 mod 97) = 25
VALID_MOD89 = "12345676001"  # check digits 89 - (123456 mod 89) = 76
VALID_KBO = "0200.000.043"
NEW_PASSWORD = "ijsbeer-fietst-naar-Gent-42"


def _invite(actor, **fields):
    values = {
        "email": "Els.Wuyts@Example.org",
        "full_name": "Els Wuyts",
        "profile": Profile.NURSE,
        "language": "fr",
        "site_url": "https://schakel.example/",
        "new_organisation_name": "Thuisverpleging Noord",
        "riziv_number": VALID_MOD97,
    }
    values.update(fields)
    return services.invite_professional(actor, **values)


def _token_from(message) -> str:
    link = re.search(r"/account/invitation/([^/\s]+)/", message.body)
    assert link, message.body
    return link.group(1)


def test_zone_admin_invites_a_nurse_and_only_the_token_hash_is_kept(zone_admin):
    invitation = _invite(zone_admin)

    assert (invitation.email, invitation.profile, invitation.language) == ("els.wuyts@example.org", "nurse", "fr")
    assert (invitation.riziv_number, invitation.riziv_scheme) == ("12345625001", "mod97")
    assert invitation.organisation.name == "Thuisverpleging Noord"
    assert invitation.expires_at - invitation.created_at == services.INVITATION_VALID_FOR
    assert invitation.status == Invitation.Status.PENDING
    [message] = mail.outbox
    token = _token_from(message)
    invitation.refresh_from_db()  # the mail's task minted the token and stored its hash
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in {invitation.token_hash, invitation.email, invitation.full_name}
    assert message.to == ["els.wuyts@example.org"]
    entry = AuditEntry.objects.get(action="accounts.invitation_sent")
    assert (entry.actor_id, entry.event, entry.allowed) == (zone_admin.pk, "account", True)


def test_the_invitation_email_is_plain_text_in_the_invitees_language(zone_admin):
    invitation = _invite(zone_admin, language="fr")

    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "fr"
    assert (message.content_subtype, getattr(message, "alternatives", [])) == ("plain", [])  # a link only
    with translation.override("fr"):
        assert message.subject == gettext("Your invitation to Schakel")
    # Django's own French month names show the body was rendered in French.
    months_fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    assert months_fr[timezone.localtime(invitation.expires_at).month - 1] in message.body
    assert "https://schakel.example/account/invitation/" in message.body


def test_the_second_riziv_scheme_is_accepted_and_recorded(zone_admin):
    invitation = _invite(zone_admin, riziv_number=VALID_MOD89)
    assert (invitation.riziv_number, invitation.riziv_scheme) == ("12345676001", "mod89")


def test_a_new_organisation_gets_its_validated_kbo_number(zone_admin):
    invitation = _invite(zone_admin, new_organisation_kbo=VALID_KBO)
    assert invitation.organisation.kbo_number == "0200000043"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"riziv_number": ""}, "riziv_number", "riziv_required"),
        ({"riziv_number": "1-23456-26-001"}, "riziv_number", "invalid_riziv_check"),
        ({"riziv_number": "123"}, "riziv_number", "invalid_riziv_length"),
        ({"profile": Profile.INFORMAL_CAREGIVER}, "profile", "not_professional"),
        ({"profile": Profile.PERSON}, "profile", "not_professional"),
        ({"new_organisation_kbo": "0200.000.044"}, "new_organisation_kbo", "invalid_kbo"),
        ({"new_organisation_name": ""}, "organisation", "no_organisation"),
        ({"language": "de"}, "language", "invalid_language"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(zone_admin, fields, field, code):
    with pytest.raises(ValidationError) as raised:
        _invite(zone_admin, **fields)

    assert [error.code for error in raised.value.error_dict[field]] == [code]
    assert (Invitation.objects.count(), Organisation.objects.count(), len(mail.outbox)) == (0, 0, 0)


def test_riziv_is_optional_for_a_social_worker(zone_admin):
    invitation = _invite(zone_admin, profile=Profile.SOCIAL_WORKER, riziv_number="")
    assert (invitation.riziv_number, invitation.riziv_scheme) == ("", "")


def test_an_existing_organisation_is_chosen(zone_admin):
    organisation = OrganisationFactory(name="Apotheek De Linde")
    invitation = _invite(zone_admin, profile=Profile.PHARMACIST, organisation=organisation, new_organisation_name="")
    assert invitation.organisation == organisation
    assert Organisation.objects.count() == 1


def test_an_existing_account_is_not_invited_again(zone_admin, nurse):
    with pytest.raises(ValidationError) as raised:
        _invite(zone_admin, email=nurse.email.upper())
    assert raised.value.error_dict["email"][0].code == "account_exists"


def test_a_known_kbo_number_points_to_the_existing_organisation(zone_admin):
    OrganisationFactory(name="WGC Noord", kbo_number="0200000043")
    with pytest.raises(ValidationError) as raised:
        _invite(zone_admin, new_organisation_kbo=VALID_KBO)
    assert raised.value.error_dict["new_organisation_kbo"][0].code == "organisation_exists"


def test_only_a_zone_admin_invites(gp):
    with pytest.raises(Http404):
        _invite(gp)
    assert Invitation.objects.count() == 0


def test_inviting_again_replaces_the_pending_invitation(zone_admin):
    first = _invite(zone_admin)
    second = _invite(zone_admin)
    first.refresh_from_db()
    assert (first.status, second.status) == (Invitation.Status.EXPIRED, Invitation.Status.PENDING)


def test_accepting_creates_the_account_and_the_link_then_stops_working(zone_admin, client):
    invitation = _invite(zone_admin)
    url = "/account/invitation/" + _token_from(mail.outbox[0]) + "/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    user = User.objects.get(email="els.wuyts@example.org")
    assert (user.full_name, user.profile, user.language) == ("Els Wuyts", "nurse", "fr")
    assert (user.riziv_number, user.riziv_scheme, user.organisation) == (
        "12345625001",
        "mod97",
        invitation.organisation,
    )
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.user) == (Invitation.Status.ACCEPTED, user)
    assert log_in(Client(), user.email, NEW_PASSWORD).status_code == 302

    again = client.get(url)
    assert again.status_code == 410
    with translation.override("nl"):
        used = gettext("This invitation has already been used. Log in with your e-mail address and password.")
    assert used in again.content.decode()
    assert User.objects.filter(email="els.wuyts@example.org").count() == 1


def test_a_weak_password_is_refused_and_no_account_is_made(zone_admin, client):
    _invite(zone_admin)
    url = "/account/invitation/" + _token_from(mail.outbox[0]) + "/"

    response = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert not User.objects.filter(email="els.wuyts@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_invitation_says_so(zone_admin, client):
    invitation = _invite(zone_admin)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    url = "/account/invitation/" + _token_from(mail.outbox[0]) + "/"

    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 410
    with translation.override("nl"):
        expired = gettext("This invitation has expired. Ask your care zone's administrator for a new invitation.")
    assert escape(expired) in response.content.decode()
    assert not User.objects.filter(email="els.wuyts@example.org").exists()


def test_an_unknown_token_is_a_404(db, client):
    assert client.get("/account/invitation/not-a-real-token/").status_code == 404


def test_the_invite_page_creates_an_invitation(zone_admin_client):
    response = zone_admin_client.post(
        reverse("accounts:invite"),
        {
            "email": "jan.pharma@example.org",
            "full_name": "Jan Peeters",
            "profile": "pharmacist",
            "new_organisation_name": "Apotheek Centrum",
            "new_organisation_kbo": "",
            "riziv_number": VALID_MOD97,
            "language": "nl",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:invitations")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.profile, invitation.language) == ("jan.pharma@example.org", "pharmacist", "nl")
    assert mail.outbox[0].extra_headers["Content-Language"] == "nl"
    assert "http://testserver/account/invitation/" in mail.outbox[0].body


def test_the_invite_page_shows_the_services_errors_on_the_fields(zone_admin_client):
    response = zone_admin_client.post(
        reverse("accounts:invite"),
        {
            "email": "jan@example.org",
            "full_name": "Jan",
            "profile": "gp",
            "new_organisation_name": "X",
            "language": "nl",
        },
    )
    assert response.status_code == 200
    # The zone admin reads English (their account's language).
    assert response.context["form"].errors["riziv_number"] == ["A RIZIV/INAMI number is required for this profile."]
    assert Invitation.objects.count() == 0


def test_the_invite_form_offers_professional_profiles_only(zone_admin_client):
    response = zone_admin_client.get(reverse("accounts:invite"))
    offered = {value for value, _label in response.context["form"].fields["profile"].choices}
    assert "gp" in offered and "zone_admin" in offered
    assert offered & {"person", "representative", "informal_caregiver", "family", "neighbour", "trust_person"} == set()


def test_the_zone_admin_sees_each_invitation_with_its_status(zone_admin, zone_admin_client):
    pending = _invite(zone_admin, email="pending@example.org")
    expired = _invite(zone_admin, email="expired@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    accepted = _invite(zone_admin, email="accepted@example.org")
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())

    response = zone_admin_client.get(reverse("accounts:invitations"))

    assert response.status_code == 200
    rows = {invitation.email: invitation.status for invitation in response.context["page"].object_list}
    assert rows == {
        "pending@example.org": "pending",
        "expired@example.org": "expired",
        "accepted@example.org": "accepted",
    }
    body = response.content.decode()
    assert 'class="invitation-expired"' in body and 'class="invitation-accepted"' in body
    assert pending.email in body
    assert f'href="{reverse("accounts:invitations")}"' in body  # the nav link


@pytest.mark.parametrize("name", ["accounts:invitations", "accounts:invite", "accounts:users"])
def test_other_profiles_get_404_on_the_admin_pages(gp_client, name):
    response = gp_client.get(reverse(name))
    assert response.status_code == 404
    assert f'href="{reverse("accounts:invitations")}"' not in gp_client.get("/").content.decode()


def test_posting_an_invitation_as_a_gp_is_a_404(gp_client):
    response = gp_client.post(reverse("accounts:invite"), {"email": "x@example.org"})
    assert response.status_code == 404
    assert Invitation.objects.count() == 0
