"""The weekly update's pull request (.github/scripts/propose.sh), against a real git.

A bare repository stands for GitHub's, a fake `gh` (tests/fake_gh.py) for its pull
requests. Each run does what update.yml does: `collect` clones, runs `propose.sh base`,
changes paper files as the importer would and makes the patch; `propose` clones afresh
and runs `propose.sh push`. What must hold: a curator's commit on the bot's branch and
last week's unmerged papers survive the next run, nothing is ever force-pushed over the
open pull request, and a patch with anything but new or changed regular paper files is
refused before anything is pushed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import ROOT, TESTS

SCRIPT = ROOT / ".github" / "scripts" / "propose.sh"
BRANCH = "update/papers"


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout.strip()


def paper(title: str) -> str:
    return f"title: {title}\nabstract: An abstract.\ntopics:\n- retrieval\n"


@dataclass
class Forge:
    """The origin repository, the fake gh's state and log, and the environment of a run."""

    tmp: Path
    origin: Path
    env: dict[str, str]
    runs: int = 0

    def state(self) -> dict:
        path = Path(self.env["FAKE_GH_STATE"])
        return json.loads(path.read_text()) if path.exists() else {"pulls": [], "comments": []}

    def set_state(self, state: dict) -> None:
        Path(self.env["FAKE_GH_STATE"]).write_text(json.dumps(state))

    def calls(self) -> list[list[str]]:
        path = Path(self.env["FAKE_GH_LOG"])
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def clone(self, name: str) -> Path:
        work = self.tmp / name
        git("clone", "--quiet", str(self.origin), str(work), cwd=self.tmp)
        return work

    def branch_tip(self, branch: str = BRANCH) -> str | None:
        result = subprocess.run(["git", "--git-dir", str(self.origin), "rev-parse", "--verify", "--quiet",
                                 f"refs/heads/{branch}"], capture_output=True, text=True, check=False)
        return result.stdout.strip() or None

    def file_at(self, ref: str, path: str) -> str | None:
        result = subprocess.run(["git", "--git-dir", str(self.origin), "show", f"{ref}:{path}"],
                                capture_output=True, text=True, check=False)
        return result.stdout if result.returncode == 0 else None

    def is_ancestor(self, older: str, newer: str) -> bool:
        return subprocess.run(["git", "--git-dir", str(self.origin), "merge-base", "--is-ancestor", older, newer],
                              check=False).returncode == 0

    def script(self, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", str(SCRIPT), *args], cwd=cwd, env={**self.env, **env},
                              capture_output=True, text=True, timeout=120, check=False)

    def collect(self, change: Callable[[Path], None], add: str = "content/papers") -> Path:
        """update.yml's `collect`: the base, the importer's changes (`change`), the patch."""
        self.runs += 1
        work, out = self.clone(f"collect-{self.runs}"), self.tmp / f"handover-{self.runs}"
        result = self.script("base", str(out), cwd=work)
        assert result.returncode == 0, result.stdout + result.stderr
        change(work)
        git("add", "--all", add, cwd=work)
        (out / "papers.patch").write_bytes(subprocess.run(
            ["git", "diff", "--cached", "--binary"], cwd=work, capture_output=True, check=True).stdout)
        (out / "body.md").write_text(f"### Added (week {self.runs})\n", encoding="utf-8")
        return out

    def propose(self, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
        """update.yml's `propose`: a fresh checkout of the same commit, then the push."""
        return self.script("push", str(out), cwd=self.clone(f"propose-{self.runs}"), **env)

    def curator_commits(self, path: str, text: str, branch: str = BRANCH) -> str:
        """A person pushes a commit to `branch`; returns it."""
        work = self.clone(f"curator-{self.runs}-{branch.replace('/', '-')}")
        git("checkout", "--quiet", branch, cwd=work)
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_text(text, encoding="utf-8")
        git("add", path, cwd=work)
        git("commit", "--quiet", "-m", f"Curate {path}", cwd=work)
        git("push", "--quiet", "origin", branch, cwd=work)
        return git("rev-parse", "HEAD", cwd=work)


@pytest.fixture
def forge(tmp_path: Path) -> Forge:
    origin = tmp_path / "origin.git"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(f"#!/bin/sh\nexec '{sys.executable}' '{TESTS / 'fake_gh.py'}' \"$@\"\n")
    gh.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GH_", "GITHUB_"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="A Curator", GIT_AUTHOR_EMAIL="curator@example.org",
               GIT_COMMITTER_NAME="A Curator", GIT_COMMITTER_EMAIL="curator@example.org",
               FAKE_GH_STATE=str(tmp_path / "gh-state.json"), FAKE_GH_LOG=str(tmp_path / "gh-log.jsonl"),
               FAKE_GH_ORIGIN=str(origin), GH_TOKEN="a-token", BRANCH=BRANCH, BASE="main")
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(origin)], env=env, check=True)
    forge = Forge(tmp_path, origin, env)
    seed = forge.clone("seed")
    (seed / "content" / "papers").mkdir(parents=True)
    (seed / "content" / "papers" / "a.yml").write_text(paper("A"), encoding="utf-8")
    (seed / "README.md").write_text("readme\n", encoding="utf-8")
    for args in (["add", "--all"], ["commit", "--quiet", "-m", "Seed"], ["push", "--quiet", "origin", "main"]):
        subprocess.run(["git", *args], cwd=seed, env=env, check=True)
    return forge


