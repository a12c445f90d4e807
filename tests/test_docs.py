"""The contributor docs and forms match the code and work where they are published.

Every subcommand must have working `--help` and a documentation entry (as in
sqlite-utils' docs tests); CONTRIBUTING.md must build under `mkdocs --strict`
because the site publishes it; the issue forms must pass GitHub's schemas.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import build_parser
from generator.review.topics import load_topics
from generator.topics.assign import assign_topics
from helpers import ROOT, cli, documented_check_messages, empty_content, run_python

CONTRIBUTING = ROOT / "CONTRIBUTING.md"
README = ROOT / "README.md"
CHANGELOG = ROOT / "CHANGELOG.md"
ISSUE_TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"
ADD_PAPER = ISSUE_TEMPLATES / "add-paper.yml"
PR_TEMPLATE = ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
REPO_URL = "https://github.com/paper-index/paper-index"


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("python -m generator has no subcommands")


SUBCOMMANDS = _subcommands()


def _docs() -> str:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    if README.exists():
        text += "\n" + README.read_text(encoding="utf-8")
    return text


def _check_jsonschema(schema: str, *paths: Path):  # type: ignore[no-untyped-def]
    return run_python("-m", "check_jsonschema", "--builtin-schema", schema, *paths)


# --- every command has help and documentation -----------------------------


def test_the_cli_has_the_expected_commands():
    assert sorted(SUBCOMMANDS) == ["build", "check", "enrich", "fmt", "import", "index", "new", "site",
                                   "topics"]


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_command_help(command):
    code, out, err = cli(command, "--help")
    assert (code, err) == (0, "")
    assert out.startswith(f"usage: python -m generator {command} [-h]"), out
    parser = SUBCOMMANDS[command]
    assert " ".join(parser.description.split()) in " ".join(out.split())
    for action in parser._actions:
        for option in action.option_strings:
            assert re.search(rf"(?<![\w-]){re.escape(option)}\b", out), option


def test_top_level_help_lists_every_command():
    code, out, err = cli("--help")
    assert (code, err) == (0, "")
    listed = re.findall(r"^    (\w+) +\S", out, re.M)
    assert listed == list(SUBCOMMANDS)


def test_version():
    from generator import __version__

    assert cli("--version") == (0, f"paper-index {__version__}\n", "")


def test_no_command_is_a_usage_error():
    code, out, err = cli()
    assert (code, out) == (2, "")
    assert err.endswith("python -m generator: error: the following arguments are required: COMMAND\n")


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_command_is_documented(command):
    assert re.search(rf"python -m generator {re.escape(command)}\b", _docs()), (
        f"`python -m generator {command}` is not documented in CONTRIBUTING.md or README.md"
    )


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_command_options_are_documented(command):
    docs = _docs()
    options = [
        option
        for action in SUBCOMMANDS[command]._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]
    missing = [option for option in options if not re.search(rf"{re.escape(option)}\b", docs)]
    assert missing == [], f"options of `{command}` missing from the docs: {missing}"


def test_global_options_are_documented():
    docs = _docs()
    options = [
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]
    assert options
    assert [option for option in options if option not in docs] == []


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_command_is_in_the_changelog(command):
    text = CHANGELOG.read_text(encoding="utf-8")
    assert re.search(r"^## 0\.1\.0\b", text, re.M)
    assert re.search(rf"python -m generator {re.escape(command)}\b|`{re.escape(command)}\b", text)


def test_changelog_is_one_bullet_per_change():
    """Each change is one bullet on one line, a sentence, in a section of a release."""
    lines = CHANGELOG.read_text(encoding="utf-8").splitlines()
    section = release = None
    bullets = []
    for number, line in enumerate(lines, 1):
        if line.startswith("## "):
            release, section = line, None
        elif line.startswith("### "):
            section = line
        elif line.startswith("- "):
            assert release and section, f"CHANGELOG.md:{number}: a bullet outside a release's section"
            assert line.endswith("."), f"CHANGELOG.md:{number}: expected one sentence ending in '.'"
            bullets.append(line)
        else:
            assert not re.match(r"\s+\S|[*+] ", line), f"CHANGELOG.md:{number}: expected '- ' bullets, one line each"
    assert bullets
    assert len(set(bullets)) == len(bullets), "the same change listed twice"


# --- CONTRIBUTING.md works on the site ------------------------------------

LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _links(text: str) -> list[str]:
    outside_code = re.sub(r"```.*?```", "", text, flags=re.S)
    outside_code = re.sub(r"`[^`\n]*`", "", outside_code)
    return LINK.findall(outside_code) + re.findall(r"<(https?://[^>]+)>", outside_code)


def test_contributing_links_work_outside_the_repository():
    links = _links(CONTRIBUTING.read_text(encoding="utf-8"))
    assert links, "expected some links"
    bad = [u for u in links if not (u.startswith("#") or u.startswith("https://"))]
    assert bad == [], f"relative or non-https links break when published on the site: {bad}"


def test_contributing_repository_links_use_the_canonical_repository():
    links = _links(CONTRIBUTING.read_text(encoding="utf-8"))
    github = [u for u in links if u.startswith("https://github.com/")]
    assert github
    assert all(u == REPO_URL or u.startswith(REPO_URL + "/") for u in github), github


def test_link_checker_finds_relative_links():
    text = "See [topics](content/topics.yml), [ok](#merge) and `[code](not/a/link)`."
    assert _links(text) == ["content/topics.yml", "#merge"]


def _mkdocs_strict(tmp_path: Path, page: str):  # type: ignore[no-untyped-def]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nSee [contributing](contributing.md).\n")
    (docs / "contributing.md").write_text(page, encoding="utf-8")
    config = {
        "site_name": "docs test",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "font": False},
        "plugins": [],
        # The site's Markdown extensions that change how a hand-written page renders.
        "markdown_extensions": [
            "tables", "attr_list", "md_in_html", "admonition", {"toc": {"permalink": True}},
            {"pymdownx.escapeall": {"hardbreak": False, "nbsp": False}},
            "pymdownx.highlight", "pymdownx.superfences",
        ],
        "validation": {
            "omitted_files": "warn",
            "absolute_links": "warn",
            "unrecognized_links": "warn",
            "anchors": "warn",
        },
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return run_python("-m", "mkdocs", "build", "--strict", "-f", tmp_path / "mkdocs.yml", cwd=tmp_path)


def test_contributing_builds_as_a_strict_mkdocs_page(tmp_path):
    result = _mkdocs_strict(tmp_path, CONTRIBUTING.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "contributing" / "index.html").read_text(encoding="utf-8")
    assert 'id="what-the-check-messages-mean"' in html
    assert "<table>" in html


def test_strict_page_build_catches_a_broken_anchor(tmp_path):
    result = _mkdocs_strict(tmp_path, "# Page\n\nSee [below](#no-such-heading).\n")
    assert result.returncode != 0
    assert "no-such-heading" in result.stderr


# --- issue forms and pull request template --------------------------------


def test_issue_form_matches_github_schema():
    result = _check_jsonschema("vendor.github-issue-forms", ADD_PAPER)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_config_matches_github_schema():
    config = ISSUE_TEMPLATES / "config.yml"
    result = _check_jsonschema("vendor.github-issue-config", config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_form_schema_rejects_a_broken_form(tmp_path):
    form = yaml.safe_load(ADD_PAPER.read_text(encoding="utf-8"))
    del form["body"][1]["attributes"]["label"]
    form["body"][2]["type"] = "text-box"
    bad = tmp_path / "bad-form.yml"
    bad.write_text(yaml.safe_dump(form))
    result = _check_jsonschema("vendor.github-issue-forms", bad)
    assert result.returncode == 1, result.stdout


def test_issue_form_asks_for_a_paper():
    form = yaml.safe_load(ADD_PAPER.read_text(encoding="utf-8"))
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    assert len(fields) == len([item for item in form["body"] if "id" in item]), "ids must be unique"
    assert {"title", "abstract", "links", "arxiv", "topics"} <= set(fields)
    for required in ("title", "abstract"):
        assert fields[required]["validations"]["required"] is True, required
    assert fields["title"]["type"] == "input"
    assert fields["abstract"]["type"] == "textarea"
    assert {item["type"] for item in form["body"]} >= {"input", "textarea", "dropdown", "checkboxes"}
    assert form["labels"]


def test_pull_request_template_checklist():
    text = PR_TEMPLATE.read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    checklist = "\n".join(items)
    for phrase in (
        "python -m generator check",
        "python -m generator fmt",
        "One paper per file",
        "authors' own",
        "content/topics.yml",
        "redirect_from",
        "build/",
        "site/",
    ):
        assert phrase in checklist, phrase


# --- pre-commit hooks -------------------------------------------------------


def _hooks() -> list[dict]:
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    return config["repos"][0]["hooks"]


def _parse_entry(entry: str, filenames: list[str]) -> argparse.Namespace:
    words = shlex.split(entry)
    assert words[:3] == ["python", "-m", "generator"], entry
    return build_parser().parse_args(words[3:] + filenames)


def test_pre_commit_hooks_run_fmt_check_and_check_on_paper_files():
    commands = {}
    for hook in _hooks():
        assert hook["language"] in {"system", "python"}
        pattern = re.compile(hook["files"])
        passes_files = hook.get("pass_filenames", True)
        names = ["content/papers/some-paper.yml"] if passes_files else []
        args = _parse_entry(hook["entry"], names)
        if pattern.search("content/papers/some-paper.yml"):
            commands[(args.command, getattr(args, "check", None))] = hook["id"]
            if passes_files:
                assert args.paths == [Path("content/papers/some-paper.yml")]
        for other in ("generator/cli.py", "content/papers/notes.md", "README.md"):
            assert not pattern.search(other), (hook["id"], other)
    assert ("fmt", True) in commands, "a hook must run `fmt --check` on paper files"
    assert ("check", None) in commands, "a hook must run `check` on paper files"


def test_pre_commit_checks_everything_when_topics_change():
    hooks = [h for h in _hooks() if re.search(h["files"], "content/topics.yml")]
    assert hooks, "a change to topics.yml can break papers; some hook must run check"
    for hook in hooks:
        assert hook.get("pass_filenames") is False, "topics.yml is not a paper file"
        assert _parse_entry(hook["entry"], []).command == "check"


# --- the check messages table matches what `check` prints -----------------

TOPICS = """\
fallback: other
topics:
- id: other
  title: Other
  description: Everything else.
