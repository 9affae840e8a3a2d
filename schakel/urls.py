from django.contrib import admin
from django.urls import include, path

from people.views import home
from schakel.api import api

urlpatterns = [
    path("", home, name="home"),
    path("account/", include("accounts.urls")),
    path("persons/", include("people.urls")),
    path("access/", include("access.urls")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("notifications.urls")),
    path("teams/", include("teams.urls")),
    path("plans/", include("plans.urls")),
    path("meetings/", include("meetings.urls")),
    path("privacy/", include("privacy.urls")),
    path("map/curation/", include("directory.curation_urls")),
    path("hsds/", include("directory.hsds_urls")),
    path("map/", include("directory.urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]
