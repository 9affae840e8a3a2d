"""Issue 11: a page says a whole translated sentence with placeholders, never a translated
fragment glued to a value ("né(e) le" + a date, "rouvert le" + a date): the word order and the
agreement of the sentence are the translator's."""

import re
from pathlib import Path

from django.conf import settings

# A {% translate %} fragment followed directly by a value: the sentence is assembled on the page.
# A label ending in a colon before its value ("Priority number: +32 ...") is not a sentence.
GLUED = re.compile(r'\{%\s*(?:translate|trans)\s+"[^"]*[^:"]"\s*%\}[ \t]*\{\{')


def test_no_template_glues_a_translated_fragment_to_a_value():
    base = Path(settings.BASE_DIR)
    glued = [
        f"{path.relative_to(base)}:{number}: {line.strip()}"
        for path in sorted(base.glob("*/templates/**/*.html"))
        if ".venv" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if GLUED.search(line)
    ]
    assert not glued, "Use {% blocktranslate %} with the value as a placeholder:\n" + "\n".join(glued)
