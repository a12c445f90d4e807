"""`python -m generator init DIR`: a new index with its own name, which builds at once,
whose workflows, Makefile targets and mkdocs.yml come from this repository's own.

The end-to-end case (the wheel in a fresh venv, an import, search in Chromium and
`make serve`) is in tests/test_wheel.py; these run the checkout's generator.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.errors import GeneratorError
from generator.starter import derive
from generator.starter.scaffold import IndexSpec, complete, default_site_url, index_files
from helpers import ROOT, cli, run_python, snapshot
from test_workflows import (
    _check_jsonschema,
    actionlint,
    dependabot_problems,
    deploy_problems,
    site_build,
    update_problems,
    workflow_problems,
    zizmor,
)

NAME = "Lab's <Robot> Papers: #1 & more"
"""A name with every character YAML, Markdown and HTML treat specially."""
REPO = "https://github.com/robot-lab/robot-papers"
SITE = "https://robot-lab.github.io/robot-papers/"
FLAGS = ("--name", NAME, "--repo", REPO)
SPEC = IndexSpec(name=NAME, description="Papers on robots that learn.", site_url=SITE, repo_url=REPO)
USES = re.compile(r"^\s*(?:- )?uses: (\S+)", re.M)


def this_index_traces() -> list[str]:
    """What marks this repository's index, read from its own files (never written here):
    its name, address, repository, description, home intro and About text."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    values = {k: str(yaml.safe_load(v)) for k, v in re.findall(
        r"^(site_name|site_url|repo_url|site_description): (.*)$", config, re.M)}
    intro = re.search(r"intro: \|-\n((?:\s{8}.*\n)+)", config)[1].split()
    about = (ROOT / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    return [values["site_name"], values["site_url"].split("//")[1].rstrip("/"),
            values["repo_url"].split("//")[1], values["site_description"],
            " ".join(intro[:8]), about.split("\n\n")[2].split("\n")[0]]


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("init", "new-index", *FLAGS)
    assert (code, err) == (0, ""), err
    assert out.startswith(f"Created the index {NAME!r} in new-index (14 files):\n")
    return tmp_path / "new-index"


# --- the folder ------------------------------------------------------------------------


def test_init_writes_the_index(index: Path) -> None:
    assert sorted(snapshot(index)) == [
        ".github/dependabot.yml", ".github/scripts/propose.sh", ".github/workflows/ci.yml",
        ".github/workflows/deploy.yml", ".github/workflows/update.yml", ".gitignore", "Makefile",
        "README.md", "content/README.md", "content/pages/about.md", "content/papers/.gitkeep",
        "content/topics.yml", "mkdocs.yml", "requirements.txt"]
    assert (index / ".github/scripts/propose.sh").stat().st_mode & 0o111
    assert f"paper-index=={__version__}\n" in (index / "requirements.txt").read_text()
    readme = (index / "README.md").read_text()
    assert readme.startswith(f"# {NAME}\n") and "## Repository settings" in readme
    assert "make serve" in readme and "make site" in readme


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / "notes.txt").write_text("mine\n")
    code, out, err = cli("init", "lab", *FLAGS)
    assert (code, out) == (1, "")
    assert err == ("Error: lab: the folder is not empty; choose an empty or new folder, or pass "
                   "--force to write the index's files over what is there (other files are left "
                   "alone)\n")
    assert snapshot(tmp_path / "lab") == {"notes.txt": b"mine\n"}
    (tmp_path / "lab" / "README.md").write_text("old\n")
    code, out, err = cli("init", "lab", *FLAGS, "--force")
    assert (code, err) == (0, "")
    files = snapshot(tmp_path / "lab")
    assert files["notes.txt"] == b"mine\n" and files["README.md"].startswith(b"# Lab's")
    assert len(files) == 15


@pytest.mark.parametrize("flags, message", [
    (("--repo", REPO), "Error: missing --name: give them as options, or run `init` in a terminal "
                       "to be asked\n"),
    (("--name", "X"), "Error: missing --repo, --site-url: give them as options, or run `init` in "
                      "a terminal to be asked\n"),
    (("--name", "X", "--repo", "https://git.example/lab/x"),
     "Error: missing --site-url: give them as options, or run `init` in a terminal to be asked\n"),
    (("--name", "X", "--repo", "javascript:alert(1)//x/y", "--site-url", "javascript:alert(1)"),
     "Error: --repo: expected the repository's https address, e.g. https://github.com/lab/papers "
     "(expected an http or https URL, found the scheme 'javascript:' in 'javascript:alert(1)//x/y'); "
     "--site-url: expected the site's address, e.g. https://lab.github.io/papers/ (expected an http "
     "or https URL, found the scheme 'javascript:' in 'javascript:alert(1)')\n"),
    (("--name", " ", "--repo", "https://github.com/lab", "--site-url", "https://lab.example/"),
     "Error: --name: expected the index's name, e.g. 'Robot Learning Papers'; --repo: expected the "
     "repository's https address with its owner and name, e.g. https://github.com/lab/papers; found "
     "'https://github.com/lab'\n"),
])
def test_init_names_each_missing_or_bad_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              flags: tuple[str, ...], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("init", "x", *flags) == (1, "", message)  # stdin is no terminal: no questions
    assert not (tmp_path / "x").exists()


