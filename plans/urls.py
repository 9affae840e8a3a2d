from django.urls import include, path

app_name = "plans"
urlpatterns: list = [
    # Issue 12: reviews, early signals and communication agreements (each slice its own urls).
    path("", include("plans.reviews.urls")),
    path("", include("plans.signals.urls")),
    path("", include("plans.agreements.urls")),
]
