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

census follows Linguist 9.6's data (languages, heuristics, vendor/documentation/generated rules)
while the runnable reference is 7.22.1. A disagreement on a file whose decisive data differ between
the two versions (the languages that claim its name, an extension or its interpreter; the heuristics
for its extensions; a 9.6 rule that excludes it) is listed apart, with that cause; the agreement
target (99.9%) applies to the files where both versions' data agree. Languages 9.6 renamed (Coq →
Rocq Prover …) compare by Linguist's language id. The number of files census decides by its
documented default (where Linguist would ask its classifier) is reported too.

    --old-data DIR   7.22.1's lib/linguist (default: Debian's gem)
    --new-data DIR   9.6's data files (default: $CENSUS_SHARED or ../shared, data/linguist-9.6)
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import re
import time

import yaml

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


# generated.rb checks that 9.6 added or changed (names as in Data/linguist-rules.yml).
GENERATED_RULES_96 = {
    "go", "dart", "gimp", "gamemakerstudio", "postscript", "typescript_protocol_buffer", "twirp_ruby",
    "sorbet_rbi", "mysql_view_definition_format", "cargo_orig", "deno_lock", "flake_lock", "bazel_lock",
    "package_resolved", "pdm_lock", "uv_lock", "pixi_lock", "pnpm_lock", "bun_lock", "htmlcov",
    "gradle_wrapper", "maven_wrapper", "mise_lock", "secrets_baseline", "julia_manifest", "sqlx_query",
}

OLD_DATA = "/usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0/gems/github-linguist-7.22.1/lib/linguist"


def default_new_data():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates = [os.environ.get("CENSUS_SHARED"), os.path.join(root, "..", "shared"), os.path.join(root, "..", "..", "shared")]
    for shared in filter(None, candidates):
        if os.path.isdir(os.path.join(shared, "data", "linguist-9.6")):
            return os.path.join(shared, "data", "linguist-9.6")
    return os.path.join(root, "..", "shared", "data", "linguist-9.6")