def test_init_asks_for_what_the_options_do_not_give() -> None:
    asked: list[tuple[str, str]] = []
    answers = iter(["Robot Papers", "", REPO, ""])

    def ask(question: str, default: str) -> str:
        asked.append((question, default))
        return next(answers)

    spec = complete({"name": None, "description": None, "repo_url": None, "site_url": None}, ask)
    assert [default for _, default in asked] == ["", "A curated, searchable index of research papers.",
                                                 "", SITE]
    assert spec == IndexSpec("Robot Papers", "A curated, searchable index of research papers.", SITE, REPO)
    # What the options give is not asked.
    asked.clear()
    complete({"name": "N", "description": "D.", "repo_url": REPO, "site_url": None},
             lambda q, d: asked.append((q, d)) or d)
    assert asked == [("The site's address", SITE)]


@pytest.mark.parametrize("repo, site", [
    ("https://github.com/Lab/papers", "https://lab.github.io/papers/"),
    ("https://github.com/lab/lab.github.io", "https://lab.github.io/"),
    ("https://gitlab.com/lab/papers", ""),
])
def test_the_default_site_is_the_repositorys_github_pages(repo: str, site: str) -> None:
    assert default_site_url(repo) == site


# --- it builds at once, with its own name and nothing of this index ---------------------


def test_the_new_index_builds_an_empty_site_with_its_name(index: Path) -> None:
    code, out, err = cli("--content", index / "content", "check")
    assert (code, err) == (0, "1 file checked: 0 errors, 4 warnings\n")
    assert out.count("has no papers") == 4  # the starter topics but the fallback
    built = run_python("-m", "generator", "build", cwd=index)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built 15 pages (0 papers, 5 topics, 0 redirects)")
    site = run_python("-m", "mkdocs", "build", "--strict", cwd=index)
    assert site.returncode == 0, site.stderr
    indexed = run_python("-m", "generator", "index", "--site", "site", cwd=index)
    assert indexed.returncode == 0, indexed.stderr
    assert (index / "site" / "pagefind" / "pagefind.js").is_file()

    home = (index / "site" / "index.html").read_text(encoding="utf-8")
    escaped = "Lab&#39;s &lt;Robot&gt; Papers: #1 &amp; more"
    assert f"<title>Home - {escaped}</title>" in home and f">{escaped}</span>" in home
    assert re.search(rf'<h1 id="[^"]*">{re.escape(escaped)}', home)
    assert "<p class=\"pi-lead\">A curated, searchable index of research papers.</p>" in home
    about = (index / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert f">About {escaped}<" in about and f'href="{REPO}"' in about
    feed = (index / "site" / "feed.xml").read_text(encoding="utf-8")
    assert f"<link href=\"{SITE}\"" in feed or f'href="{SITE}"' in feed
    assert no_trace_of_this_index(index / "site") == []


def no_trace_of_this_index(site: Path) -> list[str]:
    """Each file of `site` holding a trace of this repository's index. The generator's own
    name stays where it names the generator: its stylesheet, and the About page's link to
    its package."""
    traces = [t.lower() for t in this_index_traces()]
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".xml", ".json", ".bib", ".csv",
                                                     ".txt", ".js", ".css", ".svg", ""):
            continue
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        hits = [t for t in traces if t in text]
        rest = re.sub(r"paper-index\.css|<a href=\"https://pypi\.org/project/paper-index/\">"
                      r"paper-index</a>", "", text)
        hits += ["paper-index"] if "paper-index" in rest else []
        found += [f"{path.relative_to(site)}: {hit}" for hit in hits]
    return found


@pytest.mark.xdist_group("site")  # shares the session's built site with tests/test_site.py
def test_the_trace_search_finds_this_index(real_site) -> None:
    """Guards the check above against finding nothing because it looks for nothing."""
    found = no_trace_of_this_index(real_site.site)
    assert any(f.startswith("index.html: ") for f in found)
    assert {f.split(": ", 1)[1] for f in found} >= {t.lower() for t in this_index_traces()}


