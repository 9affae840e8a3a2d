from django.urls import path  # noqa: F401  (the slices of issue 12 add their routes here)

app_name = "plans"
urlpatterns: list = []
