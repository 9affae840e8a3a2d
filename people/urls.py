from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("register/", views.register_person, name="register"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/merge/", views.merge_person, name="merge"),
]
