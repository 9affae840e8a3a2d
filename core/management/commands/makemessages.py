"""Django's makemessages, without fuzzy matching: a new string starts untranslated rather than
with a guessed translation, so the catalogue test catches it."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
