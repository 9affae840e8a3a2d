from django.urls import include, path

app_name = "plans"
urlpatterns: list = [
    path("", include("plans.gas.urls")),  # Goal Attainment Scaling
]
