"""`python -m generator`: a thin layer over the pipeline stages.

Each subcommand parses its arguments and calls one library function. Every
failure the user can cause (bad content, a bad path, a file system error) ends
as `Error: ...` on stderr with exit code 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import sys
from pathlib import Path

from generator import __version__, clock
from generator.errors import ContentError, GeneratorError, Refusal, Severity

DEFAULT_CONTENT = Path("content")
DEFAULT_OUT = Path("build/docs")
DEFAULT_CONFIG = Path("mkdocs.yml")
DEFAULT_SITE = Path("site")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {text!r}")
    return value


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _network_options(p: argparse.ArgumentParser, *, arxiv: bool) -> None:
    """The options of a command that asks the Hugging Face Hub (and arXiv) over the network."""
    from generator.enrich import DEFAULT_CACHE

    p.add_argument("--summary", type=Path, metavar="FILE",
                   help="append a Markdown summary of the changes to FILE (the weekly update "
                   "workflow makes it its pull request's body)")
    g = p.add_argument_group("network")
    g.add_argument("--cache", type=Path, default=DEFAULT_CACHE, metavar="DIR",
                   help="keep the services' answers here, so a rerun asks only for what it has "
                   "not got yet (default: %(default)s)")
    g.add_argument("--refresh", action="store_true",
                   help="ask again even for answers in the cache (and keep the new ones)")
    g.add_argument("--timeout", type=_seconds, default=30.0, metavar="SECONDS",
                   help="give a request up after this long, from connecting to the answer's "
                   "last byte (default: %(default)s)")
    g.add_argument("--retries", type=_count, default=4, metavar="N",
                   help="retry a request that timed out or got a 429 or 5xx answer up to N "
                   "times (default: %(default)s)")
    g.add_argument("--backoff", type=_seconds, default=2.0, metavar="SECONDS",
                   help="wait before the first retry; each further one waits twice as long, or "
                   "as long as a Retry-After header asks (default: %(default)s)")
    g.add_argument("--hub-interval", type=_seconds, default=0.5, metavar="SECONDS",
                   help="at least this long between two requests to the Hub (default: %(default)s)")
    if arxiv:
        g.add_argument("--arxiv-interval", type=_seconds, default=3.0, metavar="SECONDS",
                       help="at least this long between two requests to arXiv, which asks for "
                       "3 seconds (default: %(default)s)")


def _network(args: argparse.Namespace) -> object:
    from generator.enrich.http import Politeness
    from generator.enrich.records import Endpoints, user_agent_for
    from generator.enrich.services import Network

    def politeness(interval: float) -> Politeness:
        return Politeness(interval=interval, timeout=args.timeout, retries=args.retries,
                          backoff=args.backoff)

    return Network(endpoints=Endpoints.from_env(), hub=politeness(args.hub_interval),
                   arxiv=politeness(getattr(args, "arxiv_interval", 3.0)), cache=args.cache,
                   refresh=args.refresh, user_agent=user_agent_for(_contact()))


def _contact() -> str:
    """The index's repository (or site) from mkdocs.yml, for the User-Agent; '' without one.
    A request names who asks, so an mkdocs.yml that does not load is no reason to stop."""
    from generator.site.settings import Settings

    if not DEFAULT_CONFIG.is_file():
        return ""
    try:
        settings = Settings.from_mkdocs(DEFAULT_CONFIG)
    except GeneratorError:
        return ""
    return settings.repo_url or settings.site_url


def _ask(question: str, default: str) -> str:
    """One question at the terminal; Enter keeps the default shown in brackets."""
    answer = input(f"{question}{f' [{default}]' if default else ''}: ")
    return answer.strip() or default


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build a curated, searchable index of research papers from content/.",
    )
    parser.add_argument("--version", action="version", version=f"paper-index {__version__}")
    parser.add_argument(
        "--content",
        type=Path,
        default=DEFAULT_CONTENT,
        help="the content folder (default: %(default)s)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="merge Hugging Face listing dumps or Daily Papers into content/papers/",
        description="Parse listing dumps (or fetch the Hub's Daily Papers with --hf-daily), "
        "normalize and de-duplicate their entries, and merge them into "
        "content/papers/<slug>.yml. Fields a curator changed are never overwritten. "
        "All or nothing: on any error no file is written. With --hf-daily, each record is "
        "reviewed as `check` would: one it refuses is left out with a warning, and the run "
        "fails only when every record was refused or a request failed.",
    )
    p.add_argument("listings", nargs="*", type=Path, metavar="LISTING", help="a listing dump (.txt)")
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date the listing was captured: it becomes `added` on new papers and "
        "resolves entry dates with no year (required with LISTING, so that an import is "
        "reproducible; with --hf-daily each paper is dated by the day it was featured)",
    )
    p.add_argument("--source", help="the name recorded in `sources` (default: the file's stem)")
    p.add_argument(
        "--manifest",
        type=Path,
        metavar="FILE",
        help="import every listing a manifest names (content/listings/manifest.yml), oldest "
        "capture first, each dated by the day it was captured; what `make import` runs",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="import entries that look like page chrome (a title such as 'Submitted by ...' or "
        "a bare number, an abstract under 20 words) instead of failing; each is reported "
        "as a warning",
    )
    p.add_argument(
        "--hf-daily",
        action="append",
        default=[],
        metavar="SPEC",
        help="import the Hugging Face Hub's Daily Papers of a day (YYYY-MM-DD), a range "
        "(YYYY-MM-DD..YYYY-MM-DD, at most 31 days) or a saved daily-papers .json file, with "
        "authors, dates, arXiv ids and links (repeatable; the Hub is HF_ENDPOINT). "
        "'since-last' is the range from the day after the newest hf-daily source in "
        "content/ up to yesterday (SOURCE_DATE_EPOCH, else the clock, says what today is): "
        "the past week when there is none, and at most 31 days a run, the oldest first, so "
        "a longer gap is caught up over several runs",
    )
    p.add_argument(
        "--reimport",
        action="append",
        default=[],
        metavar="SLUG",
        help="read this paper's title and abstract anew from the first listing that holds it, "
        "as the importer now cleans them, instead of keeping the file's: after a fix to the "
        "importer (repeatable; with LISTING or --manifest)",
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    _network_options(p, arxiv=False)
    p.set_defaults(usage_error=p.error)

    p = sub.add_parser(
        "enrich",
        help="fill arXiv ids, authors, dates, upvotes and links from the Hub and arXiv",
        description="Look papers up on the Hugging Face Hub (HF_ENDPOINT) and arXiv "
        "(PAPER_INDEX_ARXIV_API): by arXiv id, else by title under strict matching rules. Fills "
        "arxiv, arxiv_category, authors and published when missing, refreshes upvotes, and adds "
        "the Hub's code and project links when the paper has none of their kind. A curator's "
        "value is never replaced; every change is reported. A paper whose answer, or whose "
        "merged file, fails review is skipped with a warning; the run fails only when every "
        "paper was skipped, or a request failed (then no file is written).",
    )
    p.add_argument("slugs", nargs="*", metavar="SLUG", help="only these papers (default: all)")
    p.add_argument("--only-missing", action="store_true",
                   help="look up only papers that lack an arXiv id, authors or a date")
    p.add_argument("--limit", type=_count, metavar="N", help="look up at most N papers")
    p.add_argument("--dry-run", action="store_true",
                   help="print the diff of every file that would change, write nothing")
    _network_options(p, arxiv=True)

    p = sub.add_parser(
        "check",
        help="validate content/ and report every problem",
        description="Validate paper files, topics.yml and, when present, the curator's notes "
        "on topics. Prints one line per problem as "
        "path:line:col: severity: message and exits 1 if there is any error.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only check these paper files")
    p.add_argument(
        "--uncurated",
        action="store_true",
        help="also warn about each paper whose topics are still proposals (no curator's "
        "`topics`), such as those a new import brought in: the papers a curator has to read",
    )
    p.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="`github` prints workflow annotations and writes $GITHUB_STEP_SUMMARY",
    )

    p = sub.add_parser(
        "build",
        help="generate the Markdown site into build/docs for MkDocs",
        description="Validate content/, then write the generated pages (papers, topics, listings, "
        "redirects), the icon stylesheet and data files (feed.xml, papers.json, papers.bib) into "
        "the docs folder that mkdocs.yml reads. Only files whose bytes change are written, and "
        "files that no longer have a source are removed. All or nothing: on any error the folder "
        "is left as it was. Run `site` afterwards, which builds the pages and the search index "
        "(or `mkdocs build`, then `index`).",
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    p.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=DEFAULT_CONFIG,
        help="the site's MkDocs configuration, for its URL, name and repository "
        "(default: %(default)s)",
    )

    p = sub.add_parser(
        "site",
        help="run `mkdocs build --strict` in parallel shards into one site/",
        description="Build the static site from the docs folder that `build` wrote, as "
        "`mkdocs build --strict` does, with the paper pages split over JOBS MkDocs processes "
        "whose outputs merge into one site/ (the same files, byte for byte). The paper pages "
        "are cut into shards of equal count by file name; --shard and --merge run the same plan "
        "as the jobs of a CI matrix. It fails if a page's HTML lacks the digest of its front "
        "matter (MkDocs did not read the front matter). It also builds the search index (as "
        "`index` does, from the records `build` wrote into the docs folder), beside MkDocs up "
        "to 10,000 papers and after it past that. "
        "On any failure site/ is left as it was.",
    )
    p.add_argument("--no-index", action="store_true",
                   help="build only the pages, not the search index (run `index` for it)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="MkDocs processes to run at once, one shard each, and Pagefind processes "
                   "when the index is built after the shards, one bundle each (default: the "
                   "number of CPUs, %(default)s)")
    p.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=DEFAULT_CONFIG,
        help="the site's MkDocs configuration (default: %(default)s)",
    )
    g = p.add_argument_group("a CI matrix: one job per shard, then one job that merges")
    g.add_argument("--dry-run", action="store_true",
                   help="print the plan for --jobs shards (each shard's paper pages) and build nothing")
    g.add_argument("--shard", metavar="I/N",
                   help="build only shard I of N into --out (N jobs of a matrix, each with its I)")
    g.add_argument("--out", type=Path, metavar="DIR", help="where --shard builds its shard")
    g.add_argument("--merge", nargs="+", type=Path, metavar="DIR",
                   help="merge the --out folders of shards 1 to N into the site folder")

    p = sub.add_parser(
        "index",
        help="build the search index of the built site from content/",
        description="Index every paper of content/ for search into SITE/pagefind, straight "
        "from the catalog with Pagefind's Python API (no page is read). `site` runs it too; "
        "run it alone after `site --no-index`, `mkdocs build` or a CI matrix's merge. "
        "On any failure the site's previous index is left as it was.",
    )
    p.add_argument("--site", type=Path, default=DEFAULT_SITE,
                   help="the built site to add the index to (default: %(default)s)")
    p.add_argument("--bundle-papers", type=int, default=None, metavar="N",
                   help="split the index into bundles of at most N papers, searched together "
                   "in the browser (default: 20000; Pagefind needs about 110 KB of memory "
                   "per paper while it builds one)")

    p = sub.add_parser(
        "new",
        help="scaffold paper files from flags or from cards pasted on stdin",
        description="Create content/papers/<slug>.yml from --title/--abstract/--url, or one "
        "file for each card of a listing snippet on stdin (any of the three listing layouts; "
        "its source is recorded as pasted-<today>). Proposes topics, each with a confidence "
        "(the rules in topics.yml and a model trained on the curated papers), and refuses to "
        "create a duplicate. All or nothing; prints each file it wrote.",
    )
    p.add_argument("--title", help="the paper's title (with --abstract; else read stdin)")
    p.add_argument("--abstract", help="the paper's abstract (with --title)")
    p.add_argument("--url", action="append", default=[], help="a link (repeatable)")
    p.add_argument("--arxiv", help="the arXiv id, e.g. 2306.04751; without --published, the "
                   "paper is dated by the id's month (its 1st: the id gives no day)")
    p.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                   help="the publication date (it dates the paper in Browse, topic tables and "
                   "its BibTeX entry)")
    p.add_argument("--topic", action="append", default=[], help="a topic id (repeatable), written as the curator's `topics`; default: proposed")
    p.add_argument("--force", action="store_true",
                   help="scaffold a pasted snippet whose title looks like page chrome or whose "
                   "abstract is under 20 words, with a warning, instead of refusing it")

    p = sub.add_parser(
        "topics",
        help="explain a paper's proposed topics, or propose anew for every paper",
        description="Topics have two sources: `topics`, a curator's choice that nothing "
        "changes, and `proposed_topics`, what the proposer gives a paper no curator has read "
        "(the rules in topics.yml and a model trained on the curated papers), each with its "
        "confidence. `explain` shows what drove each proposal; `refresh` proposes anew for "
        "every paper without `topics`.",
    )
    topics = p.add_subparsers(dest="topics_command", required=True, metavar="ACTION")
    t = topics.add_parser("explain", help="show what drove a paper's proposed topics",
                          description="For each paper, the topics the proposer gives it (trained "
                          "without the papers named), each with its confidence split into what "
                          "the rules, the nearest curated papers and the topic's prior add, the "
                          "terms it shares with those papers; then each topic that a rule hits, "
                          "with every hit (where, how often, its weight) and the score.")
    t.add_argument("slugs", nargs="+", metavar="SLUG",
                   help="a paper's slug (its file name without .yml, or an old slug)")
    t = topics.add_parser("refresh", help="propose topics anew for every paper without `topics`",
                          description="Give every paper without a curator's `topics` the "
                          "proposals of the current rules and curated papers, and remove them "
                          "where a curator set `topics`. All or nothing.")
    t.add_argument("--dry-run", action="store_true",
                   help="print the proposals with their confidence, the diff of the paper "
                   "files and the moves per topic, and write nothing")

    p = sub.add_parser(
        "init",
        help="start a new index in a folder: its settings, starter topics, workflows, Makefile",
        description="Write a new index into DIR: mkdocs.yml with its name, description, site "
        "address and repository; content/ with a starter taxonomy (topics.yml), an empty "
        "papers/ and an About page; the GitHub workflows (CI, deploy to GitHub Pages, the "
        "weekly update) derived from the generator's own; a Makefile with `make serve` and "
        "`make site`; requirements.txt pinning this version; and a README. Asks for what the "
        "options do not give when run in a terminal. The index builds at once. DIR must be "
        "empty or missing, unless --force.",
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="the new index's folder")
    p.add_argument("--name", help="the index's name, e.g. 'Robot Learning Papers'")
    p.add_argument("--description",
                   help="what it holds, in one sentence (default: a generic sentence)")
    p.add_argument("--repo", metavar="URL",
                   help="its repository, e.g. https://github.com/lab/papers")
    p.add_argument("--site-url", metavar="URL",
                   help="the site's address (default, for a GitHub repository: its GitHub "
                   "Pages address)")
    p.add_argument("--force", action="store_true",
                   help="write into a folder that is not empty: the index's files replace "
                   "what is there, other files are left alone")

    p = sub.add_parser(
        "fmt",
        help="rewrite paper files into canonical formatting",
        description="Rewrite paper files with the stable key order and formatting the import "
        "writes; with --slugs, also give every paper a slug that ends on a word.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only these files")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    p.add_argument("--slugs", action="store_true",
                   help="also rename every paper whose slug ends on a stop word (`...-models-with`) "
                   "to the slug without them, its old slug kept in redirect_from so that its "
                   "address keeps working; running it again changes nothing")
    p.set_defaults(usage_error=p.error)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "import":
        # Usage errors (exit 2), as when argparse itself finds a required argument missing.
        given = [what for what, on in (("LISTING files", args.listings),
                                         ("--hf-daily", args.hf_daily),
                                         ("--manifest", args.manifest)) if on]
        if not given:
            args.usage_error("expected a LISTING file, --manifest or --hf-daily")
        if len(given) > 1:
            args.usage_error(f"give {' or '.join(given)}, not both")
        if args.listings and args.as_of is None:
            args.usage_error("the following arguments are required with LISTING: --as-of")
        if args.hf_daily and args.reimport:
            args.usage_error("--reimport reads a paper's text from listings; give LISTING files "
                             "or --manifest")
        if args.manifest and (args.as_of or args.source):
            args.usage_error("--manifest dates and names each listing itself; drop --as-of "
                             "and --source")
    if args.command == "fmt" and args.slugs and args.paths:
        args.usage_error("--slugs looks at every paper's slug; give no PATH with it")
    try:
        return _run(args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == Severity.ERROR for p in exc.problems)
        noun = "error" if errors == 1 else "errors"
        print(f"Error: {errors} {noun} found; nothing was written", file=sys.stderr)
        return 1
    except GeneratorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"Error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted", file=sys.stderr)
        return 130


def _refused(refused: list[Refusal], nothing_usable: bool, what: str) -> int:
    """A warning for each record a service sent that was left out; exit 1 when nothing
    usable came back."""
    from generator.enrich.summary import warning_line

    for refusal in refused:
        print(warning_line(refusal), file=sys.stderr)
    if nothing_usable:
        print(f"Error: {what} was refused by the review; nothing was written", file=sys.stderr)
        return 1
    return 0


def _site(args: argparse.Namespace) -> int:
    from generator.site import shards

    if args.jobs < 1:
        raise GeneratorError(f"--jobs: expected a number of processes >= 1, got {args.jobs}")
    if not args.config_file.is_file():
        raise GeneratorError(f"{args.config_file}: MkDocs configuration not found; pass the "
                             "site's mkdocs.yml with --config-file")
    if sum(map(bool, (args.dry_run, args.shard, args.merge))) > 1:
        raise GeneratorError("give one of --dry-run, --shard and --merge")
    # MkDocs dates sitemap.xml.gz by SOURCE_DATE_EPOCH, else by the clock: the same
    # content makes the same site on any day (theme/sitemap.xml has no <lastmod>).
    os.environ.setdefault(clock.VARIABLE, "0")
    if args.dry_run:
        for shard in shards.plan_site(args.config_file, args.jobs):
            print(shard)
        return 0
    if args.shard:
        number, _, of = args.shard.partition("/")
        if not (number.isdigit() and of.isdigit() and 1 <= int(number) <= int(of)):
            raise GeneratorError(f"--shard: expected I/N with 1 <= I <= N, such as 2/8, got {args.shard!r}")
        if args.out is None:
            raise GeneratorError("--shard needs --out DIR, the folder to build the shard into")
        print(f"Built {shards.build_shard(args.config_file, int(number), int(of), args.out)} "
              f"into {args.out}")
        return 0
    if args.merge:
        print(shards.merge_site(args.config_file, args.merge))
        return 0
    if args.no_index:
        print(shards.build_site(args.config_file, args.jobs))
        return 0
    from functools import partial

    from generator.site.search_index import index_beside_mkdocs, index_docs

    docs_dir = shards.docs_folder(args.config_file)
    beside = index_beside_mkdocs(docs_dir)
    # After the shards, the bundles have the CPUs to themselves: one Pagefind each.
    index = partial(index_docs, docs_dir, at_once=1 if beside else args.jobs)
    print(shards.build_site(args.config_file, args.jobs, index, beside))
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "import" and args.hf_daily:
        from generator.enrich.daily import run_import_daily
        from generator.enrich.window import expand_since_last

        specs, note = expand_since_last(args.hf_daily, args.content)
        if note:
            from generator.enrich.run import append_summary

            print(note)
            if args.summary is not None:
                append_summary(args.summary, f"Daily Papers {note}.")
        if not specs:
            return 0
        daily = run_import_daily(specs, content_dir=args.content, network=_network(args),
                                 as_of=args.as_of, dry_run=args.dry_run, summary=args.summary)
        print(daily)
        return _refused(daily.summary.refused, daily.nothing_usable, "every record")
    if args.command == "import":
        from generator.ingest.importer import import_listings, import_manifest

        if args.manifest:
            summary = import_manifest(args.manifest, content_dir=args.content,
                                      dry_run=args.dry_run, force=args.force,
                                      reimport=args.reimport)
        else:
            summary = import_listings(
                args.listings,
                content_dir=args.content,
                as_of=args.as_of,
                source=args.source,
                dry_run=args.dry_run,
                force=args.force,
                reimport=args.reimport,
            )
        for problem in summary.warnings:
            print(problem, file=sys.stderr)
        print(summary)
        if args.summary is not None:
            from generator.enrich.run import append_summary
            from generator.enrich.summary import import_section

            append_summary(args.summary, import_section(summary))
        return 0
    if args.command == "enrich":
        from generator.enrich.run import Request, run_enrich

        request = Request(slugs=tuple(args.slugs), only_missing=args.only_missing,
                          limit=args.limit, dry_run=args.dry_run)
        report = run_enrich(args.content, request, _network(args), args.summary)  # type: ignore[arg-type]
        print(report)
        return _refused(report.refused, report.nothing_usable, "every paper looked up")
    if args.command == "check":
        from generator.review.check import run_check

        return run_check(args.content, args.paths, fmt=args.format, uncurated=args.uncurated)
    if args.command == "build":
        from generator.site.build import build
        from generator.site.settings import Settings

        print(build(args.content, args.out, functools.partial(Settings.from_mkdocs, args.config_file)))
        return 0
    if args.command == "site":
        return _site(args)
    if args.command == "index":
        from generator.site.search_index import BUNDLE_PAPERS, index_site

        if args.bundle_papers is not None and args.bundle_papers < 1:
            raise GeneratorError(f"--bundle-papers: expected a number of papers >= 1, got "
                                 f"{args.bundle_papers}")
        print(index_site(args.content, args.site, args.bundle_papers or BUNDLE_PAPERS))
        return 0
    if args.command == "new":
        from generator.ingest.new import NewPaper, run_new

        request = NewPaper(title=args.title, abstract=args.abstract, urls=tuple(args.url),
                           arxiv=args.arxiv, published=args.published, topics=tuple(args.topic),
                           force=args.force)
        return run_new(args.content, request, sys.stdin)
    if args.command == "topics":
        from generator.topics.run import explain, refresh

        if args.topics_command == "explain":
            print(explain(args.content, args.slugs))
        else:
            print(refresh(args.content, dry_run=args.dry_run))
        return 0
    if args.command == "init":
        from generator.starter.scaffold import complete, init_index

        given = {"name": args.name, "description": args.description, "repo_url": args.repo,
                 "site_url": args.site_url}
        spec = complete(given, _ask if sys.stdin.isatty() else None)
        print(init_index(args.folder, spec, force=args.force))
        return 0
    if args.command == "fmt":
        from generator.review.fmt import run_fmt

        return run_fmt(args.content, args.paths, check=args.check, slugs=args.slugs)
    raise AssertionError(args.command)
