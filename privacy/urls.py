from django.urls import path

from privacy import export_views, views

app_name = "privacy"
urlpatterns: list = [
    path("person/<uuid:person_id>/close/", views.close, name="close"),
    path("person/<uuid:person_id>/reopen/", views.reopen, name="reopen"),
    path("closures/", views.closures, name="closures"),
    path("retention/", views.retention_rules, name="retention"),
    path("person/<uuid:person_id>/", export_views.your_data, name="your-data"),
    path("person/<uuid:person_id>/export.json", export_views.export_json, name="export-json"),
    path("person/<uuid:person_id>/export.pdf", export_views.export_pdf, name="export-pdf"),
]
