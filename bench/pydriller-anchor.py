#!/usr/bin/env python3
"""PyDriller beside census history: commits per second over the first N commits of a repository,
reading what census stores (author, dates, per-file lines added and removed).

    python3 bench/pydriller-anchor.py REPO [N]      (pip install pydriller)
"""
import sys, time
from pydriller import Repository

repo, limit = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
start = time.time()
n = added = 0
for commit in Repository(repo, order="reverse").traverse_commits():
    _ = (commit.author.email, commit.author_date, commit.committer_date, len(commit.parents))
    for f in commit.modified_files:
        added += f.added_lines
    n += 1
    if n >= limit:
        break
elapsed = time.time() - start
print(f"pydriller: {n} commits in {elapsed:.2f} s = {n / elapsed:.1f} commits/s ({added} lines added)")
