#!/usr/bin/env bash
# Generates a corpus for the reliability scripts: WORK/corpus/rN, N git repositories (default 24),
# each a package of the Go standard library (/usr/share/go-1.19/src, from golang-1.19-src) committed
# in several commits by three authors of two domains, and WORK/manifest.csv listing them with orgs,
# companies and cohorts.
#
#   bench/reliability/make-corpus.sh WORK [N]
set -euo pipefail
work=$1
repos=${2:-24}
src=/usr/share/go-1.19/src
[ -d "$src" ] || { echo "make-corpus.sh: $src is missing (apt-get install golang-1.19-src)" >&2; exit 2; }
mkdir -p "$work/corpus"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
# The corpus: the first $repos package directories with at least 4 .go files.
echo "repo,org,company,cohorts" >"$work/manifest.csv"
n=0
for dir in $(cd "$src" && find . -mindepth 1 -maxdepth 2 -type d ! -name testdata | sort); do
    [ "$(find "$src/$dir" -maxdepth 1 -name '*.go' | wc -l)" -ge 4 ] || continue
    n=$((n + 1))
    repo=$work/corpus/r$n
    mkdir -p "$repo"
    git -C "$repo" init -q -b main
    k=0
    for file in $(find "$src/$dir" -maxdepth 1 -type f | sort); do
        cp "$file" "$repo/"
        k=$((k + 1))
        # Three commits: files spread over three authors of two companies' domains.
        if [ $((k % 3)) -eq 0 ] || [ "$k" -eq 1 ]; then
            who=$(( (n + k) % 3 ))
            name=("Ann Alpha" "Bo Beta" "Cy Gamma"); mail=("ann@alpha.example" "bo@beta.example" "cy@alpha.example")
            git -C "$repo" add -A
            GIT_AUTHOR_NAME=${name[$who]} GIT_AUTHOR_EMAIL=${mail[$who]} GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x@x \
                GIT_AUTHOR_DATE="2020-0$(( (k % 9) + 1 ))-01T00:00:00Z" GIT_COMMITTER_DATE="2020-01-01T00:00:00Z" \
                git -C "$repo" commit -q -m "part $k" >/dev/null || true
        fi
    done
    git -C "$repo" add -A
    GIT_AUTHOR_NAME="Ann Alpha" GIT_AUTHOR_EMAIL=ann@alpha.example GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x@x \
        GIT_AUTHOR_DATE="2021-01-01T00:00:00Z" GIT_COMMITTER_DATE="2021-01-01T00:00:00Z" \
        git -C "$repo" commit -q -m "rest" >/dev/null || true
    echo "$repo,org$((n % 5)),Company $((n % 3)),cohort-$((n % 2))" >>"$work/manifest.csv"
    [ "$n" -ge "$repos" ] && break
done
echo "corpus: $n repositories, $(find "$work/corpus" -name '*.go' | wc -l) Go files"
