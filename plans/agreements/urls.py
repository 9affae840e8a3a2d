from django.urls import path

from plans.agreements import views

urlpatterns = [
    path("person/<uuid:person_id>/agreement/", views.agreement, name="agreement"),
]