- id: retrieval
  title: Retrieval
  description: Finding things.
  redirect_from: [search]
  keywords: [retrieval]
- id: unused-topic
  title: Unused
  description: No paper uses this.
"""
NOTES = """\
good-paper: {topics: [retrieval], why: A good paper.}
both-topics: {topics: [other], why: The note's topics differ from the paper's.}
gone-paper: {topics: [retrieval], why: Its paper was removed.}
"""
"""topic-notes.yml with a good note, a drifted one and one for no paper."""
BAD_REDIRECTS = TOPICS.replace("[search]", "[search, unused-topic, index, Old_Id]") + """\
  redirect_from: [search]
"""
"""topics.yml with broken `redirect_from` lists: checked on its own, because a topics.yml
with errors stops the checks that need its topic ids."""
_OK = "abstract: Some text.\ntopics:\n- retrieval\n"
BAD_PAPERS = {
    "good-paper": f"title: A good paper\n{_OK}",
    "syntax-error": f"title: Colon: inside an unquoted title\n  - stray\n{_OK}",
    "duplicate-key": f"title: One\ntitle: Two\n{_OK}",
    "unknown-key": f"title: Unknown key\n{_OK}topcs:\n- retrieval\n",
    "wrong-type": "title: Wrong type\nabstract: Text.\ntopics: retrieval\n",
    "arxiv-number": f"title: Unquoted arXiv id\narxiv: 2306.04751\n{_OK}",
    "bad-date": f"title: Bad date\npublished: 2023-13-01\n{_OK}",
    "bad-category": f"title: Bad category\narxiv_category: Computation and Language\n{_OK}",
    "negative-upvotes": f"title: Negative upvotes\nupvotes: -1\n{_OK}",
    "script-url": f"title: Script URL\nlinks:\n- url: javascript:alert(1)\n  kind: other\n{_OK}",
    "kind-mismatch": f"title: Kind mismatch\nlinks:\n- url: https://github.com/a/b\n  kind: hf-model\n{_OK}",
    "unknown-topic": "title: Unknown topic\nabstract: Text.\ntopics:\n- retreival\n",
    "renamed-topic": "title: Renamed topic\nabstract: Text.\ntopics:\n- search\n",
    "Bad_Name": f"title: Bad file name\n{_OK}",
    "same-title-a": f"title: The Same Title\n{_OK}",
    "same-title-b": f"title: The same title!\n{_OK}",
    "similar-a": f"title: Scaling Laws for Neural Language Models in Practice\n{_OK}",
    "similar-b": f"title: Scaling Laws for Neural Language Model in Practice\n{_OK}",
    "empty-abstract": "title: Empty abstract\nabstract: '  '\ntopics:\n- retrieval\n",
    "no-topics": "title: No topics\nabstract: Some retrieval text.\n",
    "retired-rule-topics": "title: Rule topics\nabstract: Some text.\nrule_topics:\n- other\n",
    "both-topics": f"title: Both topics\n{_OK}proposed_topics:\n- topic: retrieval\n",
    "proposed-twice": "title: Proposed twice\nabstract: Text.\nproposed_topics:\n- topic: retrieval\n"
                      "  confidence: 0.9\n- topic: retrieval\n  confidence: 2\n",
    "no-title": "abstract: Text.\ntopics:\n- retrieval\n",
    "claims-old-a": f"title: Claims old A\n{_OK}redirect_from:\n- old-slug\n",
    "claims-old-b": f"title: Claims old B\n{_OK}redirect_from:\n- old-slug\n",
    "shadows-live": f"title: Shadows a live page\n{_OK}redirect_from:\n- good-paper\n",
    "control-character": f'title: "A bell \\a rings"\n{_OK}',
    "bidi-override": f'title: "An override \\u202e here"\n{_OK}',
    "noncharacter": f'title: "A noncharacter \\uffff here"\n{_OK}',
    "lone-surrogate": f'title: "Half a pair \\ud800 here"\n{_OK}',
    "nul": f"title: A reserved name\n{_OK}",
    "user-name-url": f"title: User name URL\nlinks:\n- url: https://github.com@127.0.0.1/x\n  kind: other\n{_OK}",
    "local-url": f"title: Local URL\nlinks:\n- url: http://localhost/\n  kind: other\n{_OK}",
    "not-nfc": f'title: "Cafe\\u0301 menus"\n{_OK}',
    "huge-abstract": f"title: Huge abstract\nabstract: {'word ' * 4001}\ntopics:\n- retrieval\n",
    "long-abstract": f"title: Long abstract\nabstract: {'word ' * 1001}\ntopics:\n- retrieval\n",
    "math-residue": "title: Math residue\nabstract: It costs mathcal{O}(n) time.\ntopics:\n- retrieval\n",
    "many-authors": f"title: Many authors\nauthors: [{', '.join(['A'] * 5001)}]\n{_OK}",
    "many-upvotes": f"title: Many upvotes\nupvotes: 1000001\n{_OK}",
    "too-early": f"title: Too early\npublished: '1989-12-31'\n{_OK}",
    "after-added": f"title: After added\npublished: '2026-11-21'\nadded: '2026-11-20'\n{_OK}",
}
PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.+)$")


@pytest.fixture(scope="module")
def check_output(tmp_path_factory) -> list[dict[str, str]]:
    content = tmp_path_factory.mktemp("content")
    (content / "topics.yml").write_text(TOPICS)
    (content / "papers").mkdir()
    for slug, text in BAD_PAPERS.items():
        (content / "papers" / f"{slug}.yml").write_text(text)
    (content / "topic-notes.yml").write_text(NOTES)
    code, out, err = cli("--content", content, "check", "--uncurated")
    assert code == 1, out + err
    redirects = tmp_path_factory.mktemp("redirects")
    (redirects / "topics.yml").write_text(BAD_REDIRECTS)
    (redirects / "papers").mkdir()
    (redirects / "papers" / "good-paper.yml").write_text(BAD_PAPERS["good-paper"])
    (redirects / "topic-notes.yml").write_text("good-paper: A note that is only text.\n")
    code, more, err = cli("--content", redirects, "check")
    assert code == 1, more + err
    out += more
    problems = [m.groupdict() for line in out.splitlines() if (m := PROBLEM_LINE.match(line))]
    assert len(problems) == len(out.splitlines()), "every line is a problem"
    return problems


def test_the_message_table_is_parsed():
    """Every row of the table is read: the parser skips only the header and the rule."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    section = text.split("## What the check messages mean", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("|")]
    rows = documented_check_messages()
    assert len(rows) == len(table) - 2
    assert {severity for _, severity in rows} == {"error", "warning"}
    assert len({fragment for fragment, _ in rows}) == len(rows)