def test_the_new_index_makefile_runs_the_repositorys_commands(index: Path) -> None:
    """`make -n`, with the install stamp never remade (`-o`): GNU make runs the rules
    that remake a makefile even under -n, and this Makefile's stamp rule recreates .venv."""
    dry_run = ("make", "-n", "--no-print-directory", "-o", ".venv/.installed", "-o", ".venv/.installed-runtime",
               "site", "serve")
    result = subprocess.run(dry_run, cwd=index, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    ours = subprocess.run(dry_run, cwd=ROOT, capture_output=True, text=True, check=False)
    assert ours.returncode == 0, ours.stderr
    assert result.stdout == ours.stdout
    assert ".venv/bin/python -m generator build\n" in result.stdout


# --- derived from this repository's files ------------------------------------------------


def test_the_workflows_follow_this_repositorys_rules(index: Path) -> None:
    workflows = index / ".github" / "workflows"
    for path in sorted(workflows.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert workflow_problems(text) == [], path.name
        assert "CONTRIBUTING.md" not in text and "make test" not in text, path.name
        assert "requirements/" not in text and "CHROMIUM_PATH" not in text, path.name
        # The same pins, each a SHA of this repository's workflows.
        ours = (ROOT / ".github" / "workflows" / path.name).read_text(encoding="utf-8")
        assert set(USES.findall(text)) == set(USES.findall(ours)), path.name
    assert deploy_problems((workflows / "deploy.yml").read_text()) == []
    assert update_problems((workflows / "update.yml").read_text()) == []
    ci = (workflows / "ci.yml").read_text()
    assert site_build(ci) == site_build((ROOT / ".github/workflows/ci.yml").read_text())
    assert list(yaml.safe_load(ci)["jobs"]) == ["check"]  # no contributor-pr job: no suite
    steps = [s["name"] for s in yaml.safe_load(ci)["jobs"]["check"]["steps"]]
    assert steps == ["Check out", "Set up Python", "Install the locked dependencies",
                     "Validate content", "Check formatting", "Build the site",
                     "Upload the site preview"]
    assert dependabot_problems((index / ".github" / "dependabot.yml").read_text()) == [
        "no update for npm in /tests/standards"]
    schema = _check_jsonschema("--builtin-schema", "vendor.github-workflows", *workflows.iterdir())
    assert schema.returncode == 0, schema.stdout
    assert zizmor(index / ".github") == []
    lint = actionlint(workflows)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_a_change_to_this_repositorys_workflow_reaches_init(monkeypatch: pytest.MonkeyPatch) -> None:
    """Derived, not copied: a step added here is in the next index's CI."""
    original = derive.repo_file

    def changed(name: str) -> str:
        text = original(name)
        if name == ".github/workflows/ci.yml":
            text = text.replace("      - name: Validate content\n",
                                "      - name: Spell-check the titles\n        run: make spell\n\n"
                                "      - name: Validate content\n")
        return text

    monkeypatch.setattr(derive, "repo_file", changed)
    assert "- name: Spell-check the titles\n        run: make spell\n" in index_files(SPEC)[
        ".github/workflows/ci.yml"]


@pytest.mark.parametrize("name, old, new, message", [
    (".github/workflows/ci.yml", "      - name: Run tests\n", "      - name: Run the tests\n",
     ".github/workflows/ci.yml: expected one match of "),
    ("Makefile", "\nserve: ", "\npreview: ", "Makefile: no target 'serve'"),
    ("CONTRIBUTING.md", "## Repository settings", "## Settings",
     "CONTRIBUTING.md: no section '## Repository settings'"),
])
def test_a_file_that_changed_shape_stops_init_with_a_message(
        monkeypatch: pytest.MonkeyPatch, name: str, old: str, new: str, message: str) -> None:
    original = derive.repo_file
    monkeypatch.setattr(derive, "repo_file",
                        lambda n: original(n).replace(old, new) if n == name else original(n))
    with pytest.raises(GeneratorError, match=re.escape(message)):
        index_files(SPEC)


def test_mkdocs_yml_is_this_repositorys_with_the_new_index(index: Path) -> None:
    ours = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    theirs = (index / "mkdocs.yml").read_text(encoding="utf-8")
    changed = {k for k in ("site_name", "site_description", "site_url", "repo_url", "repo_name")
               if re.search(rf"^{k}: .*$", ours, re.M)[0] != re.search(rf"^{k}: .*$", theirs, re.M)[0]}
    assert changed == {"site_name", "site_description", "site_url", "repo_url", "repo_name"}
    from generator.site.settings import Settings

    settings = Settings.from_mkdocs(index / "mkdocs.yml")
    assert (settings.site_name, settings.site_url, settings.repo_url) == (NAME, SITE, REPO)
    assert settings.intro == "A curated, searchable index of research papers."
    # Everything else is this repository's, line for line.
    strip = re.compile(r"^(?:site_name|site_description|site_url|repo_url|repo_name): .*\n", re.M)
    ours_rest = re.sub(r"  - paper-index:\n(?:      .*\n|        .*\n)*", "  - paper-index\n",
                       strip.sub("", ours))
    assert strip.sub("", theirs) == ours_rest
