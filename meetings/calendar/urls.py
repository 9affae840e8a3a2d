from django.urls import path

from meetings.calendar import views

urlpatterns = [
    path("person/<uuid:person_id>/<uuid:meeting_id>/invitation.ics", views.invitation_ics, name="calendar-invitation"),
    path("person/<uuid:person_id>/<uuid:meeting_id>/reply/", views.reply, name="calendar-reply"),
    path("calendar/", views.feeds, name="calendar-feeds"),
    path("calendar/<uuid:feed_id>/revoke/", views.feed_revoke, name="calendar-feed-revoke"),
    path("feed/<str:token>.ics", views.feed, name="calendar-feed"),
    path("reply/<str:token>/", views.reply_link, name="calendar-reply-link"),
]