def test_every_documented_message_is_real(check_output):
    for fragment, severity in documented_check_messages():
        hits = [p for p in check_output if fragment in p["message"]]
        assert hits, f"no `check` message contains the documented {fragment!r}"
        assert {p["severity"] for p in hits} == {severity}, (fragment, hits)


def test_every_message_check_printed_is_documented(check_output):
    fragments = [fragment for fragment, _ in documented_check_messages()]
    undocumented = [p for p in check_output if not any(f in p["message"] for f in fragments)]
    assert undocumented == []


def test_a_valid_paper_gets_no_message(check_output):
    assert [p for p in check_output if p["path"].endswith("good-paper.yml")] == []


# --- the examples in CONTRIBUTING.md work as written ------------------------


def _code_blocks(lang: str) -> list[str]:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    return re.findall(rf"^ *```{lang}\n(.*?)^ *```$", text, re.M | re.S)


def _documented_command(name: str) -> list[str]:
    for block in _code_blocks("sh"):
        for command in block.replace("\\\n", " ").splitlines():
            words = shlex.split(command, comments=True)
            if words[:4] == ["python", "-m", "generator", name] and "<" not in words:
                return words[3:]
    raise AssertionError(f"no `python -m generator {name}` example with flags in CONTRIBUTING.md")


