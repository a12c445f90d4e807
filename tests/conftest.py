"""Session fixtures: generate, `mkdocs build --strict` and index (Pagefind) a real site
ONCE, reused by every site and browser test; and the `--update-goldens` option.

Three sites are built, each into its own temporary folder (never into the repo):
- `real_site`: from the committed `content/`. Contributors change it in every pull
  request, so its tests check what holds for any valid content (every paper has its
  page, every topic page lists its papers, the search finds each title), never a
  particular paper or a count;
- `seed_site`: from the import of the seed listings (`helpers.seed_content`), plus one
  old slug for HAT: the realistic catalog of 532 papers that tests needing
  particular papers (HAT's badges, LLaMA ranking first) read;
- `fixture_site`: from `tests/fixtures/site_content/`, a handful of papers with
  titles full of Markdown/HTML characters and injection attempts.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_api import FakeApi
from generator import clock
from helpers import CONTENT, FIXTURE_CONTENT, TODAY, BuiltSite, build_site, seed_content

# No test reads the clock: what the code calls today comes from here (generator.clock),
# in this process and in every command a test starts. tests/test_clock.py runs the
# date-sensitive tests with the clock a year ahead to prove it.
os.environ[clock.VARIABLE] = str(clock.epoch_of(TODAY))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the expected output of the golden tests (tests/render_cases/*/expected) "
        "from what the generator writes now; review the diff before committing it",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make `--dist loadgroup` honour `xdist_group` marks again.

    pytest-xdist 3.8 tells its scheduler a test's group by renaming the test `<nodeid>@<group>`
    through `item._nodeid`, which pytest 9.2 no longer reads (it keeps a structured `_id`):
    without this, every group is silently spread over all workers, and each worker builds
    the real site again (pytest-xdist issue #1386). Does nothing once xdist's own rename
    works, or without --dist loadgroup.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    # The scheduler hands out the biggest groups first, then single tests in collection
    # order: put the two long single tests first, so that neither ends the run alone.
    items.sort(key=lambda item: not any(m.args[:1] in (("crash",), ("wheel",))
                                        for m in item.iter_markers("xdist_group")))
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # an older pytest, where xdist's rename still works
        return
    for item in items:
        groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                         for m in item.iter_markers("xdist_group")})
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)  # type: ignore[attr-defined]


@pytest.fixture
def api() -> Iterator[FakeApi]:
    """The fake Hugging Face Hub and arXiv API on 127.0.0.1 (tests/fake_api.py)."""
    with FakeApi() as server:
        yield server


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def fast_tmp(tmp_path: Path) -> Iterator[Path]:
    """An empty folder in RAM (/dev/shm) when the machine has one, else tmp_path: for the
    tests that write thousands of files (a venv, many imports), where disk writes and
    fsync would be most of their time. Removed afterwards (RAM is not cleaned by pytest)."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="paper-index-tests-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the current directory, so the CLI's messages show relative paths."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(CONTENT, tmp_path_factory.mktemp("real_site"))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(FIXTURE_CONTENT, tmp_path_factory.mktemp("fixture_site"))


HAT = "hat-hybrid-attention-transformer-for-image-restoration"
HAT_OLD_SLUG = "hat-hybrid-attention-transformer"
"""The old slug the seed site gives HAT, so that it has a redirect page."""


@pytest.fixture(scope="session")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds' import (`helpers.seed_content`), made once per worker: read it, or copy
    it before changing anything."""
    return seed_content(tmp_path_factory.mktemp("seeds"))[0]


@pytest.fixture(scope="session")
def seed_site(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    work = tmp_path_factory.mktemp("seed_site")
    content = Path(shutil.copytree(seeds, work / "content"))
    hat = content / "papers" / f"{HAT}.yml"
    hat.write_text(hat.read_text(encoding="utf-8") + f"redirect_from:\n  - {HAT_OLD_SLUG}\n",
                   encoding="utf-8")
    return build_site(content, work)
