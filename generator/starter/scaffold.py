"""`python -m generator init DIR`: a new index, ready to build and to publish.

The new folder gets the index's settings (mkdocs.yml), a small starter taxonomy, an
empty content/papers/, its README files, the GitHub workflows, and the two commands
(Makefile) pinned to this version of the package. What is this repository's alone is
left behind; what every index shares comes from this repository's own files
(derive.py) or from the templates next to this module. Every file is written or none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from generator import __version__
from generator.errors import GeneratorError
from generator.links import url_problem
from generator.review.schema import field_table
from generator.site.templating import md_inline, md_url
from generator.starter import derive
from generator.store.atomic import write_atomic

EXECUTABLE = (".github/scripts/propose.sh",)
"""Files the workflows run as programs."""
_GITHUB_REPO = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<name>[A-Za-z0-9._-]+)/?")


@dataclass(frozen=True)
class IndexSpec:
    """What `init` asks for: the index's name, what it is, where it lives."""

    name: str
    description: str
    site_url: str
    """Absolute, ending in `/`."""
    repo_url: str
    """The repository's web address, without a trailing `/`."""


DEFAULT_DESCRIPTION = "A curated, searchable index of research papers."


def default_site_url(repo_url: str) -> str:
    """GitHub Pages' address of a GitHub repository ('' for any other host)."""
    match = _GITHUB_REPO.fullmatch(repo_url.strip())
    if match is None:
        return ""
    owner, name = match["owner"].lower(), match["name"]
    if name.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{name}/"


def make_spec(name: str, description: str, site_url: str, repo_url: str) -> IndexSpec:
    """The spec from what the user gave, or a GeneratorError naming each bad value."""
    problems = []
    name, description = " ".join(name.split()), " ".join(description.split())
    if not name:
        problems.append("--name: expected the index's name, e.g. 'Robot Learning Papers'")
    if not description:
        problems.append("--description: expected a sentence that says what the index holds")
    repo_url, site_url = repo_url.strip().rstrip("/"), site_url.strip()
    if why := url_problem(repo_url):
        problems.append(f"--repo: expected the repository's https address, e.g. "
                        f"https://github.com/lab/papers ({why})")
    elif not repo_url.startswith("https://") or len(repo_url.split("/")) < 5:
        problems.append(f"--repo: expected the repository's https address with its owner and "
                        f"name, e.g. https://github.com/lab/papers; found {repo_url!r}")
    if why := url_problem(site_url):
        problems.append(f"--site-url: expected the site's address, e.g. "
                        f"https://lab.github.io/papers/ ({why})")
    if problems:
        raise GeneratorError("; ".join(problems))
    return IndexSpec(name=name, description=description,
                     site_url=site_url.rstrip("/") + "/", repo_url=repo_url)


QUESTIONS = (
    ("name", "The index's name (e.g. Robot Learning Papers)"),
    ("description", "What it holds, in one sentence"),
    ("repo_url", "Its GitHub repository (https://github.com/OWNER/NAME)"),
    ("site_url", "The site's address"),
)
"""What `init` asks a person at a terminal for, in order, by IndexSpec field."""
FLAGS = {"name": "--name", "description": "--description", "repo_url": "--repo",
         "site_url": "--site-url"}


def complete(given: dict[str, str | None], ask: Callable[[str, str], str] | None) -> IndexSpec:
    """The spec from the flags `given`, asking (`ask(question, default)`) for each one
    missing; without `ask` (no terminal), the defaults, or an error naming the flags."""
    values = dict(given)
    defaults = {"description": DEFAULT_DESCRIPTION}
    for field, question in QUESTIONS:
        if field == "site_url":
            defaults["site_url"] = default_site_url(values.get("repo_url") or "")
        if values.get(field):
            continue
        if ask is not None:
            values[field] = ask(question, defaults.get(field, "")) or defaults.get(field, "")
        else:
            values[field] = defaults.get(field, "")
    missing = [FLAGS[f] for f, _ in QUESTIONS if not values.get(f)]
    if missing and ask is None:
        raise GeneratorError(f"missing {', '.join(missing)}: give them as options, or run "
                             "`init` in a terminal to be asked")
    return make_spec(values["name"] or "", values["description"] or "", values["site_url"] or "",
                     values["repo_url"] or "")


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.starter", "templates"),
        autoescape=False,  # Markdown, YAML and Makefiles; values go through the filters below
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=md_inline, md_url=md_url,
                       yaml=lambda v: json.dumps(str(v), ensure_ascii=False))
    return env


