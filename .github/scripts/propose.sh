#!/usr/bin/env bash
# The weekly update's pull request (.github/workflows/update.yml), in two steps that run
# no project code, so that tests/test_propose.py runs them against a local bare repository
# with a fake `gh`.
#
#   propose.sh base DIR   (job `collect`, read-only token; before the import)
#     When an open pull request comes from $BRANCH (in this repository, into $BASE), merge
#     its branch into the checkout, so that the import sees last week's unmerged papers and
#     a curator's commits, and the patch is made against them. Writes DIR/base.env.
#
#   propose.sh push DIR   (job `propose`, the token that may push; after the import)
#     Rebuild that base from DIR/base.env, check DIR/papers.patch (only new or changed
#     regular files content/papers/<slug>.yml: no rename, deletion, symlink or other
#     mode), apply it, commit, and push to $BRANCH with --force-with-lease on the commit
#     the patch was made against: a commit pushed to the branch meanwhile makes the push
#     fail, never disappear. Then open the pull request with DIR/body.md (a draft when
#     $DRAFT is true: its events start no CI) or, while one is open, comment with it.
#
# Environment: BRANCH (default update/papers), BASE (the branch to merge into, e.g. main),
# GH_TOKEN (for gh and, through `gh auth setup-git`, for git), DRAFT (true|false),
# APP_SLUG (the GitHub App's, whose bot authors the commit; else github-actions[bot]).
# DIR comes from the job that ran the importer on data from the Hub: nothing in it is
# trusted, and nothing in it is run or interpolated.
set -euo pipefail

BRANCH="${BRANCH:-update/papers}"
BASE="${BASE:?BASE: the branch the pull request goes into, e.g. main}"
if [ -n "${APP_SLUG:-}" ]; then
    GIT_NAME="${APP_SLUG}[bot]" GIT_EMAIL="${APP_SLUG}[bot]@users.noreply.github.com"
else
    GIT_NAME="github-actions[bot]" GIT_EMAIL="41898282+github-actions[bot]@users.noreply.github.com"
fi
TITLE="Weekly update: new papers from Hugging Face Daily Papers"
PAPER_PATH='^content/papers/[a-z0-9][a-z0-9-]*\.yml$'
SHA='^[0-9a-f]{40}$'

fail() {
    echo "::error::propose.sh: $*" >&2
    exit 1
}

as_bot() {
    GIT_AUTHOR_NAME="$GIT_NAME" GIT_AUTHOR_EMAIL="$GIT_EMAIL" \
        GIT_COMMITTER_NAME="$GIT_NAME" GIT_COMMITTER_EMAIL="$GIT_EMAIL" git "$@"
}

# The number of the open pull request from $BRANCH, opened from this repository (a
# fork's branch of the same name is not ours), or nothing. One into another branch than
# $BASE stops the run: replacing its branch would lose its commits.
open_pull_request() {
    local found number base
    found="$(gh pr list --head "$BRANCH" --state open --json number,baseRefName,isCrossRepository \
        --jq 'map(select(.isCrossRepository | not)) | .[0] // empty | "\(.number) \(.baseRefName)"')"
    [ -n "$found" ] || return 0
    read -r number base <<< "$found"
    [[ "$number" =~ ^[0-9]+$ ]] || fail "gh pr list: unexpected answer"
    [ "$base" = "$BASE" ] || fail "pull request #$number from $BRANCH goes into another branch than $BASE"
    echo "$number"
}

# Merge the pull request's branch and the checked-out $BASE commit, the branch first.
merge_base() {
    local branch_sha="$1" base_sha="$2"
    git checkout --quiet --detach "$branch_sha"
    if ! as_bot merge --quiet --no-edit -m "Merge $BASE into $BRANCH" "$base_sha" >/dev/null; then
        git merge --abort || true
        fail "$BRANCH does not merge cleanly with $BASE: merge $BASE into it by hand, then run the workflow again"
    fi
}

cmd_base() {
    local dir="$1" pr branch_sha="" base_sha
    base_sha="$(git rev-parse --verify 'HEAD^{commit}')"
    pr="$(open_pull_request)" || exit 1
    if [ -n "$pr" ]; then
        branch_sha="$(git rev-parse --verify "refs/remotes/origin/$BRANCH^{commit}")" ||
            fail "pull request #$pr is open but origin/$BRANCH was not fetched (checkout with fetch-depth: 0)"
        merge_base "$branch_sha" "$base_sha"
        echo "Building on pull request #$pr: $BRANCH at $branch_sha, merged with $BASE at $base_sha"
    else
        echo "No open pull request from $BRANCH: building on $BASE at $base_sha"
    fi
    mkdir -p "$dir"
    printf 'PR=%s\nBASE_SHA=%s\nBRANCH_SHA=%s\n' "$pr" "$base_sha" "$branch_sha" > "$dir/base.env"
}

# PR, BASE_SHA and BRANCH_SHA from DIR/base.env, each checked for its form.
read_base_env() {
    local file="$1" key value
    PR="" BASE_SHA="" BRANCH_SHA=""
    while IFS='=' read -r key value; do
        case "$key" in
        PR) [[ "$value" =~ ^[0-9]{0,9}$ ]] || fail "base.env: PR is not a number"; PR="$value" ;;
        BASE_SHA) [[ "$value" =~ $SHA ]] || fail "base.env: BASE_SHA is not a commit id"; BASE_SHA="$value" ;;
        BRANCH_SHA) [[ -z "$value" || "$value" =~ $SHA ]] || fail "base.env: BRANCH_SHA is not a commit id"
            BRANCH_SHA="$value" ;;
        *) fail "base.env: unexpected line" ;;
        esac
    done < "$file"
    [ -n "$BASE_SHA" ] || fail "base.env: no BASE_SHA"
    if { [ -n "$PR" ] && [ -z "$BRANCH_SHA" ]; } || { [ -z "$PR" ] && [ -n "$BRANCH_SHA" ]; }; then
        fail "base.env: PR and BRANCH_SHA go together"
    fi
}

