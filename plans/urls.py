from django.urls import include, path

from plans import views

app_name = "plans"
urlpatterns = [
    path("person/<uuid:person_id>/", views.plan, name="plan"),
    path("person/<uuid:person_id>/life-goal/", views.life_goal, name="life-goal"),
    path("person/<uuid:person_id>/goal/", views.goal, name="goal"),
    path("person/<uuid:person_id>/actions/add/", views.action_add, name="action-add"),
    path("person/<uuid:person_id>/actions/<uuid:action_id>/", views.action_detail, name="action"),
    path("person/<uuid:person_id>/actions/<uuid:action_id>/edit/", views.action_edit, name="action-edit"),
    path("person/<uuid:person_id>/actions/<uuid:action_id>/reassign/", views.action_reassign, name="action-reassign"),
    path("person/<uuid:person_id>/actions/<uuid:action_id>/answer/", views.action_answer, name="action-answer"),
    path("person/<uuid:person_id>/actions/<uuid:action_id>/status/", views.action_status, name="action-status"),
    path("person/<uuid:person_id>/actions/<uuid:action_id>/cancel/", views.action_cancel, name="action-cancel"),
    path("person/<uuid:person_id>/history/", views.history, name="history"),
    path("person/<uuid:person_id>/as-of/", views.as_of, name="as-of"),
    # Each part of the plan with pages of its own (issue 12) keeps its routes in its package.
    path("", include("plans.gas.urls")),  # Goal Attainment Scaling
    path("", include("plans.inbox.urls")),  # My actions
    path("", include("plans.help.urls")),  # did it help?
    path("", include("plans.reviews.urls")),
    path("", include("plans.signals.urls")),
    path("", include("plans.agreements.urls")),
]