def index_files(spec: IndexSpec) -> dict[str, str]:
    """Every file of the new index, by its path relative to the index's folder."""
    env = _env()
    context = {"spec": spec, "version": __version__,
               "settings": derive.repository_settings(derive.repo_file("CONTRIBUTING.md"),
                                                      derive.this_repo_url()),
               "fields": field_table(),
               "targets": derive.makefile_targets(derive.repo_file("Makefile")),
               "targets_names": " ".join(derive.MAKE_TARGETS)}
    files = {
        "mkdocs.yml": derive.mkdocs_config(derive.repo_file("mkdocs.yml"), spec.name,
                                           spec.description, spec.site_url, spec.repo_url),
        ".github/workflows/ci.yml": derive.ci_workflow(derive.repo_file(".github/workflows/ci.yml")),
        ".github/workflows/deploy.yml": derive.deploy_workflow(
            derive.repo_file(".github/workflows/deploy.yml")),
        ".github/workflows/update.yml": derive.update_workflow(
            derive.repo_file(".github/workflows/update.yml")),
        ".github/scripts/propose.sh": derive.settings_in_readme(
            derive.repo_file(".github/scripts/propose.sh")),
        ".github/dependabot.yml": env.get_template("dependabot.yml").render(**context)
        + yaml.safe_dump(derive.dependabot_config(derive.repo_file(".github/dependabot.yml")),
                         sort_keys=False),
        "content/papers/.gitkeep": "",
    }
    for template, path in (("README.md", "README.md"), ("Makefile", "Makefile"),
                           ("requirements.txt", "requirements.txt"), ("gitignore", ".gitignore"),
                           ("content/README.md", "content/README.md"),
                           ("content/topics.yml", "content/topics.yml"),
                           ("content/pages/about.md", "content/pages/about.md")):
        files[path] = env.get_template(template).render(**context)
    return files


@dataclass(frozen=True)
class InitReport:
    folder: Path
    spec: IndexSpec
    files: tuple[str, ...]

    def __str__(self) -> str:
        listed = "\n".join(f"  {name}" for name in self.files)
        return (f"Created the index {self.spec.name!r} in {self.folder} ({len(self.files)} files):\n"
                f"{listed}\n\nNext:\n"
                f"  cd {self.folder}\n"
                "  make serve     # a live preview on http://127.0.0.1:8000/\n"
                "  python -m generator import LISTING.txt --as-of YYYY-MM-DD   # papers from a "
                "listing\n"
                "See README.md there for the topics, the name and publishing.")


def init_index(folder: Path, spec: IndexSpec, force: bool = False) -> InitReport:
    """Write the new index into `folder`, which must be empty (or missing) unless `force`:
    then its files are replaced and every other file is left alone."""
    if folder.exists() and not folder.is_dir():
        raise GeneratorError(f"{folder}: not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise GeneratorError(f"{folder}: the folder is not empty; choose an empty or new "
                             "folder, or pass --force to write the index's files over what "
                             "is there (other files are left alone)")
    files = index_files(spec)
    write_atomic({folder / name: text for name, text in files.items()})
    for name in EXECUTABLE:
        (folder / name).chmod(0o755)
    return InitReport(folder=folder, spec=spec, files=tuple(sorted(files)))