def add_paper(slug: str, title: str) -> Callable[[Path], None]:
    def change(work: Path) -> None:
        (work / "content" / "papers" / f"{slug}.yml").write_text(paper(title), encoding="utf-8")
    return change


def creates(forge: Forge) -> list[list[str]]:
    return [c for c in forge.calls() if c[:2] == ["pr", "create"]]


# --- the pull request -----------------------------------------------------------


def test_the_first_update_opens_a_pull_request(forge: Forge) -> None:
    out = forge.collect(add_paper("b", "B"))
    assert (out / "base.env").read_text() == f"PR=\nBASE_SHA={forge.branch_tip('main')}\nBRANCH_SHA=\n"
    result = forge.propose(out, DRAFT="false")
    assert result.returncode == 0, result.stderr
    tip = forge.branch_tip()
    assert forge.file_at(tip, "content/papers/b.yml") == paper("B")
    assert git("rev-list", "--count", f"main..{tip}", cwd=forge.clone("look")) == "1"
    (pull,) = forge.state()["pulls"]
    assert (pull["head"], pull["base"], pull["draft"]) == (BRANCH, "main", False)
    assert pull["body"] == "### Added (week 1)\n"
    assert ["auth", "setup-git"] in forge.calls(), "git pushes with GH_TOKEN through gh"


def test_without_the_app_the_pull_request_is_a_draft_that_says_ci_has_not_run(forge: Forge) -> None:
    result = forge.propose(forge.collect(add_paper("b", "B")), DRAFT="true")
    assert result.returncode == 0, result.stderr
    (pull,) = forge.state()["pulls"]
    assert pull["draft"] is True
    assert pull["body"].startswith("> [!NOTE]\n> CI has not run on this update")
    assert "close and reopen this pull request" in pull["body"]
    assert pull["body"].endswith("### Added (week 1)\n")


def test_a_curators_commit_and_last_weeks_papers_survive_the_next_run(forge: Forge) -> None:
    assert forge.propose(forge.collect(add_paper("b", "B"))).returncode == 0
    curated = forge.curator_commits("content/papers/b.yml", paper("B, as a curator fixed it"))
    # Meanwhile another pull request lands on main.
    forge.curator_commits("content/papers/c.yml", paper("C"), branch="main")

    seen = {}

    def week_two(work: Path) -> None:
        seen.update({p.name: p.read_text() for p in (work / "content" / "papers").iterdir()})
        add_paper("d", "D")(work)

    out = forge.collect(week_two)
    assert seen == {"a.yml": paper("A"), "b.yml": paper("B, as a curator fixed it"), "c.yml": paper("C")}, \
        "the import runs on the open pull request's branch, merged with main"
    result = forge.propose(out)
    assert result.returncode == 0, result.stderr

    tip = forge.branch_tip()
    assert forge.is_ancestor(curated, tip), "the curator's commit is in the branch's history"
    assert forge.file_at(tip, "content/papers/b.yml") == paper("B, as a curator fixed it")
    assert forge.file_at(tip, "content/papers/c.yml") == paper("C")
    assert forge.file_at(tip, "content/papers/d.yml") == paper("D")
    assert len(creates(forge)) == 1, "one pull request, updated"
    assert forge.state()["comments"] == [{"number": 1, "body": "### Added (week 2)\n"}]


