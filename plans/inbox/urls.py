from django.urls import path

from plans.inbox import views

# Included by plans/urls.py, in its "plans" namespace.
urlpatterns = [
    path("my-actions/", views.my_actions, name="my-actions"),
]
