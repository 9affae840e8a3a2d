"""The care plan's and meetings' records and the data category each belongs to (docs/access.md,
"Dossier sections and their category"). The gate is asked for that category: READ to see the
record, WRITE to change it. A test checks that docs/access.md lists the same rows.

Life goals are the person's own words, so they are `wishes`, with the dossier's "In my own
words"; what the team plans and does about them is `plan`. A meeting is `plan` too: its agenda,
minutes and decisions are the plan being made.
"""

from core.vocab import Category

PLAN_CATEGORIES: dict[str, Category] = {
    "life_goals": Category.WISHES,  # PLAN-01: what matters to the person, in their own words
    "goals": Category.PLAN,  # care and support goals, with their Goal Attainment Scales and scores
    "actions": Category.PLAN,  # who does what by when, its status, outcome and "did it help?"
    "reviews": Category.PLAN,  # the plan looked at again: when, by whom, with whom
    "meetings": Category.PLAN,  # MDOs and other meetings: participants, agenda, minutes, decisions
    "agreements": Category.PLAN,  # PLAN-07: who is called first, how, the 24/7 line, escalation
}
