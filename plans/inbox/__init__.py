"""My actions (issue 12): one inbox across all persons for the logged-in member (proposed to me,
overdue, due soon; done actions waiting for their "did it help?"; for a care coordinator the
declined actions, the proposals waiting for their owner and the answers missing too long), the
home page's part, and the daily e-mail digest that names no one."""
