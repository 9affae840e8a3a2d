from django.urls import path

from plans.signals import views

urlpatterns = [
    path("person/<uuid:person_id>/signals/", views.signals, name="signals"),
    path("person/<uuid:person_id>/signals/handle/", views.signal_handle, name="signal-handle"),
]
