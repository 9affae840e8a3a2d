from django.urls import path

from plans.reviews import views

urlpatterns = [
    path("person/<uuid:person_id>/reviews/", views.reviews, name="reviews"),
]
