#!/usr/bin/env python3
"""Compare census's language detection with Debian's github-linguist 7.22.1 on a real tree.

    bench/compare-linguist.py TREE [--name NAME] [--work DIR] [--census PATH] [--top N]

The tree is copied into a fresh git repository (github-linguist reads committed trees), then
`github-linguist --breakdown --json` and `census scan --hidden --no-ignore --by-file --format json`
run on it (census also reads hidden files, and ignore rules do not apply to committed files). Prints
Markdown:

1. per language with at least 1% share in either tool: both percentages and the difference
   (target: within 0.5 percentage points);
2. per file: of the files Linguist counts, how many census puts in the same language (target: 99%);
3. the disagreements grouped by (Linguist's language, census's language), with examples;
4. both tools' wall times.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import time

GIT_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": "/dev/null", "LC_ALL": "C"}


def make_repository(tree, work, name):
    repo = os.path.join(work, name)
    if os.path.isdir(os.path.join(repo, ".git")):
        return repo
    if os.path.exists(repo):
        shutil.rmtree(repo)
    os.makedirs(work, exist_ok=True)
    subprocess.run(["cp", "-a", tree.rstrip("/") + "/.", repo + "/"], check=False)
    if not os.path.isdir(repo):
        shutil.copytree(tree, repo, symlinks=True)
    # A tree unpacked from a package may carry a .git of its own; this must be a fresh repository.
    shutil.rmtree(os.path.join(repo, ".git"), ignore_errors=True)
    git = ["git", "-c", "user.email=census@invalid", "-c", "user.name=census", "-c", "core.hooksPath=/dev/null", "-C", repo]
    subprocess.run(git + ["init", "-q"], check=True, env=GIT_ENV)
    # -f: commit ignored files too, so both tools see the whole tree.
    subprocess.run(git + ["add", "-A", "-f", "."], check=True, env=GIT_ENV)
    subprocess.run(git + ["commit", "-q", "-m", "snapshot"], check=True, env=GIT_ENV)
    return repo


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("--name")
    ap.add_argument("--work", default="/tmp/census-linguist")
    ap.add_argument("--census", default=".build/release/census")
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    name = args.name or os.path.basename(os.path.normpath(args.tree))
    repo = make_repository(args.tree, args.work, name)

    started = time.time()
    linguist_out = subprocess.run(["github-linguist", "--breakdown", "--json", repo],
                                  capture_output=True, check=True).stdout
    linguist_seconds = time.time() - started
    linguist = json.loads(linguist_out)

    started = time.time()
    census_out = subprocess.run([args.census, "scan", repo, "--hidden", "--no-ignore", "--by-file", "--format", "json"],
                                capture_output=True).stdout
    census_seconds = time.time() - started
    census = json.loads(census_out)

    # Languages.
    l_share = {lang: float(v["percentage"]) for lang, v in linguist.items()}
    c_share = {e["name"]: e["percentage"] for e in census["breakdown"]}
    print(f"### {name}\n")
    print("| language | Linguist % | census % | difference (points) | within 0.5? |")
    print("|---|---:|---:|---:|---|")
    worst = 0.0
    for lang in sorted(set(l_share) | set(c_share), key=lambda k: -max(l_share.get(k, 0), c_share.get(k, 0))):
        a, b = l_share.get(lang, 0.0), c_share.get(lang, 0.0)
        if max(a, b) < 1.0:
            continue
        worst = max(worst, abs(a - b))
        print(f"| {lang} | {a:.2f} | {b:.2f} | {b - a:+.2f} | {'yes' if abs(a - b) <= 0.5 else 'NO'} |")

    # Files.
    prefix = repo.rstrip("/") + "/"
    linguist_files = {}
    for lang, v in linguist.items():
        for f in v["files"]:
            linguist_files[f] = lang
    group = {}
    census_files = {}
    for f in census.get("files", []):
        path = f["path"][len(prefix):] if f["path"].startswith(prefix) else f["path"]
        census_files[path] = f
    # census reports a file's own language; the breakdown counts its group (Unix Assembly → Assembly).
    languages = json.loads(subprocess.run([args.census, "languages", "--format", "json"], capture_output=True).stdout)
    for l in languages["languages"]:
        group[l["name"]] = l["group"] or l["name"]

    agree = 0
    pairs = collections.Counter()
    examples = collections.defaultdict(list)
    for path, lang in linguist_files.items():
        f = census_files.get(path)
        if f is None:
            ours = "(not counted: binary, unrecognised or unreadable)"
        elif not f["in_breakdown"]:
            ours = f"({group.get(f['language'], f['language'])}, {f.get('category', '?')}: not in breakdown)"
        else:
            ours = group.get(f["language"], f["language"])
        if ours == lang:
            agree += 1
        else:
            pairs[(lang, ours)] += 1
            if len(examples[(lang, ours)]) < 3:
                examples[(lang, ours)].append(path)
    extra = [p for p, f in census_files.items() if f["in_breakdown"] and p not in linguist_files]
    total = len(linguist_files)
    print(f"\nFiles Linguist counts: {total}; census agrees on {agree} ({100.0 * agree / max(total, 1):.2f}%). "
          f"Largest share difference: {worst:.2f} points. census counts {len(extra)} more files Linguist does not.\n")
    if pairs:
        print("| Linguist | census | files | examples |")
        print("|---|---|---:|---|")
        for (a, b), n in pairs.most_common(args.top):
            print(f"| {a} | {b} | {n} | {', '.join('`' + e + '`' for e in examples[(a, b)])} |")
    if extra:
        kinds = collections.Counter(group.get(census_files[p]["language"], census_files[p]["language"]) for p in extra)
        print(f"\ncounted only by census: {', '.join(f'{k} {v}' for k, v in kinds.most_common(8))}; e.g. "
              + ", ".join(f"`{p}`" for p in extra[:3]))
    print(f"\nwall time: github-linguist {linguist_seconds:.1f} s ({total / max(linguist_seconds, 1e-9):.0f} counted files/s), "
          f"census {census_seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
