"""The GitHub workflows are valid and follow the supply-chain and permission rules.

Both files are checked against GitHub's workflow schema (check-jsonschema's
built-in copy, so no network), then against rules the schema cannot express:
SHA-pinned actions, least-privilege permissions, no `pull_request_target`,
and finally by zizmor's pedantic audit, run offline.
Each rule is also run on a small bad workflow, so a checker that passes
everything fails these tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
DEPLOY = WORKFLOWS / "deploy.yml"
UPDATE = WORKFLOWS / "update.yml"
ALL = (CI, DEPLOY, UPDATE)

SHA_PIN = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<sha>[0-9a-f]{40})$")
TAG_PIN = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<tag>v\d+\.\d+\.\d+)$")
VERSION_COMMENT = re.compile(r"^#\s*v\d+(\.\d+)*\b")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<value>[\"']?[^\s#\"']+[\"']?)\s*(?P<comment>#.*)?$")
WRITE_SCOPES_FOR_DEPLOY = {"pages", "id-token"}
UNTRUSTED_EXPRESSION = re.compile(r"\$\{\{\s*github\.(event|head_ref)\b")
"""Pull request titles, branch names etc. pasted into a script can inject shell commands."""


# --- the rule checker -----------------------------------------------------


def _load(text: str) -> dict:
    data = yaml.safe_load(text)
    assert isinstance(data, dict), "a workflow is a mapping"
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def _triggers(data: dict) -> set[str]:
    on = data.get("on")
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return set(on)
    return set(on or {})


def _steps_uses(data: dict) -> list[str]:
    found = []
    for job in (data.get("jobs") or {}).values():
        if "uses" in job:  # a reusable workflow
            found.append(job["uses"])
        for step in job.get("steps") or []:
            if "uses" in step:
                found.append(step["uses"])
    return found


def _grants(permissions: object) -> dict[str, str]:
    """A permissions block as scope -> level; the shorthands are expanded to a marker."""
    if permissions is None:
        return {}
    if isinstance(permissions, str):
        return {"*": permissions}
    return {str(k): str(v) for k, v in permissions.items()}


def workflow_problems(text: str) -> list[str]:
    """Rules every workflow in this repository follows; one message per violation."""
    problems: list[str] = []
    data = _load(text)

    if "pull_request_target" in text:
        problems.append("pull_request_target is not allowed (it runs fork code with secrets)")

    pins: dict[str, str] = {}
    line_uses = []
    for number, line in enumerate(text.splitlines(), 1):
        match = USES_LINE.match(line)
        if not match:
            continue
        value = match["value"].strip("\"'")
        comment = (match["comment"] or "").strip()
        line_uses.append(value)
        if value.startswith("./"):
            continue
        sha = SHA_PIN.match(value)
        tag = TAG_PIN.match(value)
        if sha:
            if not VERSION_COMMENT.match(comment):
                problems.append(f"line {number}: {value} needs its release in a comment, e.g. '# v4.2.2'")
            previous = pins.setdefault(sha["action"], sha["sha"])
            if previous != sha["sha"]:
                problems.append(f"line {number}: {sha['action']} is pinned to two different SHAs")
        elif tag and "tag-pinned" in comment:
            pass  # an exact release tag, explicitly commented because no SHA could be verified
        else:
            problems.append(f"line {number}: {value} is not pinned to a full 40-hex commit SHA")
    if sorted(line_uses) != sorted(_steps_uses(data)):
        problems.append("a `uses:` is written in a form the line check cannot read")

    if "permissions" not in data:
        problems.append("no top-level permissions (the default token can write)")
    else:
        top = _grants(data["permissions"])
        if any(level != "read" and level != "none" for level in top.values()):
            problems.append(f"top-level permissions grant more than read: {top}")
        if "*" in top:
            problems.append("top-level permissions use a read-all/write-all shorthand")

    for name, job in (data.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            if UNTRUSTED_EXPRESSION.search(str(step.get("run", ""))):
                problems.append(f"job {name}: a run script interpolates untrusted event data; "
                                "pass it through env: instead")
        if "permissions" not in job:
            problems.append(f"job {name}: no permissions block")
        elif "*" in _grants(job["permissions"]):
            problems.append(f"job {name}: permissions use a read-all/write-all shorthand")
        if "timeout-minutes" not in job:
            problems.append(f"job {name}: no timeout-minutes")
    return problems


def deploy_problems(text: str) -> list[str]:
    """Rules for the Pages deployment: only the deploying job may write, one run at a time."""
    problems: list[str] = []
    data = _load(text)
    concurrency = data.get("concurrency")
    if not isinstance(concurrency, dict) or not concurrency.get("group"):
        problems.append("no top-level concurrency group")
    elif concurrency.get("cancel-in-progress") is not False:
        problems.append("a deployment in progress must not be cancelled (cancel-in-progress: false)")
    if _grants(data.get("permissions")).keys() & WRITE_SCOPES_FOR_DEPLOY:
        problems.append("pages/id-token granted at the top level, so every job gets them")

    deployers = []
    for name, job in (data.get("jobs") or {}).items():
        grants = _grants(job.get("permissions"))
        uses = [step.get("uses", "") for step in job.get("steps") or []]
        if any(u.startswith("actions/deploy-pages@") for u in uses):
            deployers.append(name)
            if grants != {"pages": "write", "id-token": "write"}:
                problems.append(f"job {name}: must have exactly pages: write and id-token: write, has {grants}")
            environment = job.get("environment") or {}
            if not isinstance(environment, dict) or environment.get("name") != "github-pages":
                problems.append(f"job {name}: must deploy to the github-pages environment")
            elif "steps.deployment.outputs.page_url" not in str(environment.get("url")):
                problems.append(f"job {name}: environment url must come from the deployment step")
        else:
            if grants.keys() & WRITE_SCOPES_FOR_DEPLOY:
                problems.append(f"job {name}: has pages/id-token but does not deploy")
            if any(level == "write" for level in grants.values()):
                problems.append(f"job {name}: a build job needs no write permission, has {grants}")
    if len(deployers) != 1:
        problems.append(f"expected exactly one job using actions/deploy-pages, found {deployers}")
    return problems


# --- the real workflows ---------------------------------------------------


def _check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_workflows_exist():
    assert CI.is_file() and DEPLOY.is_file() and UPDATE.is_file()


def test_workflows_match_github_schema():
    result = _check_jsonschema("--builtin-schema", "vendor.github-workflows", *ALL)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_job_has_a_timeout_by_schema():
    result = _check_jsonschema(
        "--builtin-schema", "custom.github-workflows-require-timeout", *ALL
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_an_invalid_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    stepz: []\n")
    result = _check_jsonschema("--builtin-schema", "vendor.github-workflows", bad)
    assert result.returncode == 1
    assert "stepz" in result.stdout


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_workflow_rules(path):
    assert workflow_problems(path.read_text()) == []


def test_no_pull_request_target_anywhere():
    for path in WORKFLOWS.glob("*.y*ml"):
        assert "pull_request_target" not in path.read_text(), path


def test_deploy_rules():
    assert deploy_problems(DEPLOY.read_text()) == []


def test_deploy_builds_fully_and_publishes_site():
    data = _load(DEPLOY.read_text())
    assert _triggers(data) >= {"push", "workflow_dispatch"}
    assert data["on"]["push"]["branches"] == ["main"]
    runs = "\n".join(
        step.get("run", "") for job in data["jobs"].values() for step in job.get("steps", [])
    )
    assert "python -m generator build" in runs
    # `generator site` is `mkdocs build --strict` split over processes (tests/test_shards.py).
    assert "mkdocs build --strict" in runs or "python -m generator site" in runs
    assert "python -m generator index --site site" in runs  # the search index
    assert "--dirty" not in runs
    uses = _steps_uses(data)
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action
    uploads = [
        step for job in data["jobs"].values() for step in job.get("steps", [])
        if step.get("uses", "").startswith("actions/upload-pages-artifact@")
    ]
    assert [s["with"]["path"].rstrip("/") for s in uploads] == ["site"]


def test_ci_triggers_and_permissions():
    data = _load(CI.read_text())
    assert _triggers(data) >= {"pull_request", "push"}
    assert data["permissions"] == {}
    for name, job in data["jobs"].items():
        assert _grants(job["permissions"]) == {"contents": "read"}, name
    concurrency = data["concurrency"]
    assert "github.event.pull_request.number" in concurrency["group"]
    assert "pull_request" in str(concurrency["cancel-in-progress"])


def test_ci_runs_every_gate_and_uploads_preview():
    data = _load(CI.read_text())
    steps = [step for job in data["jobs"].values() for step in job.get("steps", [])]
    runs = "\n".join(step.get("run", "") for step in steps)
    for command in (
        "make install",
        "python -m generator check --format github",
        "python -m generator fmt --check",
        "make test",
        "python -m generator build",
        "mkdocs build --strict",
    ):
        assert command in runs, command
    assert runs.index("python -m generator build") < runs.index("mkdocs build --strict")
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(uploads) == 1
    assert uploads[0]["with"]["path"].rstrip("/") == "site"
    env = {k: v for job in data["jobs"].values() for k, v in (job.get("env") or {}).items()}
    assert env.get("CHROMIUM_PATH"), "the browser tests need CHROMIUM_PATH on GitHub's runners"


def test_checkout_does_not_keep_the_token():
    for path in ALL:
        for job in _load(path.read_text())["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, path.name


def test_same_action_same_pin_across_workflows():
    pins: dict[str, set[str]] = {}
    for path in ALL:
        for value in _steps_uses(_load(path.read_text())):
            action, _, ref = value.partition("@")
            pins.setdefault(action, set()).add(ref)
    assert {a: refs for a, refs in pins.items() if len(refs) > 1} == {}


def test_makefile_has_the_targets_ci_calls():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("install", "test"):
        assert re.search(rf"^{target}\s*:", makefile, re.M), target


# --- the checkers catch violations ---------------------------------------

GOOD = """\
on:
  pull_request:
