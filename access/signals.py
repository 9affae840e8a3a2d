"""What access announces to the apps above it, which connect in their AppConfig.ready().

Sent inside the change's transaction, so that what a receiver writes commits or rolls back with it.
"""

from django.dispatch import Signal

# An emergency (break-the-glass) access was opened. Arguments: person, actor, grant (the
# BreakGlassAccess), recipients (the users to tell: access.services.break_glass_recipients).
break_glass_opened = Signal()
