"""/map/: the public social map (search, services, where to start, local offer, accessibility)
and the zone team's need taxonomy. Curation lives under /map/curation/ (directory.curation_urls)."""

from django.urls import path

from directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("service/<str:hsds_id>/", views.service_page, name="service"),
    path("start/", views.start_page, name="start"),
    path("municipalities/", views.municipalities_page, name="municipalities"),
    path("municipality/<str:nis_code>-<str:postcode>/", views.municipality_page, name="municipality"),
    path("accessibility/", views.accessibility_page, name="accessibility"),
    path("taxonomy/", views.taxonomy_page, name="taxonomy"),
    path("taxonomy/suggestions/", views.suggestions_page, name="suggestions"),
    path("taxonomy/suggestions/<int:suggestion_id>/", views.suggestion_decide, name="suggestion-decide"),
    path("taxonomy/<str:code>/", views.need_page, name="need"),
]