permissions: {}
jobs:
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: ./local-action
      - run: echo ok
"""


def _bad(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def test_checker_accepts_a_good_workflow():
    assert workflow_problems(GOOD) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_bad("@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2", "@v4"), "not pinned to a full 40-hex"),
        (_bad("@11bd71901bbe5b1630ceea73d27597364c9af683", "@11bd719"), "not pinned to a full 40-hex"),
        (_bad(" # v4.2.2", ""), "needs its release in a comment"),
        (_bad(" # v4.2.2", " # latest"), "needs its release in a comment"),
        (_bad("@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2", "@main # v4"), "not pinned"),
        (_bad("  pull_request:\n", "  pull_request_target:\n"), "pull_request_target is not allowed"),
        (_bad("permissions: {}\n", ""), "no top-level permissions"),
        (_bad("permissions: {}\n", "permissions: write-all\n"), "grant more than read"),
        (_bad("permissions: {}\n", "permissions:\n  contents: write\n"), "grant more than read"),
        (_bad("    permissions:\n      contents: read\n", ""), "job build: no permissions block"),
        (_bad("    permissions:\n      contents: read\n", "    permissions: write-all\n"),
         "job build: permissions use a read-all/write-all shorthand"),
        (_bad("    timeout-minutes: 5\n", ""), "job build: no timeout-minutes"),
        (_bad("      - run: echo ok\n",
              "      - uses: actions/checkout@0000000000000000000000000000000000000000 # v4.0.0\n"),
         "pinned to two different SHAs"),
        (_bad("- uses: ./local-action", "- {uses: actions/cache@v4}"), "a form the line check cannot read"),
        (_bad("      - run: echo ok\n", "      - run: echo \"${{ github.event.pull_request.title }}\"\n"),
         "interpolates untrusted event data"),
        (_bad("      - run: echo ok\n", "      - run: git log ${{github.head_ref}}\n"),
         "interpolates untrusted event data"),
    ],
)
def test_checker_reports_violation(text, expected):
    problems = workflow_problems(text)
    assert any(expected in p for p in problems), problems


def test_checker_allows_an_explicitly_commented_tag():
    text = _bad(
        "@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
        "@v4.2.2 # tag-pinned: no verifiable SHA for this release",
    )
    assert workflow_problems(text) == []


DEPLOY_GOOD = """\
on:
  push:
    branches: [main]
