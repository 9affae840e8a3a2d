from django.urls import include, path

app_name = "plans"
urlpatterns: list = [
    path("", include("plans.gas.urls")),  # Goal Attainment Scaling
    # My actions (plans/inbox) and "did it help?" (plans/help), issue 12.
    path("", include("plans.inbox.urls")),
    path("", include("plans.help.urls")),
    # Issue 12: reviews, early signals and communication agreements (each slice its own urls).
    path("", include("plans.reviews.urls")),
    path("", include("plans.signals.urls")),
    path("", include("plans.agreements.urls")),
]
