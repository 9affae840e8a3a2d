from django.urls import include, path

from meetings import views

# Every route takes only the person's id in its path; the meeting's id comes in the query or the
# form (`meeting`), so that another person's meeting is the outsider's 404 (schakel/routes.py).
app_name = "meetings"
urlpatterns = [
    path("person/<uuid:person_id>/", views.meeting_list, name="list"),
    path("person/<uuid:person_id>/plan/", views.plan, name="plan"),
    path("person/<uuid:person_id>/meeting/", views.detail, name="detail"),
    path("person/<uuid:person_id>/meeting/edit/", views.edit, name="edit"),
    path("person/<uuid:person_id>/meeting/cancel/", views.cancel, name="cancel"),
    path("person/<uuid:person_id>/meeting/questions/", views.question, name="question"),
    path("person/<uuid:person_id>/meeting/attendance/", views.record, name="record"),
    path("person/<uuid:person_id>/meeting/decisions/", views.decision, name="decision"),
    path("person/<uuid:person_id>/meeting/close/", views.close, name="close"),
    path("person/<uuid:person_id>/meeting/minutes.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("", include("meetings.calendar.urls")),
]