permissions: {}
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    permissions:
      contents: read
    steps:
      - run: echo build
  deploy:
    needs: build
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5
"""


def test_deploy_checker_accepts_a_good_deploy():
    assert deploy_problems(DEPLOY_GOOD) == []
    assert workflow_problems(DEPLOY_GOOD) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("concurrency:\n  group: pages\n  cancel-in-progress: false\n", "", "no top-level concurrency"),
        ("cancel-in-progress: false", "cancel-in-progress: true", "must not be cancelled"),
        ("permissions: {}\n", "permissions:\n  pages: write\n  id-token: write\n", "at the top level"),
        ("      contents: read\n    steps:\n      - run: echo build",
         "      contents: read\n      pages: write\n    steps:\n      - run: echo build",
         "job build: has pages/id-token but does not deploy"),
        ("      contents: read\n", "      contents: write\n", "a build job needs no write permission"),
        ("      id-token: write\n", "", "exactly pages: write and id-token: write"),
        ("      id-token: write\n", "      id-token: write\n      contents: write\n", "exactly pages: write"),
        ("      name: github-pages\n", "      name: production\n", "github-pages environment"),
        ("url: ${{ steps.deployment.outputs.page_url }}", "url: https://example.org", "environment url"),
        ("        uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5\n",
         "        run: echo no deploy\n", "exactly one job using actions/deploy-pages"),
    ],
)
def test_deploy_checker_reports_violation(old, new, expected):
    assert old in DEPLOY_GOOD
    problems = deploy_problems(DEPLOY_GOOD.replace(old, new))
    assert any(expected in p for p in problems), problems


def test_good_examples_are_valid_workflows(tmp_path):
    """The fixtures the checkers accept are real workflows, not strawmen."""
    for name, text in {"good.yml": GOOD, "deploy.yml": DEPLOY_GOOD}.items():
        (tmp_path / name).write_text(text)
    result = _check_jsonschema(
        "--builtin-schema", "vendor.github-workflows", tmp_path / "good.yml", tmp_path / "deploy.yml"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_uploaded_folder_is_where_mkdocs_builds():
    """Both workflows upload `site/`; that must be mkdocs.yml's site_dir."""
    match = re.search(r"^site_dir:\s*['\"]?([^'\"\s#]+)", (ROOT / "mkdocs.yml").read_text(), re.M)
    site_dir = (match[1] if match else "site").rstrip("/")
    for path in (CI, DEPLOY):
        for job in _load(path.read_text())["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").split("@")[0] in {
                    "actions/upload-artifact", "actions/upload-pages-artifact"
                }:
                    assert step["with"]["path"].rstrip("/") == site_dir, path.name


