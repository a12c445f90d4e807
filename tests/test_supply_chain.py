"""Dependencies are declared where they are used and locked with hashes.

`pyproject.toml` pins the direct dependencies; `requirements/*.in` repeat those
pins for the lock tool; `requirements/*.txt` lock the whole tree, every file by
its sha256, and the Makefile installs them with `pip install --require-hashes`.
These tests fail when the three drift apart, and when `generator/` or `tests/`
imports a package that is not a direct dependency (it would then work only for
as long as some other package happens to pull it in).
Each parser is also run on a small bad input, so a check that passes everything
fails here.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from helpers import ROOT

REQUIREMENTS = ROOT / "requirements"
RUNTIME_IN = REQUIREMENTS / "runtime.in"
TEST_IN = REQUIREMENTS / "test.in"
RUNTIME_LOCK = REQUIREMENTS / "runtime.txt"
TEST_LOCK = REQUIREMENTS / "test.txt"
MAKEFILE = ROOT / "Makefile"

PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\[[^\]]*\])?==(?P<version>[^\s;\\]+)"
    r"\s*(?:;\s*(?P<marker>[^\\]*?))?\s*(?P<options>(?:--hash=\S+\s*)*)$"
)
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def normalize(name: str) -> str:
    """PEP 503: `PyYAML`, `pyyaml` and `py_yaml` name one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pin(text: str) -> tuple[str, str, str]:
    """`name[extras]==version` as (normalized name, sorted extras, version)."""
    match = PIN.match(text.strip())
    assert match and not match["options"] and not match["marker"], (
        f"expected an exact pin like 'name==1.2.3', found {text!r}"
    )
    extras = ",".join(sorted(e.strip() for e in (match["extras"] or "[]")[1:-1].split(",") if e.strip()))
    return normalize(match["name"]), extras, match["version"]


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pyproject_pins(group: str) -> set[tuple[str, str, str]]:
    """`[project].dependencies` ("runtime") or an optional-dependencies extra."""
    project = pyproject()["project"]
    specs = project["dependencies"] if group == "runtime" else project["optional-dependencies"][group]
    return {_pin(spec) for spec in specs}


def read_in(path: Path) -> tuple[set[tuple[str, str, str]], list[str]]:
    """The pins of an .in file, and its option lines (`-r`, `-c`)."""
    pins, options = set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            options.append(line)
        else:
            pins.add(_pin(line))
    return pins, options


def read_lock(text: str) -> list[dict[str, str | list[str]]]:
    """Each requirement of a lock file, its continuation lines joined.

    Any line that is not a `name==version [; marker] --hash=...` requirement
    (an option such as `--index-url`, `-e`, a URL or a path) fails the parse.
    """
    entries: list[dict[str, str | list[str]]] = []
    logical = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not logical and (not stripped or stripped.startswith("#")):
            continue
        logical += " " + stripped.removesuffix("\\").strip()
        if stripped.endswith("\\"):
            continue
        match = PIN.match(logical.strip())
        assert match, f"line {number}: expected 'name==version --hash=sha256:...', found {logical.strip()!r}"
        entries.append({
            "name": normalize(match["name"]),
            "version": match["version"],
            "marker": (match["marker"] or "").strip(),
            "hashes": match["options"].split(),
        })
        logical = ""
    assert not logical, "the file ends inside a continued line"
    return entries


def lock(path: Path) -> list[dict[str, str | list[str]]]:
    return read_lock(path.read_text(encoding="utf-8"))