def test_an_unchanged_main_adds_just_one_commit(forge: Forge) -> None:
    assert forge.propose(forge.collect(add_paper("b", "B"))).returncode == 0
    first = forge.branch_tip()
    assert forge.propose(forge.collect(add_paper("c", "C"))).returncode == 0
    second = forge.branch_tip()
    assert git("rev-parse", f"{second}^", cwd=forge.clone("look")) == first, "no merge commit needed"


def test_a_commit_pushed_during_the_run_is_never_overwritten(forge: Forge) -> None:
    assert forge.propose(forge.collect(add_paper("b", "B"))).returncode == 0
    out = forge.collect(add_paper("c", "C"))
    late = forge.curator_commits("content/papers/b.yml", paper("B, fixed while the update ran"))
    result = forge.propose(out)
    assert result.returncode != 0
    assert f"{BRANCH} moved since this run read it" in result.stderr
    assert forge.branch_tip() == late


def test_a_branch_that_does_not_merge_with_main_stops_the_import(forge: Forge) -> None:
    assert forge.propose(forge.collect(add_paper("b", "B"))).returncode == 0
    forge.curator_commits("content/papers/a.yml", paper("A on the branch"))
    forge.curator_commits("content/papers/a.yml", paper("A on main"), branch="main")
    work = forge.clone("collect-conflict")
    result = forge.script("base", str(forge.tmp / "handover-conflict"), cwd=work)
    assert result.returncode != 0
    assert f"{BRANCH} does not merge cleanly with main: merge main into it by hand" in result.stderr


def test_the_branch_of_a_merged_pull_request_is_replaced(forge: Forge) -> None:
    assert forge.propose(forge.collect(add_paper("b", "B"))).returncode == 0
    stale = forge.branch_tip()
    work = forge.clone("maintainer")
    git("merge", "--quiet", f"origin/{BRANCH}", cwd=work)
    git("push", "--quiet", "origin", "main", cwd=work)
    state = forge.state()
    state["pulls"][0]["state"] = "MERGED"
    forge.set_state(state)

    out = forge.collect(add_paper("c", "C"))
    assert "BRANCH_SHA=\n" in (out / "base.env").read_text()
    assert forge.propose(out).returncode == 0
    assert forge.branch_tip() != stale and len(creates(forge)) == 2


def test_a_forks_branch_of_the_same_name_is_not_ours(forge: Forge) -> None:
    forge.set_state({"pulls": [{"number": 7, "head": BRANCH, "base": "main", "state": "OPEN",
                                "isCrossRepository": True, "draft": False, "title": "x", "body": ""}],
                     "comments": []})
    assert forge.propose(forge.collect(add_paper("b", "B"))).returncode == 0
    assert forge.state()["comments"] == [] and len(creates(forge)) == 1


def test_an_open_pull_request_into_another_branch_stops_the_run(forge: Forge) -> None:
    """A run started on another branch must not replace the branch of main's pull request."""
    assert forge.propose(forge.collect(add_paper("b", "B"))).returncode == 0
    work = forge.clone("other-base")
    result = forge.script("base", str(forge.tmp / "handover-other"), cwd=work, BASE="release")
    assert result.returncode != 0
    assert f"pull request #1 from {BRANCH} goes into another branch than release" in result.stderr


def test_the_apps_bot_authors_the_commit(forge: Forge) -> None:
    result = forge.propose(forge.collect(add_paper("b", "B")), APP_SLUG="paper-index-update")
    assert result.returncode == 0, result.stderr
    log = subprocess.run(["git", "--git-dir", str(forge.origin), "log", "-1", "--format=%an <%ae>",
                          forge.branch_tip()], capture_output=True, text=True, check=True).stdout.strip()
    assert log == "paper-index-update[bot] <paper-index-update[bot]@users.noreply.github.com>"


# --- what the patch may hold ----------------------------------------------------


def _symlink(work: Path) -> None:
    (work / "content" / "papers" / "x.yml").symlink_to("../../README.md")


def _executable(work: Path) -> None:
    add_paper("x", "X")(work)
    (work / "content" / "papers" / "x.yml").chmod(0o755)


def _rename(work: Path) -> None:
    git("mv", "content/papers/a.yml", "content/papers/renamed.yml", cwd=work)


def _delete(work: Path) -> None:
    (work / "content" / "papers" / "a.yml").unlink()


