"""Every action code the access log knows, in one place (audit rows' `action`).

Each app writes its own codes, but they are declared here, in the layer every app may import,
so that the audit, the DPO's search and the person's log can rely on them, and a test
(core/tests/test_actions.py) fails when the code writes a code that is not declared.
Codes are "<app>.<what happened>", in the past tense; a StrEnum, so each is its own string.
"""

from enum import StrEnum


class Action(StrEnum):
    # access
    ACCESS_BREAK_GLASS = "access.break_glass"
    ACCESS_CONSENT_RECORDED = "access.consent_recorded"
    ACCESS_CONSENT_VIEWED = "access.consent_viewed"
    ACCESS_CONSENT_WITHDRAWN = "access.consent_withdrawn"
    ACCESS_EXCLUSION_LIFTED = "access.exclusion_lifted"
    ACCESS_EXPLAINED = "access.explained"
    ACCESS_MANDATE_GRANTED = "access.mandate_granted"
    ACCESS_MANDATE_REVOKED = "access.mandate_revoked"
    ACCESS_MATRIX_CELL_EDITED = "access.matrix_cell_edited"
    ACCESS_MATRIX_RELOADED = "access.matrix_reloaded"
    ACCESS_REPRESENTATION_ENDED = "access.representation_ended"
    ACCESS_REPRESENTATION_RECORDED = "access.representation_recorded"
    ACCESS_USER_EXCLUDED = "access.user_excluded"
    # accounts
    ACCOUNTS_ACCOUNT_DEACTIVATED = "accounts.account_deactivated"
    ACCOUNTS_ACCOUNT_REACTIVATED = "accounts.account_reactivated"
    ACCOUNTS_INVITATION_ACCEPTED = "accounts.invitation_accepted"
    ACCOUNTS_INVITATION_SENT = "accounts.invitation_sent"
    ACCOUNTS_SECOND_FACTOR_FAILED = "accounts.second_factor_failed"
    ACCOUNTS_SECOND_FACTOR_RESET = "accounts.second_factor_reset"
    ACCOUNTS_SECOND_FACTOR_SET_UP = "accounts.second_factor_set_up"
    ACCOUNTS_SECOND_FACTOR_SETUP_FAILED = "accounts.second_factor_setup_failed"
    ACCOUNTS_TOKEN_CREATED = "accounts.token_created"  # noqa: S105  (an action code, not a secret)
    ACCOUNTS_TOKEN_REVOKED = "accounts.token_revoked"  # noqa: S105  (an action code, not a secret)
    # audit
    AUDIT_PERSON_LOG_VIEWED = "audit.person_log_viewed"
    AUDIT_SEARCHED = "audit.searched"
    # people
    PEOPLE_DOSSIER_VIEWED = "people.dossier_viewed"
    PEOPLE_DUPLICATE_DISMISSED = "people.duplicate_dismissed"
    PEOPLE_DUPLICATE_VIEWED = "people.duplicate_viewed"
    PEOPLE_IDENTITY_CHANGED = "people.identity_changed"
    PEOPLE_MEDICATION_PROBLEM_HANDLED = "people.medication_problem_handled"
    PEOPLE_MEDICATION_PROBLEM_REPORTED = "people.medication_problem_reported"
    PEOPLE_MEDICATION_STOPPED = "people.medication_stopped"
    PEOPLE_MERGE_VIEWED = "people.merge_viewed"
    PEOPLE_PERSON_REGISTERED = "people.person_registered"
    PEOPLE_PERSON_LISTED = "people.person_listed"
    PEOPLE_PERSON_VIEWED = "people.person_viewed"
    PEOPLE_PERSONS_MERGED = "people.persons_merged"
    PEOPLE_REGISTER_DUPLICATE = "people.register_duplicate"
    PEOPLE_REGISTER_REFUSED = "people.register_refused"
    PEOPLE_SECTION_ENTRY_ADDED = "people.section_entry_added"
    PEOPLE_SECTION_ENTRY_CHANGED = "people.section_entry_changed"
    PEOPLE_SECTION_ENTRY_REMOVED = "people.section_entry_removed"
    PEOPLE_SECTION_VIEWED = "people.section_viewed"
    PEOPLE_SUMMARY_EXPORTED = "people.summary_exported"
    PEOPLE_WEEKLY_VISITS_VIEWED = "people.weekly_visits_viewed"
    # plans
    PLANS_ACTION_PROPOSED = "plans.action_proposed"
    PLANS_AGREEMENT_CHANGED = "plans.agreement_changed"
    PLANS_AGREEMENT_VIEWED = "plans.agreement_viewed"
    PLANS_GOAL_ADDED = "plans.goal_added"
    PLANS_LIFE_GOAL_ADDED = "plans.life_goal_added"
    PLANS_PLAN_REVIEWED = "plans.plan_reviewed"
    PLANS_REVIEW_REMINDED = "plans.review_reminded"
    PLANS_REVIEWS_VIEWED = "plans.reviews_viewed"
    PLANS_SIGNAL_HANDLED = "plans.signal_handled"
    PLANS_SIGNAL_RECORDED = "plans.signal_recorded"
    PLANS_SIGNALS_VIEWED = "plans.signals_viewed"
    # privacy
    PRIVACY_CLOSURE_VIEWED = "privacy.closure_viewed"
    PRIVACY_CLOSURES_LISTED = "privacy.closures_listed"
    PRIVACY_DOSSIER_CLOSED = "privacy.dossier_closed"
    PRIVACY_DOSSIER_REOPENED = "privacy.dossier_reopened"
    PRIVACY_PURGED = "privacy.purged"
    PRIVACY_SUBJECT_ACCESS_EXPORTED = "privacy.subject_access_exported"
    PRIVACY_YOUR_DATA_VIEWED = "privacy.your_data_viewed"
    # teams
    TEAMS_CONFIRMATION_VIEWED = "teams.confirmation_viewed"
    TEAMS_COORDINATION_CANCELLED = "teams.coordination_cancelled"
    TEAMS_COORDINATION_DECLINED = "teams.coordination_declined"
    TEAMS_COORDINATION_PROPOSED = "teams.coordination_proposed"
    TEAMS_COORDINATION_WITHDRAWN = "teams.coordination_withdrawn"
    TEAMS_COORDINATOR_CHANGED = "teams.coordinator_changed"
    TEAMS_HANDOVER_TAKEN = "teams.handover_taken"
    TEAMS_HANDOVER_VIEWED = "teams.handover_viewed"
    TEAMS_HOME_ALERT_VIEWED = "teams.home_alert_viewed"
    TEAMS_ITEMS_HANDED_OVER = "teams.items_handed_over"
    TEAMS_MEMBER_ADD_VIEWED = "teams.member_add_viewed"
    TEAMS_MEMBER_ADDED = "teams.member_added"
    TEAMS_MEMBER_ENDED = "teams.member_ended"
    TEAMS_MESSAGE_POSTED = "teams.message_posted"
    TEAMS_MESSAGES_VIEWED = "teams.messages_viewed"
    TEAMS_REACHABILITY_CHANGED = "teams.reachability_changed"
    TEAMS_REACHABILITY_VIEWED = "teams.reachability_viewed"
    TEAMS_TEAM_VIEWED = "teams.team_viewed"
