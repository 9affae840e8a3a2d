from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("person/<uuid:person_id>/", views.person_log, name="person-log"),
    path("search/", views.search, name="search"),
]
