#!/usr/bin/env bash
# Builds a synthetic census store for report benchmarks and pictures, with sqlite3, into the schema
# census itself creates: REPOS repositories (5–6 language rows each, 1–2 cohorts, 300 companies,
# one in ten without), COMMITS commits (COMMITS / REPOS per repository, by 50,000 authors whose
# email domains name several countries; 1 in 5 attributed to no company, 1 in 50 a bot) with about
# 1.5 change rows each, and a go.mod per repository with about 11 requirements.
#
# With EVENTS (a fifth argument, default 0), also EVENTS GitHub events in the events tables (issue
# 12's schema, made by `census events ingest`): over 2012-01-01 … 2023-11, one every 75 seconds, on
# 20,000 repositories (the 10,000 of the corpus, whose language comes from the scans, and 10,000
# more with a pull-request language: Go, Rust or Java), by 200,000 actors (6 in 8 with a region,
# 3 in 4 with a company, 1 in 100 a bot); 30% stars, 2.5% new repositories, 5% pull requests opened.
#
#   bench/report-store.sh DB REPOS COMMITS CENSUS [EVENTS]
# Builds what DB does not hold yet: the corpus when DB does not exist (copied from
# report-REPOS-COMMITS.db beside it when that exists), the events when github_events is empty.
set -euo pipefail
DB=$1
REPOS=$2
COMMITS=$3
CENSUS=$4
EVENTS=${5:-0}
PER_REPO=$(( COMMITS / REPOS ))
WORK=$(dirname "$DB")
mkdir -p "$WORK"
BASE=$WORK/report-$REPOS-$COMMITS.db
if [ ! -f "$DB" ] && [ "$DB" != "$BASE" ] && [ -f "$BASE" ]; then
    echo "copying $BASE to $DB ..." >&2
    sqlite3 -readonly "$BASE" ".backup '$DB.tmp'"
    mv "$DB.tmp" "$DB"
fi
if [ ! -f "$DB" ]; then
    echo "making $DB ($REPOS repositories, $COMMITS commits) ..." >&2
    rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
    mkdir -p "$WORK/schema-tree" && echo "package x" > "$WORK/schema-tree/x.go"
    "$CENSUS" scan "$WORK/schema-tree" --db "$DB.tmp" >/dev/null 2>&1   # the schema, by census itself
    sqlite3 "$DB.tmp" >/dev/null <<EOF
PRAGMA synchronous = OFF;
DELETE FROM repository_files; DELETE FROM repository_languages; DELETE FROM repository_cohorts;
DELETE FROM repositories; DELETE FROM go_modules; DELETE FROM go_requirements;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $REPOS)
INSERT INTO repositories (repository_id, repository_key, location, host, owner, name, org, company, revision, commit_id,
    commit_date, root_commit_date, commit_count, is_shallow, default_branch, remote_url, scanned_at, census_version,
    own_files, own_code, own_comment, own_blank, own_bytes, breakdown_bytes)
SELECT i, 'github.com/org' || (i % 800) || '/repo' || i, 'https://github.com/org' || (i % 800) || '/repo' || i, 'github.com',
    'org' || (i % 800), 'repo' || i, 'org' || (i % 800), CASE WHEN i % 10 = 0 THEN NULL ELSE 'Company ' || (i % 300) END,
    'HEAD', printf('%040x', i), 1700000000 - (i % 1000) * 3600, 1325376000 + (i * 37 * 86400) % 378432000, $PER_REPO, 0,
    'main', NULL, 1700000000, '0.1.0', 0, 0, 0, 0, 0, 0
FROM n;
INSERT INTO repository_cohorts (repository_id, cohort)
SELECT repository_id, CASE repository_id % 10 WHEN 0 THEN 'cncf-graduated' WHEN 1 THEN 'cncf-incubating' WHEN 2 THEN 'cncf-incubating'
    WHEN 3 THEN 'cncf-sandbox' WHEN 4 THEN 'cncf-sandbox' WHEN 5 THEN 'cncf-sandbox' ELSE 'landscape' END FROM repositories;
