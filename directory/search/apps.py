from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The need taxonomy's everyday words and the search index: a sub-app of `directory` with its
    own models and migrations, so the two can change without touching each other's."""

    name = "directory.search"
    label = "directory_search"
    verbose_name = _("Social map search")
