"""The queued e-mails of the calendar work: one per participant, in their language, with the
meeting's .ics attached (iMIP, RFC 6047). Run by the background worker on the mail queue, at once
in tests. A task carries ids and the sequence it was queued for, never an address or a link: it
reads the meeting when it runs, and a task whose sequence a later change has passed sends nothing
(the later change's own task tells everyone the newer state)."""

from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.services import MAIL_QUEUE
from meetings import queries as meeting_queries
from meetings.calendar import ics, services
from meetings.models import Meeting, Participant


@task(queue_name=MAIL_QUEUE)
def send_invitations(*, meeting_id: int, participant_ids: list[int], change: str, sequence: int) -> int:
    """Send the invitation (planned, changed) or cancellation of a meeting to these participants.
    Returns how many e-mails were sent."""
    meeting = Meeting.objects.select_related("person", "organiser").filter(pk=meeting_id).first()
    if meeting is None or meeting.sequence != sequence:
        return 0
    participants = Participant.objects.filter(meeting=meeting, pk__in=participant_ids).select_related(
        "membership__user", "meeting__organiser"
    )
    sent = 0
    now = timezone.now()
    for participant in participants:
        to = services.recipient(participant, now)
        if to is not None:
            send_one(meeting, participant, to, change)
            sent += 1
    return sent


def send_one(meeting: Meeting, participant: Participant, to: services.Recipient, change: str) -> None:
    language = to.language if to.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    if to.member:
        link = services.absolute(meeting_queries.meeting_path(meeting))
        answer_link = services.absolute(services.reply_path(meeting))
    else:
        # Someone outside the team has no page to open: only their answer link.
        link = answer_link = services.absolute(services.reply_link_path(participant))
    method: ics.Method = "CANCEL" if change == services.CANCELLED else "REQUEST"
    context = {
        "change": change,
        "starts": timezone.localtime(meeting.starts_at),
        "ends": timezone.localtime(meeting.ends_at),
        "place": ics.neutral_place(meeting),
        "link": link,
        "answer_link": answer_link,
        "member": to.member,
    }
    with translation.override(language):
        subject = "".join(render_to_string("meetings/calendar/email/subject.txt", context).splitlines()).strip()
        body = render_to_string("meetings/calendar/email/body.txt", context)
        description = _("A Schakel meeting. Details and your answer: %(link)s") % {"link": answer_link}
        calendar = ics.invitation(
            meeting, method=method, attendee=to.email, reply=participant.reply, link=link, description=description
        )
    content = ics.serialise(calendar).decode()
    attachment = MIMEText(content, "calendar", "utf-8")
    attachment.set_param("method", method)
    filename = "cancel.ics" if method == "CANCEL" else "invite.ics"
    attachment.add_header("Content-Disposition", "attachment", filename=filename)
    message = EmailMessage(subject, body, to=[to.email], headers={"Content-Language": language})
    message.attach(attachment)
    message.send()