def _workflow(work: Path) -> None:
    (work / ".github" / "workflows").mkdir(parents=True)
    (work / ".github" / "workflows" / "evil.yml").write_text("on: push\n")
    add_paper("x", "X")(work)


def _not_a_slug(work: Path) -> None:
    (work / "content" / "papers" / "Not A Slug.yml").write_text(paper("X"))


def _log_command(work: Path) -> None:
    (work / "content" / "papers" / "x\n::warning::pwned.yml").write_text(paper("X"))


@pytest.mark.parametrize(("change", "add", "expected"), [
    (_symlink, "content/papers", "not a new regular paper file: create mode 120000 content/papers/x.yml"),
    (_executable, "content/papers", "not a new regular paper file: create mode 100755 content/papers/x.yml"),
    (_rename, "content/papers", "not a new regular paper file: rename content/papers/{a.yml => renamed.yml}"),
    (_delete, "content/papers", "not a new regular paper file: delete mode 100644 content/papers/a.yml"),
    (_workflow, ".", "not a paper file: .github/workflows/evil.yml"),
    (_not_a_slug, "content/papers", "not a paper file: content/papers/Not A Slug.yml"),
    (_log_command, "content/papers", 'not a paper file: "content/papers/x\\n::warning::pwned.yml"'),
], ids=["symlink", "executable", "rename", "delete", "workflow", "not-a-slug", "log-command"])
def test_a_patch_with_anything_but_regular_paper_files_is_refused(forge: Forge, change, add, expected) -> None:
    result = forge.propose(forge.collect(change, add=add))
    assert result.returncode != 0
    assert "the patch may only add or change content/papers/<slug>.yml, as regular files:" in result.stderr
    assert expected in result.stderr, result.stderr
    assert not re.search(r"^::(?!error::propose\.sh: the patch)", result.stderr, re.M), "no line of the patch's starts a log line"
    assert forge.branch_tip() is None and creates(forge) == []


def test_a_symlink_already_on_the_branch_is_refused_when_changed(forge: Forge) -> None:
    """The patch says only `index a..b 120000`: git's own account of the index catches it."""
    work = forge.clone("sneak")
    git("checkout", "--quiet", "-b", BRANCH, cwd=work)
    (work / "content" / "papers" / "x.yml").symlink_to("a.yml")
    git("add", "--all", cwd=work)
    git("commit", "--quiet", "-m", "A symlink", cwd=work)
    git("push", "--quiet", "origin", BRANCH, cwd=work)
    forge.set_state({"pulls": [{"number": 1, "head": BRANCH, "base": "main", "state": "OPEN",
                                "isCrossRepository": False, "draft": False, "title": "x", "body": ""}],
                     "comments": []})
    before = forge.branch_tip()

    def retarget(work: Path) -> None:
        link = work / "content" / "papers" / "x.yml"
        link.unlink()
        link.symlink_to("../../README.md")

    result = forge.propose(forge.collect(retarget))
    assert result.returncode != 0
    assert "mode 120000, not a regular file (100644): content/papers/x.yml" in result.stderr, result.stderr
    assert forge.branch_tip() == before


@pytest.mark.parametrize("base_env", [
    "PR=1; touch /tmp/pwned\nBASE_SHA={base}\nBRANCH_SHA={base}\n",
    "PR=\nBASE_SHA=$(id)\nBRANCH_SHA=\n",
    "PR=\nBASE_SHA={base}\nBRANCH_SHA=\nGIT_DIR=/etc\n",
    "PR=3\nBASE_SHA={base}\nBRANCH_SHA=\n",
])
def test_a_tampered_handover_is_refused(forge: Forge, base_env: str) -> None:
    out = forge.collect(add_paper("b", "B"))
    (out / "base.env").write_text(base_env.format(base=forge.branch_tip("main")))
    result = forge.propose(out)
    assert result.returncode != 0
    assert re.search(r"propose\.sh: base\.env: ", result.stderr), result.stderr
    assert forge.branch_tip() is None


def test_the_script_never_forces_a_push_without_a_lease():
    pushes = [line.strip() for line in SCRIPT.read_text().splitlines() if re.search(r"\bgit push\b", line)]
    assert pushes, "the script pushes"
    for line in pushes:
        assert re.search(r'--force-with-lease="refs/heads/\$BRANCH:\$expected"', line), line
        assert not re.search(r"(?<![\w-])(--force|-f)(?![\w-])", line.replace("--force-with-lease", "")), line