INSERT INTO repository_cohorts (repository_id, cohort) SELECT repository_id, 'top-go' FROM repositories WHERE repository_id % 3 = 0;
-- Go, Python, JavaScript (every other), Shell and YAML own rows; a vendored Go row for every fourth.
INSERT INTO repository_languages (repository_id, language, language_type, category, files, code, comment, blank, bytes, breakdown_bytes)
SELECT repository_id, 'Go', 'programming', 'own', 10 + repository_id % 50, 500 + (repository_id * 7919) % 20000,
    (500 + (repository_id * 7919) % 20000) / 5, (500 + (repository_id * 7919) % 20000) / 8,
    (500 + (repository_id * 7919) % 20000) * 30, (500 + (repository_id * 7919) % 20000) * 30 FROM repositories;
INSERT INTO repository_languages SELECT repository_id, 'Python', 'programming', 'own', 3, (repository_id * 104729) % 5000 + 1,
    100, 100, ((repository_id * 104729) % 5000 + 1) * 28, ((repository_id * 104729) % 5000 + 1) * 28 FROM repositories;
INSERT INTO repository_languages SELECT repository_id, 'JavaScript', 'programming', 'own', 5, (repository_id * 1299709) % 8000 + 1,
    50, 50, ((repository_id * 1299709) % 8000 + 1) * 35, ((repository_id * 1299709) % 8000 + 1) * 35 FROM repositories WHERE repository_id % 2 = 0;
INSERT INTO repository_languages SELECT repository_id, 'Shell', 'programming', 'own', 2, 50 + repository_id % 300, 10, 10,
    (50 + repository_id % 300) * 25, (50 + repository_id % 300) * 25 FROM repositories;
INSERT INTO repository_languages SELECT repository_id, 'YAML', 'data', 'own', 4, 100 + repository_id % 500, 5, 5,
    (100 + repository_id % 500) * 20, 0 FROM repositories;
INSERT INTO repository_languages SELECT repository_id, 'Go', 'programming', 'vendored', 40, 10000 + repository_id % 5000, 900, 900,
    (10000 + repository_id % 5000) * 30, 0 FROM repositories WHERE repository_id % 4 = 0;
UPDATE repositories SET
    own_files = (SELECT SUM(files) FROM repository_languages l WHERE l.repository_id = repositories.repository_id AND category = 'own'),
    own_code = (SELECT SUM(code) FROM repository_languages l WHERE l.repository_id = repositories.repository_id AND category = 'own'),
    own_comment = (SELECT SUM(comment) FROM repository_languages l WHERE l.repository_id = repositories.repository_id AND category = 'own'),
    own_blank = (SELECT SUM(blank) FROM repository_languages l WHERE l.repository_id = repositories.repository_id AND category = 'own'),
    own_bytes = (SELECT SUM(bytes) FROM repository_languages l WHERE l.repository_id = repositories.repository_id AND category = 'own'),
    breakdown_bytes = (SELECT SUM(breakdown_bytes) FROM repository_languages l WHERE l.repository_id = repositories.repository_id);
COMMIT;
BEGIN;
-- $PER_REPO commits per repository by 50,000 authors (email domains of several countries, 1 in 5
-- attributed to no company, 1 in 50 a bot), spread over 2012–2023.
-- (Schema v8: history rows name their repository by its number in history_repositories.)
INSERT INTO history_repositories (repository, repository_key) SELECT repository_id, repository_key FROM repositories;
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < $PER_REPO),
c AS (SELECT r.repository_id AS repository, (r.repository_id - 1) * $PER_REPO + k.j AS n FROM repositories AS r, k)
INSERT INTO history_commits (repository, commit_id, author_name, author_email, author_time, author_offset, committer_name,
    committer_email, committer_time, committer_offset, parent_count, company, email_domain, is_bot)
