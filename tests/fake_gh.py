"""A fake `gh` for tests/test_propose.py: the commands .github/scripts/propose.sh runs.

Pull requests and comments live in a JSON file (FAKE_GH_STATE); every call is logged as
a JSON list of its arguments (FAKE_GH_LOG). `pr create` checks that the head branch
exists in the origin repository (FAKE_GH_ORIGIN), as GitHub does. Any other command, or
another `--jq` than the one the script is known to use, is an error: the fake answers
only what it was written for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LIST_JQ = 'map(select(.isCrossRepository | not)) | .[0] // empty | "\\(.number) \\(.baseRefName)"'


def _options(args: list[str], flags: set[str] = frozenset()) -> dict[str, str]:
    found, i = {}, 0
    while i < len(args):
        name = args[i]
        if not name.startswith("--"):
            raise SystemExit(f"fake gh: unexpected argument {name!r}")
        if name in flags:
            found[name] = "true"
            i += 1
        else:
            found[name] = args[i + 1]
            i += 2
    return found


def main(argv: list[str]) -> int:
    state_file = Path(os.environ["FAKE_GH_STATE"])
    state = json.loads(state_file.read_text()) if state_file.exists() else {"pulls": [], "comments": []}
    with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(argv) + "\n")
    if not os.environ.get("GH_TOKEN"):
        print("fake gh: GH_TOKEN is not set", file=sys.stderr)
        return 4
    if argv == ["auth", "setup-git"]:
        return 0
    if argv[:2] == ["pr", "list"]:
        opts = _options(argv[2:])
        if opts.get("--json") != "number,baseRefName,isCrossRepository" or opts.get("--jq") != LIST_JQ:
            raise SystemExit(f"fake gh: pr list with options it does not know: {opts}")
        pulls = [p for p in state["pulls"] if p["head"] == opts["--head"]
                 and p["state"] == opts["--state"].upper() and not p["isCrossRepository"]]
        if pulls:
            print(pulls[0]["number"], pulls[0]["base"])
        return 0
    if argv[:2] == ["pr", "create"]:
        opts = _options(argv[2:], {"--draft"})
        origin = os.environ["FAKE_GH_ORIGIN"]
        exists = subprocess.run(["git", "--git-dir", origin, "rev-parse", "--verify", "--quiet",
                                 f"refs/heads/{opts['--head']}"], capture_output=True, check=False)
        if exists.returncode:
            print(f"fake gh: no branch {opts['--head']}", file=sys.stderr)
            return 1
        number = len(state["pulls"]) + 1
        state["pulls"].append({"number": number, "head": opts["--head"], "base": opts["--base"],
                               "title": opts["--title"], "draft": "--draft" in opts, "state": "OPEN",
                               "isCrossRepository": False,
                               "body": Path(opts["--body-file"]).read_text(encoding="utf-8")})
        state_file.write_text(json.dumps(state))
        print(f"https://github.example/o/r/pull/{number}")
        return 0
    if argv[:2] == ["pr", "comment"] and len(argv) == 5 and argv[3] == "--body-file":
        state["comments"].append({"number": int(argv[2]), "body": Path(argv[4]).read_text(encoding="utf-8")})
        state_file.write_text(json.dumps(state))
        return 0
    print(f"fake gh: unknown command {argv}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
