"""The "My actions" page: thin, the inbox is read (and audited) in plans.inbox.queries."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.requests import AuthenticatedHttpRequest
from plans.inbox import presenters, queries
from schakel.routes import own_account_route


@own_account_route("GET")
@login_required
def my_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One inbox across all persons: proposed to me, overdue, due soon; did it help?; and for a
    care coordinator what comes back to them."""
    inbox = queries.my_actions(request.user)
    today = inbox.today
    context = {
        "inbox": inbox,
        "proposed": presenters.rows(inbox.proposed, today),
        "overdue": presenters.rows(inbox.overdue, today),
        "due_soon": presenters.rows(inbox.due_soon, today),
        "to_answer": presenters.rows(inbox.to_answer, today),
        "declined": presenters.rows(inbox.declined, today),
        "waiting_for_owner": presenters.rows(inbox.waiting_for_owner, today),
        "unanswered": presenters.rows(inbox.unanswered, today),
        "answer_days": settings.PLAN_HELP_ANSWER_DAYS,
    }
    return render(request, "plans/inbox/my_actions.html", context)