SELECT repository, printf('%040x', n), 'Dev ' || ((n * 2654435761) % 50000),
    'dev' || ((n * 2654435761) % 50000) || '@' || CASE ((n * 2654435761) % 50000) % 10 WHEN 4 THEN 'corp.cn' WHEN 5 THEN 'firma.de'
        WHEN 6 THEN 'kaisha.jp' WHEN 7 THEN 'company.in' WHEN 8 THEN 'empresa.br' WHEN 9 THEN 'gmail.com' ELSE 'example.com' END,
    1325376000 + (n * 2654435761) % 378432000, 0, 'C', 'c@example.com', 1325376000 + (n * 2654435761) % 378432000, 0, 1,
    CASE WHEN ((n * 2654435761) % 50000) % 5 = 0 THEN 'Unknown' ELSE 'Company ' || (((n * 2654435761) % 50000) % 300) END,
    CASE ((n * 2654435761) % 50000) % 10 WHEN 4 THEN 'corp.cn' WHEN 5 THEN 'firma.de' WHEN 6 THEN 'kaisha.jp' WHEN 7 THEN 'company.in'
        WHEN 8 THEN 'empresa.br' WHEN 9 THEN 'gmail.com' ELSE 'example.com' END,
    CASE WHEN n % 50 = 0 THEN 1 ELSE 0 END
FROM c;
INSERT INTO history_changes (commit_row, language, category, added, removed, files, binary_files)
SELECT commit_row, 'Go', 'own', 1 + author_time % 40, author_time % 7, 1, 0 FROM history_commits;
INSERT INTO history_changes (commit_row, language, category, added, removed, files, binary_files)
SELECT commit_row, 'Python', 'own', 5, 2, 1, 0 FROM history_commits WHERE author_time % 3 = 0;
INSERT INTO history_changes (commit_row, language, category, added, removed, files, binary_files)
SELECT commit_row, 'Go', 'vendored', 200, 0, 3, 0 FROM history_commits WHERE author_time % 11 = 0;
COMMIT;
BEGIN;
-- One go.mod per repository requiring 11 modules from a pool of 5,000 with a skewed popularity
-- (module m with probability growing like sqrt), some of golang.org/x, and one module of the corpus.
INSERT INTO go_modules (repository_key, path, module, go_version, category, uses_vendor)
SELECT repository_key, 'go.mod', repository_key, '1.21', 'own', 0 FROM repositories;
WITH RECURSIVE j(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM j WHERE x < 11),
p AS (SELECT r.repository_key AS repository_key, r.repository_id AS id, j.x AS x,
    CAST(5000 * (((r.repository_id * 2654435761 + j.x * 40503) % 1000003) / 1000003.0)
               * (((r.repository_id * 2654435761 + j.x * 40503) % 1000003) / 1000003.0) AS INTEGER) AS m
    FROM repositories AS r, j)
INSERT OR IGNORE INTO go_requirements (repository_key, path, module, required, version, indirect, category)
SELECT repository_key, 'go.mod', repository_key,
    CASE WHEN m % 7 = 0 THEN 'golang.org/x/pkg' || (m % 20) ELSE 'github.com/dep' || m || '/mod' END,
    'v1.' || (m % 10) || '.0', CASE WHEN x % 4 = 0 THEN 1 ELSE 0 END, 'own' FROM p;
INSERT OR IGNORE INTO go_requirements (repository_key, path, module, required, version, indirect, category)
SELECT r.repository_key, 'go.mod', r.repository_key, o.repository_key, 'v0.1.0', 0, 'own'
FROM repositories AS r JOIN repositories AS o ON o.repository_id = (r.repository_id * 7) % $REPOS + 1;
COMMIT;
PRAGMA journal_mode = WAL;
EOF
    mv "$DB.tmp" "$DB"
    rm -f "$DB.tmp-wal" "$DB.tmp-shm"
