"""`python -m generator`: a thin layer over the pipeline stages.

Each subcommand parses its arguments and calls one library function. Every
failure the user can cause (bad content, a bad path, a file system error) ends
as `Error: ...` on stderr with exit code 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from generator import __version__
from generator.errors import ContentError, GeneratorError, Severity

DEFAULT_CONTENT = Path("content")
DEFAULT_OUT = Path("build/docs")
DEFAULT_CONFIG = Path("mkdocs.yml")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


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
        help="merge Hugging Face listing dumps into content/papers/",
        description="Parse listing dumps, normalize and de-duplicate their entries, and merge "
        "them into content/papers/<slug>.yml. Fields a curator changed are never overwritten. "
        "All or nothing: on any error no file is written.",
    )
    p.add_argument("listings", nargs="+", type=Path, metavar="LISTING", help="a listing dump (.txt)")
    p.add_argument(
        "--as-of",
        type=_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the date the listing was captured: it becomes `added` on new papers and "
        "resolves entry dates with no year (required, so that an import is reproducible)",
    )
    p.add_argument("--source", help="the name recorded in `sources` (default: the file's stem)")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")

    p = sub.add_parser(
        "check",
        help="validate content/ and report every problem",
        description="Validate paper files and topics.yml. Prints one line per problem as "
        "path:line:col: severity: message and exits 1 if there is any error.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only check these paper files")
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
        "is left as it was. Run `mkdocs build`, then `python -m pagefind --site site`, afterwards.",
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
        "whose outputs merge into one site/ (the same files; sitemap.xml lists the shards in "
        "turn). On any failure site/ is left as it was. Run `python -m pagefind --site site` "
        "afterwards for the search index.",
    )
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="MkDocs processes to run at once (default: the number of CPUs, %(default)s)")
    p.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=DEFAULT_CONFIG,
        help="the site's MkDocs configuration (default: %(default)s)",
    )

    p = sub.add_parser(
        "new",
        help="scaffold a paper file from flags or a pasted listing snippet",
        description="Create content/papers/<slug>.yml from --title/--abstract/--url, or from a "
        "listing snippet on stdin in any of the three listing layouts. Suggests topics by the "
        "rules in topics.yml and refuses to create a duplicate.",
    )
    p.add_argument("--title", help="the paper's title (with --abstract; else read stdin)")
    p.add_argument("--abstract", help="the paper's abstract (with --title)")
    p.add_argument("--url", action="append", default=[], help="a link (repeatable)")
    p.add_argument("--arxiv", help="the arXiv id, e.g. 2306.04751")
    p.add_argument("--topic", action="append", default=[], help="a topic id (repeatable); default: suggested")

    p = sub.add_parser(
        "fmt",
        help="rewrite paper files into canonical formatting",
        description="Rewrite paper files with the stable key order and formatting the import writes.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only these files")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == Severity.ERROR for p in exc.problems)
        print(f"Error: {errors} problem(s) in {args.content}; nothing was written", file=sys.stderr)
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


def _run(args: argparse.Namespace) -> int:
    if args.command == "import":
        from generator.ingest.importer import import_listings

        summary = import_listings(
            args.listings,
            content_dir=args.content,
            as_of=args.as_of,
            source=args.source,
            dry_run=args.dry_run,
        )
        print(summary)
        return 0
    if args.command == "check":
        from generator.review.check import run_check

        return run_check(args.content, args.paths, fmt=args.format)
    if args.command == "build":
        from generator.site.build import build
        from generator.site.settings import Settings

        print(build(args.content, args.out, Settings.from_mkdocs(args.config_file)))
        return 0
    if args.command == "site":
        from generator.site.shards import build_site

        if args.jobs < 1:
            raise GeneratorError(f"--jobs: expected a number of processes >= 1, got {args.jobs}")
        if not args.config_file.is_file():
            raise GeneratorError(f"{args.config_file}: MkDocs configuration not found; pass the "
                                 "site's mkdocs.yml with --config-file")
        print(build_site(args.config_file, args.jobs))
        return 0
    if args.command == "new":
        from generator.ingest.new import NewPaper, run_new

        request = NewPaper(title=args.title, abstract=args.abstract, urls=tuple(args.url),
                           arxiv=args.arxiv, topics=tuple(args.topic))
        return run_new(args.content, request, sys.stdin)
    if args.command == "fmt":
        from generator.review.fmt import run_fmt

        return run_fmt(args.content, args.paths, check=args.check)
    raise AssertionError(args.command)
