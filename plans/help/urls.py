from django.urls import path

from plans.help import views

# Included by plans/urls.py, in its "plans" namespace.
urlpatterns = [
    path("person/<uuid:person_id>/did-it-help/", views.did_it_help, name="did-it-help"),
]