def versions(entries: list[dict]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for entry in entries:
        found.setdefault(entry["name"], set()).add(entry["version"])
    return found


# --- pyproject.toml, the .in files and the locks agree --------------------


@pytest.mark.parametrize("group", ["runtime", "test"])
def test_pyproject_pins_every_direct_dependency_exactly(group):
    assert pyproject_pins(group), group


def test_runtime_in_repeats_pyproject_dependencies():
    pins, options = read_in(RUNTIME_IN)
    assert options == []
    assert pins == pyproject_pins("runtime")


def test_test_in_repeats_the_test_extra_on_top_of_the_runtime():
    pins, options = read_in(TEST_IN)
    assert pins == pyproject_pins("test")
    # The runtime's direct pins, and the runtime lock's versions for everything shared.
    assert sorted(options) == ["-c runtime.txt", "-r runtime.in"]


def test_no_package_is_both_runtime_and_test():
    runtime = {name for name, _, _ in pyproject_pins("runtime")}
    test = {name for name, _, _ in pyproject_pins("test")}
    assert runtime & test == set()


@pytest.mark.parametrize("path", [RUNTIME_LOCK, TEST_LOCK], ids=lambda p: p.name)
def test_every_lock_requirement_is_pinned_and_hashed(path):
    entries = lock(path)
    assert len(entries) > 10
    unhashed = [e["name"] for e in entries if not e["hashes"]]
    assert unhashed == [], f"{path.name}: no --hash for {unhashed}"
    for entry in entries:
        assert all(HASH.fullmatch(h) for h in entry["hashes"]), entry
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# This file was autogenerated by uv"), "regenerate it with `make lock`"
    assert "#    make lock\n" in text


@pytest.mark.parametrize(
    ("path", "groups"),
    [(RUNTIME_LOCK, ["runtime"]), (TEST_LOCK, ["runtime", "test"])],
    ids=["runtime.txt", "test.txt"],
)
def test_lock_holds_each_direct_pin_at_its_version(path, groups):
    locked = versions(lock(path))
    for group in groups:
        for name, _, version in pyproject_pins(group):
            assert locked.get(name) == {version}, f"{path.name}: {name} is {locked.get(name)}, pyproject pins {version}"


def requires_python_minimum() -> str:
    """The oldest Python the project accepts: pyproject.toml's `requires-python = ">=X.Y.Z"`."""
    spec = pyproject()["project"]["requires-python"]
    match = re.fullmatch(r">=(\d+\.\d+\.\d+)", spec)
    assert match, f"requires-python: expected '>=X.Y.Z', found {spec!r}"
    return match[1]


def split_by_python(entries: list[dict]) -> dict[str, list[str]]:
    """Packages locked at more than one version (a marker picks one per Python): a
    contributor on another Python than CI's would test other code."""
    return {name: sorted(found) for name, found in versions(entries).items() if len(found) > 1}


@pytest.mark.parametrize("path", [RUNTIME_LOCK, TEST_LOCK], ids=lambda p: p.name)
def test_each_package_has_one_version_for_every_accepted_python(path):
    assert split_by_python(lock(path)) == {}, (
        f"{path.name} splits packages by Python version; raise requires-python in pyproject.toml "
        "to the oldest Python the newest version supports, then `make lock`")


def test_the_split_check_finds_a_split():
    split = ("pymdown-extensions==12.3 ; python_full_version < '3.11.5' \\\n    --hash=sha256:" + "a" * 64 +
             "\npymdown-extensions==13.1.2 ; python_full_version >= '3.11.5' \\\n    --hash=sha256:"
             + "b" * 64 + "\nanyio==4.16.0 ; sys_platform != 'emscripten' \\\n    --hash=sha256:" + "c" * 64 + "\n")
    assert split_by_python(read_lock(split)) == {"pymdown-extensions": ["12.3", "13.1.2"]}


def test_the_locks_are_resolved_for_the_oldest_accepted_python():
    """`make lock` resolves for requires-python's minimum, read from pyproject.toml, and
    downloads no Python to do it."""
    result = subprocess.run(["make", "-n", "--no-print-directory", "lock"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=False)
    compiles = [line for line in result.stdout.splitlines() if "uv pip compile" in line]
    assert len(compiles) == 2, result.stdout + result.stderr
    for line in compiles:
        assert f"--universal --python-version {requires_python_minimum()} --no-python-downloads" in line


def test_test_lock_installs_the_runtime_lock_unchanged():
    """`make test` adds the test lock to the runtime venv: shared packages must not move."""
    test = {(e["name"], e["marker"]): e for e in lock(TEST_LOCK)}
    for entry in lock(RUNTIME_LOCK):
        key = (entry["name"], entry["marker"])
        assert key in test, f"{key} is in runtime.txt but not in test.txt"
        assert test[key]["version"] == entry["version"], key
        assert sorted(test[key]["hashes"]) == sorted(entry["hashes"]), key


def test_runtime_lock_leaves_the_test_tools_out():
    runtime = versions(lock(RUNTIME_LOCK))
    assert {name for name, _, _ in pyproject_pins("test")} & runtime.keys() == set()


def test_no_second_copy_of_mkdocs():
    """mkdocs-redirects (unused) pulled in properdocs, a fork of MkDocs."""
    for path in (RUNTIME_LOCK, TEST_LOCK):
        names = versions(lock(path)).keys()
        assert not names & {"properdocs", "mkdocs-redirects"}, path.name


def test_lock_parser_rejects_a_requirement_without_a_hash():
    good = "attrs==26.1.0 \\\n    --hash=sha256:" + "a" * 64 + "\n    # via jsonschema\n"
    assert read_lock(good) == [{"name": "attrs", "version": "26.1.0", "marker": "",
                                "hashes": ["--hash=sha256:" + "a" * 64]}]
    assert read_lock("attrs==26.1.0\n")[0]["hashes"] == []
    marked = "numpy==2.4.6 ; python_full_version < '3.12' \\\n    --hash=sha256:" + "b" * 64 + "\n"
    assert read_lock(marked)[0]["marker"] == "python_full_version < '3.12'"
    for bad in ("attrs>=26\n", "--index-url https://example.org/simple\n", "-e .\n",
                "attrs @ https://example.org/attrs.whl\n", "attrs==1 \\\n"):
        with pytest.raises(AssertionError):
            read_lock(bad)


def test_pin_parser_rejects_a_loose_pin():
    assert _pin("pagefind[bin]==1.5.2") == ("pagefind", "bin", "1.5.2")
    assert _pin("PyYAML==6.0.3") == ("pyyaml", "", "6.0.3")
    for bad in ("mkdocs>=1.6", "mkdocs~=1.6.1", "mkdocs", "mkdocs==1.6.1 ; python_version < '4'"):
        with pytest.raises(AssertionError):
            _pin(bad)


# --- the Makefile installs the locks, hash-checked -------------------------


def _make_variables(text: str) -> dict[str, str]:
    joined = re.sub(r"\\\n\s*", " ", text)
    return dict(re.findall(r"^([A-Z_]+)\s*:?=\s*(.*)$", joined, re.M))


def _expand(line: str, variables: dict[str, str]) -> str:
    for _ in range(10):
        line = re.sub(r"\$\(([A-Z_]+)\)", lambda m: variables.get(m[1], m[0]), line)
    return line


def _recipe(text: str, target: str) -> list[str]:
    match = re.search(rf"^{re.escape(target)}\s*:[^\n]*\n((?:\t[^\n]*\n)*)", text, re.M)
    assert match, f"no rule for {target}"
    return [line.strip() for line in match[1].splitlines()]


def test_makefile_installs_both_locks_with_require_hashes():
    text = MAKEFILE.read_text(encoding="utf-8")
    variables = _make_variables(text)
    installs = [
        _expand(line, variables)
        for line in text.splitlines()
        if line.startswith("\t") and "pip install" in _expand(line, variables)
    ]
    locked = [line for line in installs if "--require-hashes" in line]
    assert any("-r requirements/runtime.txt" in line for line in locked), installs
    assert any("-r requirements/test.txt" in line for line in locked), installs
    others = [line for line in installs if line not in locked]
    # The project itself is not hash-pinnable; its dependencies come from the locks.
    assert [line.split("pip install", 1)[1].split() for line in others] == [["--quiet", "--no-deps", "-e", "."]]


def test_install_is_runtime_only_and_test_adds_the_test_lock():
    text = MAKEFILE.read_text(encoding="utf-8")
    variables = _make_variables(text)
    assert re.search(r"^install:\s*\$\(STAMP\)", text, re.M)
    assert re.search(r"^site:\s*\$\(STAMP\)", text, re.M)
    assert re.search(r"^test:[^\n#]*\$\(TEST_STAMP\)", text, re.M)
    runtime = " ".join(_expand(line, variables) for line in _recipe(text, "$(STAMP)"))
    assert "requirements/runtime.txt" in runtime and "requirements/test.txt" not in runtime
    test = " ".join(_expand(line, variables) for line in _recipe(text, "$(TEST_STAMP)"))
    assert "requirements/test.txt" in test
    # The stamps live inside .venv, so recreating it re-runs both installs.
    assert _expand("$(STAMP) $(TEST_STAMP)", variables).split() == [
        ".venv/.installed-runtime", ".venv/.installed-test"
    ]


def test_make_lock_regenerates_both_locks_with_hashes():
    text = MAKEFILE.read_text(encoding="utf-8")
    variables = _make_variables(text)
    recipe = [_expand(line, variables) for line in _recipe(text, "lock")]
    assert len(recipe) == 2
    for line, name in zip(recipe, ("runtime", "test")):
        assert "uv pip compile" in line and "--generate-hashes" in line
        assert f"requirements/{name}.in -o requirements/{name}.txt" in line


def test_nothing_refers_to_the_old_lock_file():
    paths = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", MAKEFILE, ROOT / ".ci" / "run",
             ROOT / "pyproject.toml", *(ROOT / ".github" / "workflows").glob("*.yml")]
    assert [p.name for p in paths if "requirements.lock" in p.read_text(encoding="utf-8")] == []
    assert not (ROOT / "requirements.lock").exists()


def test_workflow_pip_caches_key_on_the_lock_files():
    for path in (ROOT / ".github" / "workflows").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"cache-dependency-path:\s*(\|\n(?:\s{12,}\S.*\n)+|\S+)", text):
            files = [line.strip() for line in block.removeprefix("|").splitlines() if line.strip()]
            assert files and all((ROOT / f).is_file() for f in files), (path.name, files)
            assert all(f.startswith("requirements/") for f in files), (path.name, files)