# Before applying: every path the patch names, and every file it creates.
check_patch() {
    local patch="$1" problems="" line
    while IFS= read -r line; do
        [[ "${line#*$'\t'*$'\t'}" =~ $PAPER_PATH ]] ||
            problems+="  not a paper file: ${line#*$'\t'*$'\t'}"$'\n'
    done < <(git -c core.quotePath=true apply --numstat "$patch")
    # A new regular file is " create mode 100644 PATH"; a rename, a copy, a deletion, a
    # mode change or another mode (120000 symlink, 100755, 160000) is refused.
    while IFS= read -r line; do
        [[ "$line" =~ ^\ create\ mode\ 100644\ (.*)$ && "${BASH_REMATCH[1]}" =~ $PAPER_PATH ]] ||
            problems+="  not a new regular paper file:${line}"$'\n'
    done < <(git -c core.quotePath=true apply --summary "$patch")
    [ -z "$problems" ] || fail "the patch may only add or change content/papers/<slug>.yml, as regular files:"$'\n'"$problems"
}

# After applying: what the commit would change, by git's own account.
check_index() {
    local problems="" line meta path new_mode status
    while IFS= read -r line; do
        meta="${line%%$'\t'*}" path="${line#*$'\t'}"
        read -r _ new_mode _ _ status <<< "$meta"
        case "$status" in
        A | M) ;;
        R*) problems+="  a rename: ${path/$'\t'/ -> }"$'\n'; continue ;;
        *) problems+="  status $status: $path"$'\n'; continue ;;
        esac
        [ "$new_mode" = 100644 ] || problems+="  mode $new_mode, not a regular file (100644): $path"$'\n'
        [[ "$path" =~ $PAPER_PATH ]] || problems+="  not a paper file: $path"$'\n'
    done < <(git -c core.quotePath=true diff --cached --raw --no-abbrev --find-renames HEAD)
    [ -z "$problems" ] || fail "the patch may only add or change content/papers/<slug>.yml, as regular files:"$'\n'"$problems"
    git diff --cached --quiet HEAD && fail "the patch changes nothing"
    return 0
}

cmd_push() {
    local dir="$1" patch="$1/papers.patch" body="$1/body.md" expected note text
    local file
    for file in "$patch" "$body" "$dir/base.env"; do
        if [ ! -f "$file" ] || [ -L "$file" ]; then fail "no file $file"; fi
    done
    read_base_env "$dir/base.env"
    [ "$(git rev-parse --verify 'HEAD^{commit}')" = "$BASE_SHA" ] ||
        fail "the checkout is not $BASE at $BASE_SHA, the commit the import ran on"
    check_patch "$patch"

    if [ -n "$BRANCH_SHA" ]; then
        git cat-file -e "$BRANCH_SHA^{commit}" 2>/dev/null || fail "$BRANCH_SHA was not fetched"
        merge_base "$BRANCH_SHA" "$BASE_SHA"
        expected="$BRANCH_SHA"
    else
        # No pull request is open: a branch left from a merged or closed one is replaced.
        expected="$(git rev-parse --verify --quiet "refs/remotes/origin/$BRANCH^{commit}" || true)"
    fi
    git apply --index "$patch"
    check_index

    as_bot commit --quiet --no-verify -m "Add Daily Papers, imported and enriched by the weekly update"
    # checkout kept no credentials: gh lends GH_TOKEN to this push.
    gh auth setup-git
    git push --quiet --force-with-lease="refs/heads/$BRANCH:$expected" origin "HEAD:refs/heads/$BRANCH" ||
        fail "$BRANCH moved since this run read it (a curator's commit?): nothing was overwritten; run the workflow again"

    note=""
    if [ "${DRAFT:-false}" = true ]; then
        note="> [!NOTE]
> CI has not run on this update: it was pushed with the workflow's own token, whose events
> start no workflow. To run CI, close and reopen this pull request, or push a commit to
> \`$BRANCH\`. To have CI run by itself, set up the GitHub App described in CONTRIBUTING.md
> (\"Repository settings\").

"
    fi
    text="$(mktemp)"
    { printf '%s' "$note"; cat "$body"; } > "$text"
    if [ -n "$PR" ]; then
        gh pr comment "$PR" --body-file "$text"
        echo "Added a commit to pull request #$PR ($BRANCH)"
    elif [ "${DRAFT:-false}" = true ]; then
        gh pr create --draft --base "$BASE" --head "$BRANCH" --title "$TITLE" --body-file "$text"
    else
        gh pr create --base "$BASE" --head "$BRANCH" --title "$TITLE" --body-file "$text"
    fi
    rm -f "$text"
}

case "${1:-}" in
base) [ $# -eq 2 ] || fail "usage: propose.sh base DIR"; cmd_base "$2" ;;
push) [ $# -eq 2 ] || fail "usage: propose.sh push DIR"; cmd_push "$2" ;;
*) fail "usage: propose.sh base DIR | propose.sh push DIR" ;;
esac
