"""Rows of the social map built one by one, for tests that need a few records without importing
an HSDS file (directory/tests/samples.py writes such files). Records go into the published dataset
(made when there is none: only one may be published) unless given `dataset=`."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory.models import Dataset, Location, Organization, Service, ServiceArea, ServiceAtLocation


class DatasetFactory(DjangoModelFactory):
    """A dataset being imported (staging); `DatasetFactory(published=True)` for the one in force."""

    class Meta:
        model = Dataset

    label = factory.Sequence(lambda n: f"test dataset {n}")

    class Params:
        published = factory.Trait(status=Dataset.Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now))


def published_dataset() -> Dataset:
    return Dataset.objects.published() or DatasetFactory.create(published=True)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    dataset = factory.LazyFunction(published_dataset)
    hsds_id = factory.Sequence(lambda n: f"org-{n}")
    name_nl = factory.Sequence(lambda n: f"Organisatie {n}")


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    dataset = factory.LazyFunction(published_dataset)
    hsds_id = factory.Sequence(lambda n: f"service-{n}")
    name_nl = factory.Sequence(lambda n: f"Dienst {n}")


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    dataset = factory.LazyFunction(published_dataset)
    hsds_id = factory.Sequence(lambda n: f"loc-{n}")


class ServiceAtLocationFactory(DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory, dataset=factory.SelfAttribute("..service.dataset"))
    dataset = factory.SelfAttribute("service.dataset")
    hsds_id = factory.Sequence(lambda n: f"sal-{n}")


class ServiceAreaFactory(DjangoModelFactory):
    """Where a service works: pass `municipality=` or `zone=`."""

    class Meta:
        model = ServiceArea

    service = factory.SubFactory(ServiceFactory)
    dataset = factory.SelfAttribute("service.dataset")
    hsds_id = factory.Sequence(lambda n: f"area-{n}")
