from django.apps import AppConfig


class InteropConfig(AppConfig):
    """Exchange formats at the edges (HSDS now; KMEHR and FHIR later): formats only, no models of
    other apps. The apps that own the data map it to and from these formats."""

    name = "interop"
