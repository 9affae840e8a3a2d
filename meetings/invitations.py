"""What leaves Schakel when a meeting is planned, changed or cancelled: in-app notifications now;
the calendar invitations (iTIP REQUEST/CANCEL as .ics attached to a queued e-mail) are added by
the calendar work of issue 12. The meetings services call these three functions inside their
transaction; anything sent is queued on commit, never inside the request."""

from meetings.models import Meeting, Participant


def meeting_planned(meeting: Meeting, invited: list[Participant]) -> None:
    """Invite the participants of a newly planned meeting (or those added to one)."""


def meeting_changed(meeting: Meeting) -> None:
    """Tell every participant that the time or place changed (the sequence was raised)."""


def meeting_cancelled(meeting: Meeting) -> None:
    """Tell every participant that the meeting is cancelled."""
