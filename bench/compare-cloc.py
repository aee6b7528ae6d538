#!/usr/bin/env python3
"""Compare census with Debian's cloc, language by language and file by file.

    bench/compare-cloc.py TREE [--census PATH] [--cloc-csv FILE] [--top N]

Runs `census scan TREE --by-file --format csv` and `cloc --by-file --csv --skip-uniqueness
--timeout 0 TREE` (or reads a saved cloc CSV), then prints Markdown:

1. code-line totals per language as each tool reports them (its own file set), for the languages the
   scan issue names: Go, C (.c and .h together), Assembly, Shell, Python, Perl, Makefile;
2. the same totals over the files both tools count, which separates *which files* are counted
   (detection, hidden files, duplicates) from *how* a file is counted;
3. the files whose code counts differ most, to be explained in docs/counting.md.
"""
import argparse
import collections
import csv
import io
import os
import subprocess
import sys

# census language (Linguist's names) -> cloc languages counted as the same thing.
GROUPS = {
    "Go": {"census": {"Go"}, "cloc": {"Go"}},
    "C": {"census": {"C"}, "cloc": {"C", "C/C++ Header"}},
    "Assembly": {"census": {"Unix Assembly", "Assembly", "Motorola 68K Assembly"}, "cloc": {"Assembly"}},
    "Shell": {"census": {"Shell"}, "cloc": {"Bourne Shell", "Bourne Again Shell", "ksh", "zsh"}},
    "Python": {"census": {"Python"}, "cloc": {"Python"}},
    "Perl": {"census": {"Perl"}, "cloc": {"Perl"}},
    "Makefile": {"census": {"Makefile"}, "cloc": {"make"}},
}


def census_files(census, tree):
    out = subprocess.run([census, "scan", tree, "--by-file", "--format", "csv", "--sort", "name"],
                         check=False, capture_output=True).stdout.decode("utf-8", "replace")
    files = {}
    for row in csv.DictReader(io.StringIO(out)):
        files[os.path.normpath(row["path"])] = (row["language"], int(row["code"]), int(row["comments"]), int(row["blanks"]))
    return files


def cloc_files(tree, saved):
    if saved and os.path.exists(saved):
        text = open(saved, encoding="utf-8", errors="replace").read()
    else:
        text = subprocess.run(["cloc", "--quiet", "--skip-uniqueness", "--timeout", "0", "--by-file", "--csv", tree],
                              check=False, capture_output=True).stdout.decode("utf-8", "replace")
        if saved:
            open(saved, "w").write(text)
    files = {}
    for line in text.splitlines():
        # cloc writes "language,filename,blank,comment,code" without quoting: file names may hold
        # commas (the kernel's "qcom,gcc-sdm845.h"), so take the language from the left and the
        # three numbers from the right.
        parts = line.split(",")
        if len(parts) < 5 or parts[0] in ("language", "SUM") or not all(x.isdigit() for x in parts[-3:]):
            continue
        blank, comment, code = (int(x) for x in parts[-3:])
        files[os.path.normpath(",".join(parts[1:-3]))] = (parts[0], code, comment, blank)
    return files


def pct(a, b):
    return "n/a" if b == 0 else f"{100.0 * (a - b) / b:+.2f}%"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("--census", default=".build/release/census")
    ap.add_argument("--cloc-csv")
    ap.add_argument("--top", type=int, default=8)
    args = ap.parse_args()
    tree = os.path.normpath(args.tree)
    ce = census_files(args.census, tree)
    cl = cloc_files(tree, args.cloc_csv)

    print(f"### {tree}\n")
    print("| language | census files | census code | cloc files | cloc code | difference | same files: census code | cloc code | difference |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    details = {}
    for name, g in GROUPS.items():
        cf = {p: v for p, v in ce.items() if v[0] in g["census"]}
        lf = {p: v for p, v in cl.items() if v[0] in g["cloc"]}
        if not cf and not lf:
            continue
        both = set(cf) & set(lf)
        c_code, l_code = sum(v[1] for v in cf.values()), sum(v[1] for v in lf.values())
        cb, lb = sum(cf[p][1] for p in both), sum(lf[p][1] for p in both)
        print(f"| {name} | {len(cf)} | {c_code} | {len(lf)} | {l_code} | {pct(c_code, l_code)} | {cb} | {lb} | {pct(cb, lb)} |")
        details[name] = (cf, lf, both)

    for name, (cf, lf, both) in details.items():
        only_c = sorted(set(cf) - set(lf))
        only_l = sorted(set(lf) - set(cf))
        diffs = sorted(((cf[p][1] - lf[p][1], p) for p in both if cf[p][1] != lf[p][1]), key=lambda d: -abs(d[0]))
        if not (only_c or only_l or diffs):
            continue
        print(f"\n#### {name}\n")
        if only_c:
            kinds = collections.Counter(os.path.splitext(p)[1] or os.path.basename(p) for p in only_c)
            print(f"- counted by census only: {len(only_c)} files, {sum(cf[p][1] for p in only_c)} code lines; "
                  f"by name: {', '.join(f'{k} {v}' for k, v in kinds.most_common(6))}")
        if only_l:
            langs = collections.Counter(ce[p][0] if p in ce else "(not counted)" for p in only_l)
            print(f"- counted by cloc only: {len(only_l)} files, {sum(lf[p][1] for p in only_l)} code lines; "
                  f"census calls them: {', '.join(f'{k} {v}' for k, v in langs.most_common(6))}")
        if diffs:
            print(f"- same file, different code count: {len(diffs)} files, net {sum(d for d, _ in diffs):+d} code lines; largest:")
            for d, p in diffs[:args.top]:
                rel = os.path.relpath(p, tree)
                print(f"  - `{rel}`: census {cf[p][1]} code / {cf[p][2]} comments, cloc {lf[p][1]} / {lf[p][2]} ({d:+d})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
