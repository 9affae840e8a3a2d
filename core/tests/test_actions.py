"""Every action code the code writes to the access log is a constant declared in core.actions.

The code names codes as `Action.<NAME>`, so that a typo is an AttributeError at import rather
than a silent new code. The scan below fails when a module types a code as a string again.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from core.actions import Action

APP_LABELS = (
    "access",
    "accounts",
    "audit",
    "directory",
    "meetings",
    "notifications",
    "people",
    "plans",
    "privacy",
    "teams",
)
# Where the project's own code lives; tests (which may assert on stored values) and migrations
# are not scanned.
PACKAGES = (*APP_LABELS, "bench", "core", "demo", "interop", "schakel")
CODE_SHAPE = re.compile(rf"(?:{'|'.join(APP_LABELS)})\.[a-z][a-z_]*")


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _branches(node: ast.expr) -> list[ast.expr]:
    # `action = "a" if posting else "b"`
    return _branches(node.body) + _branches(node.orelse) if isinstance(node, ast.IfExp) else [node]


def _where_codes_go(node: ast.AST) -> list[ast.expr]:
    """The expressions in `node` that hold an action code: `action=`, the arguments of the audit's
    log_* functions, an "action" value, and what is assigned to `action` or a module constant."""
    places: list[ast.expr] = []
    if isinstance(node, ast.Call):
        places += [keyword.value for keyword in node.keywords if keyword.arg == "action"]
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name.startswith("log_"):
            places += node.args
    elif isinstance(node, ast.Dict):
        places += [value for key, value in zip(node.keys, node.values, strict=True) if _string(key) == "action"]
    elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [target.id for target in targets if isinstance(target, ast.Name)]
        if any(name == "action" or name.isupper() for name in names):
            places.append(node.value)
    return [branch for place in places for branch in _branches(place)]


def literal_codes(source: str) -> list[tuple[int, str]]:
    """(line, text) of every action code `source` types as a string: a declared code anywhere but
    in a docstring, and anything shaped like a code where a code goes."""
    tree = ast.parse(source)
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    found = {
        (node.lineno, text)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and (text := _string(node)) in set(Action) and id(node) not in docstrings
    }
    for node in ast.walk(tree):
        for place in _where_codes_go(node):
            if (text := _string(place)) is not None and CODE_SHAPE.fullmatch(text):
                found.add((place.lineno, text))
    return sorted(found)


def _modules() -> list[Path]:
    """The project's modules but core.actions, where the codes are declared."""
    base = Path(settings.BASE_DIR)
    return [
        path
        for package in PACKAGES
        for path in sorted((base / package).rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts and path != base / "core" / "actions.py"
    ]


def test_no_module_types_an_action_code_as_a_string():
    modules = _modules()
    assert len(modules) > 100  # the scan reads the code
    typed = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}: {text}"
        for path in modules
        for line, text in literal_codes(path.read_text())
    ]
    assert typed == []


@pytest.mark.parametrize(
    "source",
    [
        'audit.log_event(actor, "people.person_viewed", allowed=False)',  # declared
        'audit.log_change(actor, person, "teams.member_addded")',  # a typo: a silent new code
        'gate.check(actor, person, category, level, action="people.persn_viewed")',
        'queries.person_for_team(actor, person_id, action="teams.x" if posting else "teams.y")',
        'PERSON_VIEWED = "people.person_viewd"',
        'action = "privacy.dossier_close"',
        'values = {"action": "people.anything"}',
    ],
)
def test_the_scan_finds_a_typed_code(source):
    assert literal_codes(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "audit.log_event(actor, Action.PEOPLE_PERSON_VIEWED, allowed=False)",
        'kind = "people.medication_problem"',  # a handover item kind, not an action
        'INSTALLED_APPS = ["directory.search"]',  # only a list, and not where a code goes
        'def f():\n    """Audited as "access.explained"."""',
        'urlpatterns = [path("", include("people.urls"))]',
    ],
)
def test_the_scan_leaves_other_strings_alone(source):
    assert literal_codes(source) == []


def test_every_declared_code_is_used():
    used = {
        node.attr
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Action"
    }
    assert sorted(action.name for action in Action if action.name not in used) == []


def test_every_declared_code_names_an_installed_app():
    labels = {config.label for config in apps.get_app_configs()}
    assert [code for code in Action if code.split(".")[0] not in labels] == []


def test_codes_are_stored_and_compared_as_their_text():
    assert Action.PEOPLE_PERSON_VIEWED == "people.person_viewed"
    assert f"{Action.PEOPLE_PERSON_VIEWED}" == "people.person_viewed"
    assert {"people.person_viewed": 1}[Action.PEOPLE_PERSON_VIEWED] == 1
