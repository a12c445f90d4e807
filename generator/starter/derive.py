"""A new index's workflows, Makefile targets and mkdocs.yml, made from this repository's own.

This repository is an index like any other, and its CI, deploy and weekly-update
workflows, the `site` and `serve` targets of its Makefile and its mkdocs.yml are what
a new index needs too. So they are not copied into templates that would drift: `init`
reads them (from the wheel, where build_hooks.py put them, or from the checkout) and
changes only what is this repository's alone, each change an edit that must find its
text exactly once. When one of those files changes shape so that an edit no longer
applies, `init` stops with an error naming the edit, and tests/test_init.py fails on
the pull request that changed it, not in a lab's hands.

What changes:
- the site's name, description, address and repository (mkdocs.yml), and the home
  page's intro, which is this index's own, is dropped (it defaults to the description);
- CI runs no test suite (a new index has none of this repository's tests): the step that
  runs it, the browser path it needs and the job that tests a contributor's pull request
  against it go;
- `make install` installs requirements.txt, so the pip cache keys on that file;
- the repository settings the workflows refer to are described in the new index's
  README.md, not in a CONTRIBUTING.md;
- Dependabot watches the workflows' pins and requirements.txt, not this repository's npm
  and lock files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.errors import GeneratorError
from generator.starter.repo_files import BUNDLE, REPO_FILES

_HERE = Path(__file__).resolve().parent
CHECKOUT = _HERE.parent.parent
"""The repository, when the package runs from a checkout (an editable install)."""
WORKFLOWS = (".github/workflows/ci.yml", ".github/workflows/deploy.yml",
             ".github/workflows/update.yml")
MAKE_TARGETS = ("site", "serve", "check", "fmt")
"""The Makefile targets a new index takes as they are: the two commands, and the two
that review content."""


class DeriveError(GeneratorError):
    """A file of this repository no longer has the shape an edit expects."""


def repo_file(name: str) -> str:
    """The text of one of REPO_FILES: the wheel's copy, else the checkout's."""
    if name not in REPO_FILES:
        raise DeriveError(f"{name}: not one of the files `init` derives from (repo_files.py)")
    for root in (_HERE / BUNDLE, CHECKOUT):
        path = root / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise DeriveError(f"{name}: not in the package ({_HERE / BUNDLE}) nor in a checkout; "
                      "reinstall the package")


def _edit(text: str, name: str, pattern: str, replacement: str | Callable[[re.Match[str]], str],
          why: str) -> str:
    """`text` with the one match of `pattern` replaced; DeriveError unless exactly one."""
    found = list(re.finditer(pattern, text, flags=re.M))
    if len(found) != 1:
        raise DeriveError(f"{name}: expected one match of {pattern!r} ({why}), found "
                          f"{len(found)}; update generator/starter/derive.py to the file's new shape")
    return re.sub(pattern, replacement, text, count=1, flags=re.M)


def _block(key: str) -> str:
    """A pattern for a YAML line `key` with the comment lines right above it (same
    indentation) and the lines below that belong to it (more indented)."""
    return (rf"^(?:(?P<indent>[ ]*)#.*\n(?:(?P=indent)#.*\n)*)?(?P<line>[ ]*){key}.*\n"
            rf"(?:(?P=line)[ ]+\S.*\n)*")


def _yaml_string(value: str) -> str:
    """A YAML scalar that reads back as `value` whatever it holds (JSON is YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _pip_cache(name: str, text: str) -> str:
    return _edit(text, name, _block(r"cache-dependency-path:"),
                 lambda m: f"{m['line']}cache-dependency-path: requirements.txt\n",
                 "the pip cache keys on requirements.txt")


def settings_in_readme(text: str) -> str:
    """The repository settings are in the new index's README."""
    return text.replace("CONTRIBUTING.md", "README.md")


def ci_workflow(text: str) -> str:
    name = ".github/workflows/ci.yml"
    text = _edit(text, name, r"the test suite, ", "", "the header names what CI checks")
    text = _edit(text, name, r"^(?:  #.*\n)*  contributor-pr:\n(?:(?:    .*)?\n)*", "",
                 "a contributor's pull request is tested against this repository's suite")
    text = _edit(text, name, _block(r"CHROMIUM_PATH:"), "", "the browser is for the test suite")
    text = _edit(text, name, _block(r"- name: Run tests$"), "", "a new index has no test suite")
    text = _edit(text, name, r"^(\s+name: )Check, test and build$", r"\1Check and build",
                 "the job's name says what it does")
    return re.sub(r"\n{3,}", "\n\n", settings_in_readme(_pip_cache(name, text)))


def deploy_workflow(text: str) -> str:
    return settings_in_readme(_pip_cache(".github/workflows/deploy.yml", text))


def update_workflow(text: str) -> str:
    return settings_in_readme(text)


def mkdocs_config(text: str, name: str, description: str, site_url: str, repo_url: str) -> str:
    """This repository's mkdocs.yml with the new index's name, description, address and
    repository, and the plugin without this index's intro."""
    file = "mkdocs.yml"
    repo_name = "/".join(repo_url.rstrip("/").split("/")[-2:])
    for key, value in (("site_name", name), ("site_description", description),
                       ("site_url", site_url), ("repo_url", repo_url), ("repo_name", repo_name)):
        text = _edit(text, file, rf"^{key}: .*$", f"{key}: {_yaml_string(value)}",
                     f"the index's {key}")
    return _edit(text, file, r"^(?P<indent>[ ]*)- paper-index:\n(?:(?P=indent)[ ]+.*\n|[ ]*#.*\n)*",
                 lambda m: f"{m['indent']}- paper-index\n",
                 "the plugin's options are this index's intro")


def makefile_targets(text: str, targets: tuple[str, ...] = MAKE_TARGETS) -> str:
    """Each target with the comment above it and its recipe, as the Makefile has them."""
    parts = []
    for target in targets:
        match = re.search(rf"^(?:#.*\n)*{re.escape(target)}:.*\n(?:\t.*\n)*", text, flags=re.M)
        if match is None:
            raise DeriveError(f"Makefile: no target '{target}'; update "
                              "generator/starter/derive.py to the Makefile's new shape")
        parts.append(match.group(0))
    return "\n".join(parts)


def dependabot_config(text: str) -> dict[str, Any]:
    """This repository's Dependabot settings for the workflows' pins and for pip; its
    npm validators are not the new index's."""
    config = yaml.safe_load(text)
    updates = [dict(u) for u in config.get("updates", [])
               if u.get("package-ecosystem") in ("github-actions", "pip")]
    if {u["package-ecosystem"] for u in updates} != {"github-actions", "pip"}:
        raise DeriveError(".github/dependabot.yml: expected updates for github-actions and pip; "
                          "update generator/starter/derive.py to the file's new shape")
    for update in updates:
        update["directory"] = "/"
    return {**config, "updates": updates}


def repository_settings(text: str, repo_url: str) -> str:
    """CONTRIBUTING.md's "Repository settings" section (what to set on GitHub for the
    workflows), without the bullets that point at this repository (`repo_url`)."""
    match = re.search(r"^## Repository settings\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    if match is None:
        raise DeriveError("CONTRIBUTING.md: no section '## Repository settings'; update "
                          "generator/starter/derive.py to the file's new shape")
    bullets = re.split(r"(?m)^(?=- )", match.group(1))
    kept = [b for b in bullets if repo_url.rstrip("/") not in b]
    return "".join(kept).strip() + "\n"


def this_repo_url() -> str:
    """This repository's address, from its own mkdocs.yml (never written in the code)."""
    found = re.search(r"^repo_url: (.*)$", repo_file("mkdocs.yml"), flags=re.M)
    if found is None:
        raise DeriveError("mkdocs.yml: no repo_url line")
    return str(yaml.safe_load(found.group(1)))
