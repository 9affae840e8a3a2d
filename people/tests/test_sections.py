"""Every dossier section belongs to exactly one data category: a table in code
(people.sections.SECTION_CATEGORIES) and the same table in docs/access.md."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

from core.vocab import Category
from people.models import SectionRecord
from people.sections import GROUPS, SECTION_CATEGORIES, SECTIONS
from plans.categories import PLAN_CATEGORIES


def test_every_section_model_has_a_section_and_a_category():
    models = {model for model in apps.get_app_config("people").get_models() if issubclass(model, SectionRecord)}
    assert len(models) == 14
    assert models == {kind.model for kind in SECTIONS.values()}
    assert set(SECTIONS) == set(SECTION_CATEGORIES)
    assert all(SECTION_CATEGORIES[code] in Category.values for code in SECTIONS)


def test_each_model_is_one_section():
    assert len({kind.model for kind in SECTIONS.values()}) == len(SECTIONS)


def test_a_group_of_the_dossier_page_holds_one_category_and_every_section_is_in_one_group():
    placed = [code for group in GROUPS for code in group.sections]
    assert sorted(placed) == sorted(SECTIONS)
    for group in GROUPS:
        assert {SECTION_CATEGORIES[code] for code in group.sections} == {group.category}


def test_docs_access_lists_the_same_table():
    text = (Path(settings.BASE_DIR) / "docs" / "access.md").read_text()
    table = text.split("## Dossier sections and their category", 1)[1]
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| `([a-z_]+)` \|", table, flags=re.MULTILINE))
    table = SECTION_CATEGORIES | PLAN_CATEGORIES
    assert rows == {code: str(category) for code, category in table.items()}
