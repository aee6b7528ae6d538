#!/usr/bin/env bash
# Every history question census answers from a store, as JSON, in one file: contributors (each
# grouping, metric and commit count, a language, a period) and timelines (each metric and period
# of a few languages), with their coverage notes. Used to check that two census builds, or a store
# before and after a schema migration, answer the same:
#
#   bench/history-answers.sh CENSUS STORE.db > answers.txt
set -euo pipefail
census=$1 db=$2
run() { echo "## $*"; "$census" "$@" --db "$db" --format json 2>&1; }
for by in company author domain; do
    for metric in commits authors lines-added; do
        for commits in code all; do
            run contributors --by "$by" --metric "$metric" --commits "$commits" --limit 50
        done
        run contributors --by "$by" --metric "$metric" --language Go --limit 50
        run contributors --by "$by" --metric "$metric" --since 2015-01-01 --until 2020-01-01 --include-bots
        run contributors --by "$by" --metric "$metric" --commits all --since 2016-06-01 --until 2021-01-01
    done
done
for language in Go Python C Shell YAML Markdown; do
    for period in year quarter month; do
        for metric in code commits authors new-repos; do
            run timeline --language "$language" --by "$period" --metric "$metric"
        done
    done
done
