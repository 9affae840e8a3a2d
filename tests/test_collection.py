"""Every folder of tests is collected: a folder of test files left out of pyproject.toml's
testpaths would never run in `make test` or CI (privacy's tests went unnoticed that way)."""

import os
from fnmatch import fnmatch
from pathlib import Path

# Folders that hold no project tests: the virtualenv, run-time data, version control, front-end tools.
NOT_SOURCE = {".venv", "venv", "var", ".git", "node_modules", "__pycache__"}


def folders_with_tests(root: Path, patterns: list[str]) -> set[Path]:
    found = set()
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in NOT_SOURCE and not name.startswith(".")]
        if any(fnmatch(name, pattern) for name in files for pattern in patterns):
            found.add(Path(folder).relative_to(root))
    return found


def uncollected(folders: set[Path], testpaths: list[str]) -> list[str]:
    collected = [Path(testpath) for testpath in testpaths]
    return sorted(
        str(folder) for folder in folders if not any(folder == path or path in folder.parents for path in collected)
    )


def test_every_folder_of_tests_is_under_a_testpath(pytestconfig):
    folders = folders_with_tests(pytestconfig.rootpath, pytestconfig.getini("python_files"))
    assert Path("privacy/tests") in folders  # the walk finds the tests it must
    missing = uncollected(folders, pytestconfig.getini("testpaths"))
    assert not missing, f"test folders outside pyproject.toml's testpaths, never run: {missing}"


def test_a_folder_outside_the_testpaths_is_reported(tmp_path):
    for folder in ("core/tests", "privacy/tests", "node_modules/x/tests", ".venv/lib/tests"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "test_something.py").write_text("")
    (tmp_path / "core" / "helpers.py").write_text("")

    folders = folders_with_tests(tmp_path, ["test_*.py"])

    assert folders == {Path("core/tests"), Path("privacy/tests")}
    assert uncollected(folders, ["core"]) == ["privacy/tests"]
    assert uncollected(folders, ["core", "privacy"]) == []