fi
if [ "$EVENTS" -gt 0 ]; then
    # The events tables, by census itself (a write command migrates the store); then the rows.
    : > "$WORK/empty.json"
    "$CENSUS" events ingest "$WORK/empty.json" --db "$DB" >/dev/null 2>&1 || true
    have=$(sqlite3 -readonly "$DB" "SELECT COUNT(*) FROM github_events" 2>/dev/null || echo missing)
    [ "$have" != missing ] || { echo "$DB has no github_events table after census events ingest" >&2; exit 1; }
    if [ "$have" -ne "$EVENTS" ]; then
        echo "adding $EVENTS events to $DB ..." >&2
        sqlite3 "$DB" >/dev/null <<EOF
PRAGMA synchronous = OFF;
BEGIN;
DELETE FROM github_events; DELETE FROM github_event_files; DELETE FROM github_repo_languages;
INSERT INTO github_event_files (file_id, name, path, size, status, options, lines, events, stored, duplicates, filtered,
    malformed, error, ingested_at)
VALUES (1, 'synthetic.json.gz', 'bench/report-store.sh', 0, 'complete', '', $EVENTS, $EVENTS, $EVENTS, 0, 0, 0, NULL, 1700000000);
-- In key order (created_at grows with i), so the WITHOUT ROWID table is appended to.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $EVENTS),
e AS (SELECT i, 1 + (i * 7919) % 20000 AS r, (i * 2654435761) % 200000 AS a, i % 20 AS t FROM n)
INSERT INTO github_events (event_id, created_at, type, repo, repo_id, org, actor, action, ref_type, merged, company, country,
    region, is_bot, file_id)
SELECT i, 1325376000 + i * 75,
    CASE WHEN t < 6 THEN 'WatchEvent' WHEN t = 10 THEN 'ForkEvent' WHEN t = 11 THEN 'CreateEvent'
        WHEN t IN (12, 13) THEN 'PullRequestEvent' WHEN t = 14 THEN 'IssuesEvent' WHEN t IN (15, 16) THEN 'IssueCommentEvent'
        ELSE 'PushEvent' END,
    'org' || (r % 800) || '/repo' || r, r, 'org' || (r % 800), 'user' || a,
    CASE WHEN t IN (12, 14) THEN 'opened' WHEN t = 13 THEN 'closed' END,
    CASE WHEN t = 11 THEN CASE WHEN i % 40 = 11 THEN 'repository' ELSE 'branch' END END,
    CASE WHEN t = 13 THEN (i / 20) % 2 END,
    CASE WHEN a % 4 = 0 THEN NULL ELSE 'Company ' || (a % 300) END,
    CASE a % 8 WHEN 0 THEN 'CN' WHEN 1 THEN 'DE' WHEN 2 THEN 'JP' WHEN 3 THEN 'IN' WHEN 4 THEN 'US' WHEN 5 THEN 'BR' WHEN 6 THEN 'FR' END,
    CASE a % 8 WHEN 0 THEN 'China' WHEN 1 THEN 'Europe' WHEN 2 THEN 'Asia-Pacific' WHEN 3 THEN 'India' WHEN 4 THEN 'North America'
        WHEN 5 THEN 'Latin America' WHEN 6 THEN 'Europe' END,
    CASE WHEN a % 100 = 99 THEN 1 ELSE 0 END, 1
FROM e;
INSERT INTO github_repo_languages (repo, source, language, seen_at)
WITH RECURSIVE n(r) AS (SELECT $REPOS + 1 UNION ALL SELECT r + 1 FROM n WHERE r < 20000)
SELECT 'org' || (r % 800) || '/repo' || r, 'pull-request', CASE r % 3 WHEN 0 THEN 'Go' WHEN 1 THEN 'Rust' ELSE 'Java' END, 1700000000
FROM n;
COMMIT;
EOF
    fi
fi