def test_paper_example_is_valid_and_canonical(tmp_path):
    example = next(b for b in _code_blocks("yaml") if b.startswith("title:"))
    content = empty_content(tmp_path)
    path = content / "papers" / "hat-hybrid-attention-transformer-for-image-restoration.yml"
    path.write_text(example, encoding="utf-8")
    assert cli("--content", content, "check", path) == (0, "", "1 file checked: 0 errors, 0 warnings\n")
    assert cli("--content", content, "fmt", "--check", path) == (0, "", "0 would reformat, 1 already canonical\n")


def test_topic_example_has_the_documented_keys(tmp_path):
    example = next(b for b in _code_blocks("yaml") if b.startswith("fallback:"))
    topic = yaml.safe_load(example)["topics"][0]
    assert set(topic) == {"id", "title", "description", "icon", "keywords", "acronyms",
                          "title_keywords", "patterns", "exclude"}
    (tmp_path / "topics.yml").write_text(example.replace("topics:\n", "topics:\n  - id: other\n"
                                                         "    title: Other\n    description: Else.\n", 1))
    rules = load_topics(tmp_path / "topics.yml")
    assert assign_topics("A RAG Pipeline", "We build a pipeline with a reranking step.", rules) == ("retrieval",)
    assert assign_topics("Video Clips", "We study rag dolls and retrieval heads.", rules) == ("other",)


