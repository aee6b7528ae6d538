#!/usr/bin/env python3
"""Digest of a census store's history, independent of its schema version (v2-v7 keyed rows by
(repository_key, commit_id); v8 numbers them): every commit with its columns, its changes, moves
and unknown reason, the walks, walk states and cached git metadata, as sorted logical rows.

    python3 bench/history-digest.py STORE.db [--rows]

Two stores holding the same history print the same digest, whatever their schema.
"""
import hashlib, sqlite3, sys

COMMIT_COLUMNS = ("commit_id, author_name, author_email, author_time, author_offset, committer_name, "
                  "committer_email, committer_time, committer_offset, parent_count, company, email_domain, is_bot, lines_known")

def main():
    db = sqlite3.connect(sys.argv[1])
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "history_repositories" in tables:  # v8
        commits = ("SELECT r.repository_key, " + COMMIT_COLUMNS.replace("commit_id", "c.commit_id") +
                   " FROM history_commits AS c JOIN history_repositories AS r USING (repository)")
        key = "FROM history_commits AS c JOIN history_repositories AS r USING (repository) JOIN {t} AS x USING (commit_row)"
        ident = "r.repository_key, c.commit_id"
    else:
        commits = "SELECT repository_key, " + COMMIT_COLUMNS + " FROM history_commits"
        key = "FROM history_commits AS c JOIN {t} AS x USING (repository_key, commit_id)"
        ident = "c.repository_key, c.commit_id"
    queries = {
        "commits": commits,
        "changes": f"SELECT {ident}, x.language, x.category, x.added, x.removed, x.files, x.binary_files " + key.format(t="history_changes"),
        "moves": f"SELECT {ident}, x.language, x.category, x.lines " + key.format(t="history_moves"),
        "unknown": f"SELECT {ident}, x.reason " + key.format(t="history_unknown_changes"),
        "walks": "SELECT repository_key, revision, tip, first_parent, is_shallow FROM history_walks",
        "walk_states": ("SELECT repository_key, status, reason, target, base, resume_after, counts_lines, first_parent, "
                        "commits, unknown_change_commits FROM history_walk_states"),
        "git_metadata": "SELECT * FROM git_metadata",
    }
    total = hashlib.sha256()
    for name, sql in queries.items():
        rows = sorted(db.execute(sql).fetchall(), key=repr)
        h = hashlib.sha256()
        for row in rows:
            h.update(repr(row).encode())
        total.update(h.digest())
        print(f"{name:13} {len(rows):9} rows  {h.hexdigest()[:16]}")
    print("history", total.hexdigest())

main()