# --- zizmor, the pedantic persona, offline ---------------------------------

ZIZMOR = Path(sys.executable).with_name("zizmor")
ZIZMOR_FINDINGS_EXIT = {10, 11, 12, 13, 14}
"""zizmor exits 0 with no findings and 10 + the highest severity with some."""


def zizmor(*inputs: Path) -> list[dict]:
    """zizmor's findings on `inputs`, pedantic and offline.

    Neither a config file nor `# zizmor: ignore` comments may hide a finding:
    an exception has to be made here, in review.
    """
    env = {k: v for k, v in os.environ.items()
           if k not in {"GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"}}
    result = subprocess.run(
        [str(ZIZMOR), "--persona", "pedantic", "--offline", "--no-config", "--no-ignores",
         "--format", "json", *map(str, inputs)],
        capture_output=True, text=True, check=False, env=env,
    )
    assert result.returncode in {0} | ZIZMOR_FINDINGS_EXIT, result.stderr
    findings = json.loads(result.stdout)
    assert (result.returncode == 0) == (findings == []), result.returncode
    return findings


def _describe(finding: dict) -> str:
    where = finding["locations"][0]["concrete"]["location"]["start_point"]
    key = finding["locations"][0]["symbolic"]["key"]
    path = Path(next(iter(key["Local"].values()))).name if "Local" in key else key
    return f"{finding['ident']} at {path}:{where['row'] + 1}: {finding['desc']}"


def test_zizmor_pedantic_finds_nothing():
    findings = zizmor(WORKFLOWS)
    assert [_describe(f) for f in findings] == []