def _example(seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A contributor's clone, as far as `new` can tell: the seeds' import (none of the
    guide's examples is among them) in the current directory."""
    shutil.copytree(seeds, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content" / "papers"


def test_both_ways_to_add_a_paper_print_what_the_guide_shows(seeds, tmp_path, monkeypatch):
    """"Add a paper" runs `new` with flags, then with pasted cards; each prints exactly the
    output the guide shows, and the files pass check and fmt."""
    papers = _example(seeds, tmp_path, monkeypatch)
    outputs = _code_blocks("console")
    args = _documented_command("new")
    assert cli(*args) == (0, outputs[0], "")
    cards = _code_blocks("text")[0]
    assert any(b == "python -m generator new < cards.txt\n" for b in _code_blocks("sh"))
    assert cli("new", stdin=cards) == (0, outputs[1], "")
    written = [Path(line.removeprefix("wrote ")) for line in (outputs[0] + outputs[1]).splitlines()
               if line.startswith("wrote ")]
    assert len(written) == 3 and all(path.is_file() for path in written)
    assert cli("check", *written) == (0, "", "3 files checked: 0 errors, 0 warnings\n")
    assert cli("fmt", "--check", *written) == (0, "", "0 would reformat, 3 already canonical\n")
    flags = yaml.safe_load(written[0].read_text(encoding="utf-8"))
    assert flags["title"] == args[args.index("--title") + 1]
    assert [link["url"] for link in flags["links"]] == [args[args.index("--url") + 1]]
    assert flags["published"] == args[args.index("--published") + 1]
    pasted = yaml.safe_load(written[1].read_text(encoding="utf-8"))
    assert pasted["sources"] == [f"pasted-{pasted['added']}"] and pasted["published"] == "2024-07-31"
    assert len(list(papers.glob("*.yml"))) == 535

    # The guide promises that new refuses a duplicate.
    assert cli(*args) == (
        1, "", f"Error: {written[0]} already has this paper (the same title); edit that file instead "
               "of creating a new one. Nothing was written.\n")


def test_the_documented_import_prints_what_the_guide_shows(seeds, tmp_path, monkeypatch):
    _example(seeds, tmp_path, monkeypatch)
    (tmp_path / "my-listing.txt").write_text(_code_blocks("text")[0], encoding="utf-8")
    assert cli("import", "my-listing.txt", "--as-of", "2026-11-27") == (0, _code_blocks("console")[2], "")


def test_documented_rename_passes_check(tmp_path):
    """Rename the file and keep the old slug in redirect_from, as the guide says."""
    content = empty_content(tmp_path)
    example = next(b for b in _code_blocks("yaml") if b.startswith("title:"))
    renamed = content / "papers" / "hat-image-restoration.yml"
    renamed.write_text(example + "redirect_from:\n  - hat-hybrid-attention-transformer-for-image-restoration\n")
    assert cli("--content", content, "check", renamed) == (0, "", "1 file checked: 0 errors, 0 warnings\n")
    # ...and the same redirect is refused while the old file still exists.
    (content / "papers" / "hat-hybrid-attention-transformer-for-image-restoration.yml").write_text(
        example.replace("HAT: Hybrid", "HAT (old copy): Hybrid")
    )
    code, out, err = cli("--content", content, "check", renamed)
    # The old copy is the same paper retitled: its code link (issue 20) gives it away too.
    assert (code, err) == (1, "1 file checked: 1 error, 1 warning\n")
    assert re.fullmatch(rf"{re.escape(str(renamed))}:\d+:\d+: warning: possible duplicate: the code link "
                        r"https://github.com/XPixelGroup/HAT is also in .*\n"
                        rf"{re.escape(str(renamed))}:\d+:\d+: error: redirect_from\[0\]: .*is the slug of a "
                        r"live page.*\n", out), out
