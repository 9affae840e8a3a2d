"""The factories of access, teams and the social map make rows that hang together: the person acts
through their own account, and a directory's records share its published dataset."""

from access import gate
from access.tests.factories import (
    BreakGlassAccessFactory,
    ConsentFactory,
    ExclusionFactory,
    MandateFactory,
    RepresentationFactory,
)
from core.vocab import Category, Level, Profile
from directory.models import Dataset
from directory.tests.factories import (
    DatasetFactory,
    OrganizationFactory,
    ServiceAreaFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)
from teams.tests.factories import HandoverItemFactory, MembershipFactory, TeamMessageFactory


def test_the_person_grants_and_excludes_through_their_own_account(person, person_user, nurse):
    mandate = MandateFactory(person=person)
    exclusion = ExclusionFactory(person=person, excluded=nurse)

    assert mandate.granted_by == exclusion.recorded_by == person_user
    assert mandate.holder.profile == Profile.INFORMAL_CAREGIVER
    assert gate.decide(mandate.holder, person, Category.WISHES, Level.READ).allowed
    assert gate.decide(nurse, person, Category.IDENTITY, Level.READ).reason == "excluded"


def test_each_access_row_reaches_the_gate(db):
    consent = ConsentFactory()
    representation = RepresentationFactory()
    emergency = BreakGlassAccessFactory()

    assert consent.person.consents.get() == consent
    assert gate.decide(representation.representative, representation.person, Category.IDENTITY, Level.READ).allowed
    assert gate.decide(emergency.actor, emergency.person, Category.MEDICATION, Level.READ).allowed


def test_team_rows(person, nurse, gp):
    family = MembershipFactory(person=person, user__profile=Profile.FAMILY)
    message = TeamMessageFactory(person=person, author=gp, addressees=[nurse])
    item = HandoverItemFactory(person=person, from_user=nurse)

    assert (family.profile, family.until) == (Profile.FAMILY, None)
    assert list(message.addressees.all()) == [nurse]
    assert item.flagged


def test_a_directorys_records_share_the_published_dataset(db):
    staging = DatasetFactory()
    service = ServiceFactory()
    organization = OrganizationFactory()
    at_location = ServiceAtLocationFactory(service=service)
    area = ServiceAreaFactory(service=service)

    published = Dataset.objects.published()
    assert staging.status == Dataset.Status.STAGING
    assert {service.dataset, organization.dataset, at_location.location.dataset, area.dataset} == {published}
    assert ServiceFactory(dataset=staging).dataset == staging