def test_zizmor_audits_both_workflows(tmp_path):
    """The clean result above is not zizmor skipping the folder."""
    for path in (CI, DEPLOY):
        broken = tmp_path / path.name
        text = path.read_text()
        keep_token = "        with:\n          persist-credentials: false\n"
        assert keep_token in text, path.name
        broken.write_text(text.replace(keep_token, ""))
        assert "artipacked" in {f["ident"] for f in zizmor(broken)}, path.name


def test_zizmor_reports_a_bad_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n"
    )
    found = {f["ident"] for f in zizmor(bad)}
    assert found >= {"dangerous-triggers", "unpinned-uses", "template-injection",
                     "excessive-permissions", "artipacked"}, found


def test_deploy_permissions_are_explained(tmp_path):
    """Pedantic zizmor wants a reason next to pages/id-token; deploy.yml gives one."""
    text = DEPLOY.read_text()
    assert re.search(r"^\s+pages: write # \S", text, re.M)
    assert re.search(r"^\s+id-token: write # \S", text, re.M)
    bare = tmp_path / "deploy.yml"
    bare.write_text(re.sub(r"^(\s+(?:pages|id-token): write) #.*$", r"\1", text, flags=re.M))
    assert [f["ident"] for f in zizmor(bare)] == ["undocumented-permissions"]


# --- the weekly update ------------------------------------------------------


def _update_jobs() -> dict:
    return _load(UPDATE.read_text())["jobs"]


def test_update_runs_weekly_and_on_demand():
    data = _load(UPDATE.read_text())
    assert _triggers(data) == {"schedule", "workflow_dispatch"}
    (schedule,) = data["on"]["schedule"]
    assert len(schedule["cron"].split()) == 5 and schedule["cron"].split()[4] != "*", "weekly"
    assert data["permissions"] == {}
    assert data["concurrency"]["cancel-in-progress"] is False


def test_update_collects_with_a_read_only_token():
    collect = _update_jobs()["collect"]
    assert _grants(collect["permissions"]) == {"contents": "read"}
    runs = "\n".join(step.get("run", "") for step in collect["steps"])
    for command in ("make install", "python -m generator import --hf-daily",
                    "python -m generator enrich --only-missing", "python -m generator fmt",
                    "python -m generator check"):
        assert command in runs, command
    order = [runs.index(c) for c in ("import --hf-daily", "enrich --only-missing", "generator fmt",
                                     "generator check")]
    assert order == sorted(order)
    assert "--summary" in runs, "the pull request body lists what was added and enriched"


def test_update_proposes_with_least_privilege_and_runs_no_project_code():
    propose = _update_jobs()["propose"]
    assert propose["needs"] == "collect"
    assert _grants(propose["permissions"]) == {"contents": "write", "pull-requests": "write"}
    text = UPDATE.read_text()
    assert re.search(r"^\s+contents: write # \S", text, re.M), "say why it may write"
    assert re.search(r"^\s+pull-requests: write # \S", text, re.M)
    runs = "\n".join(step.get("run", "") for step in propose["steps"])
    assert "make " not in runs and "python" not in runs and "pip " not in runs
    assert "content/papers/" in runs and "exit 1" in runs, "refuses a patch outside content/papers/"
    assert "gh pr create" in runs and "gh pr edit" in runs, "one pull request, opened or updated"
    step = next(s for s in propose["steps"] if "gh pr create" in s.get("run", ""))
    assert {"GH_TOKEN", "BRANCH", "BODY"} <= set(step["env"])
    assert "${{" not in step["run"], "values reach the script through env, never interpolated"


def test_update_hands_over_one_artifact():
    jobs = _update_jobs()
    uploads = [s for s in jobs["collect"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    downloads = [s for s in jobs["propose"]["steps"]
                 if s.get("uses", "").startswith("actions/download-artifact@")]
    assert len(uploads) == len(downloads) == 1
    assert uploads[0]["with"]["name"] == downloads[0]["with"]["name"]


def test_update_passes_zizmor_pedantic():
    zizmor = Path(sys.executable).with_name("zizmor")
    if not zizmor.exists():
        pytest.fail("zizmor is a test dependency; run make install")
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in {"GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"}}
    result = subprocess.run(
        [str(zizmor), "--persona", "pedantic", "--offline", "--no-config", "--no-ignores",
         "--format", "plain", str(UPDATE)], capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
