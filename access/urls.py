from django.urls import path

from access import views

app_name = "access"
urlpatterns = [
    path("matrix/", views.matrix_page, name="matrix"),
    path("matrix/history/", views.matrix_history, name="matrix-history"),
    path("matrix/reload/", views.matrix_reload, name="matrix-reload"),
    path("matrix/<str:profile>/<str:category>/", views.matrix_cell, name="matrix-cell"),
    path("emergency/", views.break_glass, name="break-glass"),
    path("person/<uuid:person_id>/why/", views.explain, name="explain"),
    path("person/<uuid:person_id>/consent/", views.consent, name="consent"),
    path("person/<uuid:person_id>/consent/record/", views.consent_record, name="consent-record"),
    path("person/<uuid:person_id>/consent/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("person/<uuid:person_id>/exclusions/add/", views.exclude, name="exclude"),
    path("person/<uuid:person_id>/exclusions/lift/", views.exclusion_lift, name="exclusion-lift"),
    path("person/<uuid:person_id>/mandates/grant/", views.mandate_grant, name="mandate-grant"),
    path("person/<uuid:person_id>/mandates/revoke/", views.mandate_revoke, name="mandate-revoke"),
]