class DataVersions:
    """What 7.22.1's and 9.6's data say about a path, to tell data changes from census's errors."""

    def __init__(self, old_dir, new_dir):
        self.old = yaml.safe_load(open(os.path.join(old_dir, "languages.yml")))
        self.new = yaml.safe_load(open(os.path.join(new_dir, "languages.yml")))
        new_by_id = {v["language_id"]: k for k, v in self.new.items()}
        # 7.22.1 name -> 9.6 name (renames by language id)
        self.rename = {k: new_by_id.get(v["language_id"], k) for k, v in self.old.items()}
        self.old_h = self._heuristics(yaml.safe_load(open(os.path.join(old_dir, "heuristics.yml"))), True)
        self.new_h = self._heuristics(yaml.safe_load(open(os.path.join(new_dir, "heuristics.yml"))), False)
        old_rules = set(yaml.safe_load(open(os.path.join(old_dir, "vendor.yml")))) | set(yaml.safe_load(open(os.path.join(old_dir, "documentation.yml"))))
        self.new_only_rules = (set(yaml.safe_load(open(os.path.join(new_dir, "vendor.yml"))))
                               | set(yaml.safe_load(open(os.path.join(new_dir, "documentation.yml"))))) - old_rules

    def _heuristics(self, h, old):
        out = {}
        for d in h["disambiguations"]:
            rules = json.dumps([{**r, "language": self._names(r["language"], old)} for r in d["rules"]], sort_keys=True)
            for x in d["extensions"]:
                out.setdefault(x, rules)
        return out

    def _names(self, language, old):
        langs = language if isinstance(language, list) else [language]
        return sorted(self.rename.get(l, l) if old else l for l in langs)

    def claims(self, data, key, value, old, fold=False):
        names = set()
        for name, d in data.items():
            items = d.get(key) or []
            if any((i.lower() == value.lower()) if fold else (i == value) for i in items):
                names.add(self.rename.get(name, name) if old else name)
        return names

    def cause(self, path, census_file):
        """Why 7.22.1 and 9.6 may decide this file differently, or None when their data agree."""
        base = path.rsplit("/", 1)[-1]
        if census_file is not None and census_file.get("excluded_by"):
            m = re.search(r"pattern (.*)$", census_file["excluded_by"])
            if m and m.group(1) in self.new_only_rules:
                return f"9.6 rule {m.group(1)}"
            m = re.match(r"generated: (\w+)$", census_file["excluded_by"])
            if m and m.group(1) in GENERATED_RULES_96:
                return f"9.6 generated rule `{m.group(1)}`"
        if self.claims(self.old, "filenames", base, True) != self.claims(self.new, "filenames", base, False):
            return f"file name {base}"
        lower = base.lower()
        for k, ch in enumerate(base):
            if ch == "." and k < len(base) - 1:
                x = base[k:]
                if self.claims(self.old, "extensions", x, True, True) != self.claims(self.new, "extensions", x, False, True):
                    return f"extension {x}"
                if self.old_h.get(x.lower()) != self.new_h.get(x.lower()):
                    return f"heuristics for {x}"
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("--name")
    ap.add_argument("--work", default="/tmp/census-linguist")
    ap.add_argument("--census", default=".build/release/census")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--old-data", default=OLD_DATA)
    ap.add_argument("--new-data", default=default_new_data())
    args = ap.parse_args()
    name = args.name or os.path.basename(os.path.normpath(args.tree))
    repo = make_repository(args.tree, args.work, name)

    # Linguist's answer for this snapshot is kept beside it (it takes minutes on the kernel);
    # delete the file to ask again.
    cached = repo.rstrip("/") + ".linguist.json"
    started = time.time()
    from_cache = os.path.exists(cached)
    if from_cache:
        linguist_out = open(cached, "rb").read()
    else:
        linguist_out = subprocess.run(["github-linguist", "--breakdown", "--json", repo],
                                      capture_output=True, check=True).stdout
        with open(cached, "wb") as f:
            f.write(linguist_out)
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

    versions = DataVersions(args.old_data, args.new_data)
    agree = 0
    changed = 0
    pairs = collections.Counter()
    causes = collections.Counter()
    examples = collections.defaultdict(list)
    for path, lang in linguist_files.items():
        lang = versions.rename.get(lang, lang)
        f = census_files.get(path)
        if f is None:
            ours = "(not counted: binary, unrecognised or unreadable)"
        elif not f["in_breakdown"]:
            ours = f"({group.get(f['language'], f['language'])}, {f.get('category', '?')}: not in breakdown)"
        else:
            ours = group.get(f["language"], f["language"])
        if ours == lang:
            agree += 1
            continue
        cause = versions.cause(path, f)
        if cause is not None:
            changed += 1
            causes[(lang, ours, cause)] += 1
            if len(examples[(lang, ours, cause)]) < 2:
                examples[(lang, ours, cause)].append(path)
            continue
        pairs[(lang, ours)] += 1
        if len(examples[(lang, ours)]) < 3:
            examples[(lang, ours)].append(path)
    extra = [p for p, f in census_files.items() if f["in_breakdown"] and p not in linguist_files]
    total = len(linguist_files)
    comparable = total - changed
    defaults = collections.Counter(
        group.get(f["language"], f["language"]) for f in census_files.values() if f.get("strategy") == "default")
    print(f"\nFiles Linguist counts: {total}; census agrees on {agree} ({100.0 * agree / max(total, 1):.2f}%). "
          f"Largest share difference: {worst:.2f} points. census counts {len(extra)} more files Linguist does not.\n")
    print(f"Where 7.22.1's and 9.6's data agree: {comparable} files, census agrees on {agree} "
          f"({100.0 * agree / max(comparable, 1):.3f}%); {changed} files differ because 9.6 changed the data.\n")
    print(f"Files census decides by its documented default (Linguist would ask its classifier): "
          f"{sum(defaults.values())} of {len(census_files)}"
          + (f" ({', '.join(f'{k} {v}' for k, v in defaults.most_common(8))})" if defaults else "") + ".\n")
    if causes:
        print("| Linguist 7.22.1 | census (9.6 data) | files | what 9.6 changed | examples |")
        print("|---|---|---:|---|---|")
        for (a, b, c), n in causes.most_common(args.top * 2):
            print(f"| {a} | {b} | {n} | {c} | {', '.join('`' + e + '`' for e in examples[(a, b, c)])} |")
        print()
    if pairs:
        print("| Linguist | census | files | examples |")
        print("|---|---|---:|---|")
        for (a, b), n in pairs.most_common(args.top):
            print(f"| {a} | {b} | {n} | {', '.join('`' + e + '`' for e in examples[(a, b)])} |")
    if extra:
        kinds = collections.Counter(group.get(census_files[p]["language"], census_files[p]["language"]) for p in extra)
        print(f"\ncounted only by census: {', '.join(f'{k} {v}' for k, v in kinds.most_common(8))}; e.g. "
              + ", ".join(f"`{p}`" for p in extra[:3]))
    linguist_time = ("cached in " + os.path.basename(cached) if from_cache
                     else f"{linguist_seconds:.1f} s ({total / max(linguist_seconds, 1e-9):.0f} counted files/s)")
    print(f"\nwall time: github-linguist {linguist_time}, census {census_seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
