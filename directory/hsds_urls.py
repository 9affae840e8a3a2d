"""/hsds/: the public HSDS 3.1 read API (directory/hsds_api.py) and the public exports."""

from django.urls import path

from directory import export_views
from directory.hsds_api import hsds_api

urlpatterns = [
    path("export/services.json", export_views.export_json, name="hsds-export-json"),
    path("export/datapackage.zip", export_views.export_package, name="hsds-export-package"),
    path("", hsds_api.urls),
]
