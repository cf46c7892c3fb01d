"""Django's makemessages, also extracting gettext_lazy imported as ``_l``: the layer and export
column titles (registry/selectors, fairs/selectors) use it beside a plain ``_`` (gettext) in the
same module, and xgettext knows only the standard names, so without this their text never
reached the catalogue and the English data pages showed Russian."""

from __future__ import annotations

from django.core.management.commands import makemessages

# The aliases of django.utils.translation functions the code may use; tests/test_i18n.py keeps
# the code to these (xgettext --keyword syntax: the msgid is the first argument).
EXTRA_KEYWORDS = ("_l",)


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        *(f"--keyword={name}" for name in EXTRA_KEYWORDS),
    ]
