"""Did it help? (PLAN-04): after an action is done, the person or a caregiver says whether it
helped (yes, partly, no, not yet), with a comment; an answer missing for PLAN_HELP_ANSWER_DAYS is
flagged for the care coordinator. Who may answer: access.rules.did_it_help_answer."""
