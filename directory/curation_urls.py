"""/map/curation/: the zone team's pages (directory/curation/views.py)."""

from django.urls import path

from directory.curation import views

app_name = "curation"
urlpatterns = [
    path("", views.service_list, name="services"),
    path("services/<str:hsds_id>/", views.edit_service, name="service"),
    path("services/<str:hsds_id>/confirm/", views.confirm_service, name="service-confirm"),
    path("services/<str:hsds_id>/availability/", views.update_availability, name="service-availability"),
    path("imports/", views.imports, name="imports"),
    path("imports/<uuid:public_id>/", views.import_job, name="import-job"),
]
