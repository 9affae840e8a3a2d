"""The background task behind the daily digest (plans.inbox.services.send_action_digests).

Only the user's id is enqueued: the counts are read when the task runs, through the same gate as
the inbox, and the e-mail goes out in the user's own language through accounts' mail queue."""

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from accounts.models import User
from accounts.services import MAIL_QUEUE, send_mail_in_language
from plans.inbox import queries


@task(queue_name=MAIL_QUEUE)
def send_action_digest(*, user_id: int) -> bool:
    """Send one user's digest: how many actions wait, and a link. Nothing when nothing waits
    (any more) or the account is inactive or has no address. Returns whether a mail was queued."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    counts = queries.inbox_counts(user)
    if not counts.needs_you:
        return False
    send_mail_in_language(
        to=user.email,
        language=user.language,
        subject_template="plans/inbox/email/digest_subject.txt",
        body_template="plans/inbox/email/digest_body.txt",
        context={
            "proposed": counts.proposed,
            "overdue": counts.overdue,
            "due_soon": counts.due_soon,
            "due_soon_days": queries.due_soon_days(),
            "to_answer": counts.to_answer,
            "declined": counts.declined,
            "unanswered": counts.unanswered,
            "url": settings.SITE_URL.rstrip("/") + reverse("plans:my-actions"),
        },
    )
    return True
