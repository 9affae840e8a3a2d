"""The daily review reminder as a background task (django-tasks; at once in tests)."""

from django_tasks import task

from plans.reviews import services


@task()
def remind_plan_reviews() -> int:
    """Tell each overdue plan's care coordinator, once per overdue period. Returns how many."""
    return services.remind_overdue()