# --- what is imported is declared -----------------------------------------


def imported_modules(source: str) -> set[str]:
    """Top-level names of absolute imports, and of `pytest.importorskip("...")`."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.add(str(node.args[0].value).split(".")[0])
    return found


def undeclared_imports(folder: Path, declared: set[str]) -> dict[str, list[str]]:
    """Third-party modules imported under `folder` whose distribution is not in `declared`."""
    local = {"generator", "tests"} | {p.stem for p in folder.rglob("*.py")}
    providers = importlib.metadata.packages_distributions()
    problems: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for module in imported_modules(path.read_text(encoding="utf-8")):
            if module in sys.stdlib_module_names or module in local:
                continue
            dists = {normalize(d) for d in providers.get(module, [])}
            if not dists & declared:
                where = f"{path.relative_to(folder.parent)} imports {module}"
                problems.setdefault(module, []).append(
                    f"{where} (provided by {sorted(dists) or 'nothing installed'})"
                )
    return problems


def test_generator_imports_only_runtime_dependencies():
    runtime = {name for name, _, _ in pyproject_pins("runtime")}
    assert undeclared_imports(ROOT / "generator", runtime) == {}


def test_tests_import_only_declared_dependencies():
    declared = {name for group in ("runtime", "test") for name, _, _ in pyproject_pins(group)}
    assert undeclared_imports(ROOT / "tests", declared) == {}


def test_import_check_finds_an_undeclared_import(tmp_path):
    (tmp_path / "mod.py").write_text(
        "from __future__ import annotations\nimport json, yaml\nfrom markupsafe import escape\n"
        "from . import sibling\nimport mod\n"
        "def f(pytest):\n    return pytest.importorskip('playwright.sync_api')\n"
    )
    assert imported_modules((tmp_path / "mod.py").read_text()) == {
        "__future__", "json", "yaml", "markupsafe", "mod", "playwright"
    }
    problems = undeclared_imports(tmp_path, {"pyyaml", "playwright"})
    assert list(problems) == ["markupsafe"], problems
