from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("person/<uuid:person_id>/", views.team, name="team"),
    path("person/<uuid:person_id>/members/add/", views.member_add, name="member-add"),
    path("person/<uuid:person_id>/members/add-the-person/", views.member_add_person, name="member-add-person"),
    path("person/<uuid:person_id>/members/end/", views.member_end, name="member-end"),
    path("person/<uuid:person_id>/coordinator/", views.coordinator, name="coordinator"),
    path("person/<uuid:person_id>/coordinator/answer/", views.coordinator_answer, name="coordinator-answer"),
    path("person/<uuid:person_id>/coordinator/cancel/", views.coordinator_cancel, name="coordinator-cancel"),
    path("person/<uuid:person_id>/reachability/", views.reachability, name="reachability"),
    path("person/<uuid:person_id>/messages/", views.thread, name="messages"),
    path("person/<uuid:person_id>/handover/", views.handover_queue, name="handover"),
    path("person/<uuid:person_id>/handover/take/", views.handover_take, name="handover-take"),
]
