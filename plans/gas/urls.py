"""The Goal Attainment Scaling pages, included by plans/urls.py (namespace `plans`). A goal's
pages carry the person's id first, so the gate answers before the goal is looked up."""

from django.urls import path

from plans.gas import views

urlpatterns = [
    path("person/<uuid:person_id>/goal-attainment/", views.overview, name="gas-overview"),
    path("person/<uuid:person_id>/goals/<uuid:goal_id>/scale/", views.scale, name="gas-scale"),
    path("person/<uuid:person_id>/goals/<uuid:goal_id>/scale/edit/", views.scale_edit, name="gas-scale-edit"),
    path("person/<uuid:person_id>/goals/<uuid:goal_id>/scale/score/", views.score, name="gas-score"),
]
