"""Pages of the calendar work: a meeting's .ics, a member's answer (RSVP), the user's private
calendar feeds (their own settings), the feed itself (authenticated by its token) and the answer
link of an invitee from outside the team (signed, no login)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.actions import Action
from core.requests import AuthenticatedHttpRequest
from meetings import queries as meeting_queries
from meetings.calendar import ics, queries, services
from meetings.models import Participant
from schakel.routes import own_account_route, person_route, public_route

ICS_TYPE = "text/calendar; charset=utf-8"
ANSWERS = [
    (Participant.Reply.ACCEPTED, Participant.Reply.ACCEPTED.label),
    (Participant.Reply.TENTATIVE, Participant.Reply.TENTATIVE.label),
    (Participant.Reply.DECLINED, Participant.Reply.DECLINED.label),
]


def _description(link: str) -> str:
    return _("A Schakel meeting. Details and your answer: %(link)s") % {"link": link}


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@person_route("GET")
@login_required
@require_GET
def invitation_ics(request: AuthenticatedHttpRequest, person_id: uuid.UUID, meeting_id: uuid.UUID) -> HttpResponse:
    """The meeting as an .ics to add to one's own calendar (the same UID as the invitations)."""
    meeting = queries.meeting_for(request.user, person_id, meeting_id, action=Action.MEETINGS_INVITATION_DOWNLOADED)
    link = request.build_absolute_uri(meeting_queries.meeting_path(meeting))
    answer = request.build_absolute_uri(services.reply_path(meeting))
    calendar = ics.download(meeting, link=link, description=_description(answer))
    return _ics(ics.serialise(calendar), "schakel-meeting.ics")


@person_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def reply(request: AuthenticatedHttpRequest, person_id: uuid.UUID, meeting_id: uuid.UUID) -> HttpResponse:
    """A member answers their invitation: will come, cannot come, maybe."""
    posting = request.method == "POST"
    action = Action.MEETINGS_REPLIED if posting else Action.MEETINGS_REPLY_VIEWED
    meeting = queries.meeting_for(request.user, person_id, meeting_id, action=action, audit_granted=not posting)
    error = ""
    if posting:
        try:
            services.reply(request.user, meeting, request.POST.get("answer", ""))
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect(services.reply_path(meeting))
    context = {
        "meeting": meeting,
        "place": ics.neutral_place(meeting),
        "participant": services.own_participation(request.user, meeting),
        "answers": ANSWERS,
        "error": error,
    }
    return render(request, "meetings/calendar/reply.html", context)


@own_account_route("GET", "POST")
@login_required
@require_http_methods(["GET", "POST"])
def feeds(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's private calendar feeds: make one (its URL is shown on this answer only), see
    and revoke them."""
    new_url = ""
    if request.method == "POST":
        _feed, token = services.create_feed(request.user)
        new_url = request.build_absolute_uri(reverse("meetings:calendar-feed", kwargs={"token": token}))
    context = {"new_url": new_url, "feeds": queries.feeds_for(request.user)}
    return render(request, "meetings/calendar/feeds.html", context)


@own_account_route("POST")
@login_required
@require_POST
def feed_revoke(request: AuthenticatedHttpRequest, feed_id: uuid.UUID) -> HttpResponse:
    services.revoke_feed(request.user, feed_id)
    messages.success(request, _("The calendar feed no longer works. Remove it from your calendar app."))
    return redirect("meetings:calendar-feeds")


@public_route("GET")
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed, for a calendar app: authenticated by its token alone. An unknown or
    revoked token is a plain 404."""
    found = queries.feed_for_token(token)
    if found is None:
        return HttpResponse(status=404)
    if not queries.feed_allowed(found):
        return HttpResponse(status=429, headers={"Retry-After": "3600"})
    items = []
    for meeting in queries.feed_meetings(found):
        link = request.build_absolute_uri(meeting_queries.meeting_path(meeting))
        answer = request.build_absolute_uri(services.reply_path(meeting))
        items.append((meeting, link, _description(answer)))
    response = HttpResponse(ics.serialise(ics.feed(items)), content_type=ICS_TYPE)
    # Public as a route (no session), yet personal: never kept by a cache, never indexed.
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response


@public_route("GET", "POST")
@csrf_exempt  # the signed link is the credential; the invitee has no session to forge
@require_http_methods(["GET", "POST"])
def reply_link(request: HttpRequest, token: str) -> HttpResponse:
    """An invitee from outside the team answers through the link in their e-mail. GET shows the
    choice (a mail scanner opening the link changes nothing); POST records it."""
    try:
        participant = services.participant_for_link(token)
    except ValidationError as refusal:
        return render(request, "meetings/calendar/reply_link.html", {"error": " ".join(refusal.messages)}, status=404)
    error = done = ""
    if request.method == "POST":
        try:
            participant = services.reply_by_link(token, request.POST.get("answer", ""))
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            done = _("Your answer is recorded. Thank you.")
    meeting = participant.meeting
    context = {
        "meeting": meeting,
        "place": ics.neutral_place(meeting),
        "participant": participant,
        "answers": ANSWERS,
        "error": error,
        "done": done,
    }
    response = render(request, "meetings/calendar/reply_link.html", context)
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response
