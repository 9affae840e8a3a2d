"""What leaves Schakel when a meeting is planned, changed or cancelled: an in-app notification for
the members invited, and a calendar invitation each (iTIP REQUEST / CANCEL as an .ics attached
to an e-mail, meetings.calendar), queued on commit, never sent inside the request. The meetings
services call these three functions inside their transaction, after raising Meeting.sequence
for a change or a cancellation."""

from meetings.calendar import services
from meetings.models import Meeting, Participant


def meeting_planned(meeting: Meeting, invited: list[Participant]) -> None:
    """Invite the participants of a newly planned meeting (or those added to one)."""
    services.announce(meeting, list(invited), services.PLANNED)


def meeting_changed(meeting: Meeting) -> None:
    """Tell every participant that the time or place changed (the sequence was raised)."""
    services.announce(meeting, list(meeting.participants.all()), services.CHANGED)


def meeting_cancelled(meeting: Meeting) -> None:
    """Tell every participant that the meeting is cancelled."""
    services.announce(meeting, list(meeting.participants.all()), services.CANCELLED)
