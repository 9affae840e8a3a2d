"""Input parsing for the meeting pages. Forms check fields; services decide and write."""

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, Participant
from meetings.presenters import ParticipantRow
from meetings.services import Guest, Presence
from plans.models import Goal
from teams.models import Membership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def at(day: date | None, moment: time | None) -> datetime | None:
    """A date and a time of day in the zone's time zone (Europe/Brussels)."""
    if day is None or moment is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment))


def member_choices(members: list[Membership]) -> list[tuple[str, str]]:
    return [(str(m.public_id), f"{m.user} ({m.profile_label})") for m in members]


def parse_guests(text: str) -> list[Guest]:
    """One guest a line: "name, e-mail address"."""
    guests = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _comma, email = line.rpartition(",")
        if not name.strip() or "@" not in email:
            raise forms.ValidationError(
                _("Write one guest a line: their name, a comma, and their e-mail address."), code="guest_line"
            )
        guests.append(Guest(name.strip(), email.strip()))
    return guests


class MeetingForm(forms.Form):
    """Planning a meeting, or changing one (then with the version the user saw)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices, initial=Meeting.Kind.MDO)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Starts at"), widget=TIME)
    end = forms.TimeField(label=_("Ends at"), widget=TIME)
    place = forms.CharField(
        label=_("Place"), required=False, max_length=200, help_text=_("For example: at home, or the GP's practice.")
    )
    at_home = forms.BooleanField(label=_("The meeting takes place at the person's home"), required=False)
    video_link = forms.URLField(label=_("Video link (optional)"), required=False, assume_scheme="https")
    members = forms.MultipleChoiceField(
        label=_("Invite from the care team"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The person's caregivers are on the team. Someone the person has excluded cannot be invited."),
    )
    with_person = forms.BooleanField(label=_("Invite the person themself"), required=False, initial=True)
    guests = forms.CharField(
        label=_("Guests from outside the team (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_(
            "One a line: name, e-mail address. A guest receives the invitation only, never the dossier: "
            "to see it they must join the care team, with the person's consent."
        ),
    )
    person_agreed = forms.BooleanField(
        label=_("The person agrees to this meeting and its participants"), required=False
    )

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["members"]).choices = member_choices(members)

    @classmethod
    def for_meeting(
        cls, meeting: Meeting, members: list[Membership], data: Mapping[str, Any] | None = None
    ) -> "MeetingForm":
        local_start = timezone.localtime(meeting.starts_at)
        initial = {
            "version": meeting.version,
            "kind": meeting.kind,
            "day": local_start.date(),
            "start": local_start.time(),
            "end": timezone.localtime(meeting.ends_at).time(),
            "place": meeting.place,
            "at_home": meeting.at_home,
            "video_link": meeting.video_link,
            "with_person": False,
            "person_agreed": meeting.person_agreed,
        }
        return cls(data or None, initial=initial, members=members)

    def clean_guests(self) -> list[Guest]:
        return parse_guests(self.cleaned_data.get("guests") or "")

    def service_arguments(self, members: list[Membership]) -> dict[str, Any]:
        data = self.cleaned_data
        by_id = {str(m.public_id): m for m in members}
        return {
            "kind": data["kind"],
            "starts_at": at(data["day"], data["start"]),
            "ends_at": at(data["day"], data["end"]),
            "place": data.get("place") or "",
            "at_home": bool(data.get("at_home")),
            "video_link": data.get("video_link") or "",
            "person_agreed": bool(data.get("person_agreed")),
            "members": [by_id[key] for key in data.get("members") or [] if key in by_id],
            "with_person": bool(data.get("with_person")),
            "guests": data.get("guests") or [],
        }


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Why is the meeting cancelled?"), max_length=500)


class QuestionForm(forms.Form):
    """A question for the agenda; its ids differ from the decision form's on the same page."""

    text = forms.CharField(
        label=_("Your question for the meeting"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone at the meeting reads it. It comes last on the agenda, in the order asked."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "question-%s")
        super().__init__(*args, **kwargs)


class AttendanceForm(forms.Form):
    """Attendance, profession and RIZIV/INAMI number per participant, the person's agreement and
    the minutes: one form, saved with the meeting's version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    person_agreed = forms.BooleanField(
        label=_("The person agrees to this meeting and its participants"), required=False
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was said, in plain words. Decisions are recorded one by one below."),
    )

    def __init__(self, *args: Any, rows: list[ParticipantRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = [(value, label) for value, label in Participant.Attendance.choices]
        for row in rows:
            self.fields[f"attendance-{row.key}"] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": row.name}, choices=choices, initial=row.attendance
            )
            self.fields[f"profession-{row.key}"] = forms.CharField(
                label=_("Profession of %(name)s") % {"name": row.name},
                required=False,
                max_length=100,
                initial=row.profession,
            )
            self.fields[f"riziv-{row.key}"] = forms.CharField(
                label=_("RIZIV/INAMI number of %(name)s") % {"name": row.name},
                required=False,
                max_length=20,
                initial=row.riziv_number,
            )

    def fields_of(self) -> list[tuple[ParticipantRow, forms.BoundField, forms.BoundField, forms.BoundField]]:
        """Per participant, its three fields (the template lays them out as one group)."""
        return [
            (row, self[f"attendance-{row.key}"], self[f"profession-{row.key}"], self[f"riziv-{row.key}"])
            for row in self.rows
        ]

    def presence(self) -> dict[str, Presence]:
        data = self.cleaned_data
        return {
            row.key: Presence(
                attendance=data[f"attendance-{row.key}"],
                profession=data.get(f"profession-{row.key}") or "",
                riziv_number=data.get(f"riziv-{row.key}") or "",
            )
            for row in self.rows
        }


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In plain words, as the person would say it. It becomes an action of the care plan."),
    )
    who = forms.ChoiceField(label=_("Who does it"))
    due_on = forms.DateField(label=_("By when"), widget=DATE)
    goal = forms.ChoiceField(label=_("For which goal (optional)"), required=False)

    def __init__(self, *args: Any, owners: list[Membership], goals: list[Goal], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "decision-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["who"]).choices = [("", _("Choose…")), *member_choices(owners)]
        cast(forms.ChoiceField, self.fields["goal"]).choices = [
            ("", _("no particular goal")),
            *[(str(g.public_id), g.title) for g in goals],
        ]


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    next_day = forms.DateField(label=_("Date of the next meeting"), required=False, widget=DATE)
    next_start = forms.TimeField(label=_("Starts at"), required=False, widget=TIME)
    next_end = forms.TimeField(label=_("Ends at"), required=False, widget=TIME)
    no_next_reason = forms.CharField(
        label=_("Or: why there is no next meeting"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_day") and not data.get("next_start"):
            self.add_error("next_start", _("Give the time the next meeting starts."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        starts = at(data.get("next_day"), data.get("next_start"))
        return {
            "next_starts_at": starts,
            "next_ends_at": at(data.get("next_day"), data.get("next_end")) if starts else None,
            "no_next_reason": data.get("no_next_reason") or "",
        }
