#!/usr/bin/env python3
"""`census contributors --commits all --by company` against an independent, gitdm-style count.

No repository with a long history and real authors is available offline here, so this builds one
with `git fast-import` whose authors are the gitdm files' own people: addresses sampled (seeded)
from developers_affiliations5.txt (each with the dates its lines give), addresses at domains of
domain-map, secondary addresses of aliases, free-mail and unknown addresses, and bots; commit
dates from 2012 to 2021, merges, documentation-only and empty-diff commits.

The reference count reads `git log --format=%H%x00%ae%x00%at%x00%P` and the gitdm files with its
own parser (below; it shares no code with census) and counts, per company, every commit whose
author is not a bot (`[bot]` in the name or address), merges included, the way gitdm's
affiliation rules read:
  1. the address, lowercased, `!` read as `@`, replaced along the aliases file;
  2. the company line of the address's developer whose range holds the author date's UTC day
     (`until` exclusive; when several hold, the one that started last);
  3. else the domain-map line of the address's domain, then of each parent domain, whose range
     holds the day (lines of a domain sorted by their `<` end date; the undated one last);
  4. else Unknown;
  then the company-names-mapping (`Variant -> Canonical`, exact names, followed to the end).

Usage (from the package root):
  python3 bench/gitdm-check.py [CENSUS] [COMMITS]
CENSUS defaults to .build/release/census, COMMITS to 20000. The gitdm files come from
$CENSUS_SHARED/data/gitdm or ../shared/data/gitdm. Prints both tables' differences and a summary.
"""
import collections, datetime, os, random, subprocess, sys, tempfile

census = sys.argv[1] if len(sys.argv) > 1 else ".build/release/census"
commits_wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
shared = os.environ.get("CENSUS_SHARED", "../shared")
gitdm = os.path.join(shared, "data", "gitdm")
if not os.path.isdir(gitdm):
    sys.exit(f"no gitdm files at {gitdm}: set CENSUS_SHARED")
work = os.environ.get("CENSUS_BENCH_DIR", "/tmp/census-bench")
os.makedirs(work, exist_ok=True)

# ---------------------------------------------------------------- the gitdm files, read here
def day(text):
    return datetime.date.fromisoformat(text)

affiliations = collections.defaultdict(list)   # address -> [(start, end, company)]
current = []
for line in open(os.path.join(gitdm, "developers_affiliations5.txt"), encoding="utf-8"):
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    if line[0] not in " \t":
        _, rest = line.split(":", 1)
        current = [w.strip().lower().replace("!", "@") for w in rest.split(",")]
        current = [a for a in current if "@" in a]
        continue
    text = line.strip()
    start = end = None
    if " until " in text and text.split(" until ")[-1][:1].isdigit():
        text, until = text.rsplit(" until ", 1)
        end = day(until.strip())
    if " from " in text and text.split(" from ")[-1][:1].isdigit():
        text, since = text.rsplit(" from ", 1)
        start = day(since.strip())
    for address in current:
        affiliations[address].append((start, end, text.strip()))

domains = collections.defaultdict(list)  # domain -> [(end or None, company)]
for line in open(os.path.join(gitdm, "domain-map"), encoding="utf-8"):
    if not line.strip() or line.startswith("#"):
        continue
    parts = line.split(None, 1)
    if len(parts) < 2:
        continue
    domain, rest = parts[0].lower().replace("!", "@"), parts[1].strip()
    end = None
    if "<" in rest:
        rest, date = rest.rsplit("<", 1)
        end = day(date.strip())
    domains[domain].append((end, rest.strip()))

aliases = {}
for line in open(os.path.join(gitdm, "aliases"), encoding="utf-8"):
    if not line.strip() or line.startswith("#"):
        continue
    parts = line.lower().replace("!", "@").split()
    if len(parts) == 2 and parts[0] not in aliases:
        aliases[parts[0]] = parts[1]

mapping = {}
for line in open(os.path.join(gitdm, "company-names-mapping"), encoding="utf-8"):
    if line.startswith("#") or " -> " not in line:
        continue
    variant, canonical = line.rstrip("\n").split(" -> ", 1)
    mapping.setdefault(variant.strip(), canonical.strip())

def canonical_name(name):
    seen = set()
    while name in mapping and name not in seen and mapping[name] != name:
        seen.add(name)
        name = mapping[name]
    return name

def company(address, when):
    address = address.lower().replace("!", "@")
    seen = set()
    while address in aliases and address not in seen:
        seen.add(address)
        address = aliases[address]
    holding = [(s or datetime.date.min, c) for s, e, c in affiliations.get(address, [])
               if (s is None or s <= when) and (e is None or when < e)]
    if holding:
        return canonical_name(max(holding, key=lambda x: x[0])[1])
    labels = address.split("@", 1)[-1].split(".")
    for k in range(len(labels) - 1):
        rules = domains.get(".".join(labels[k:]))
        if not rules:
            continue
        previous = None
        for end, name in sorted(rules, key=lambda r: (r[0] is None, r[0] or datetime.date.max)):
            if (previous is None or previous <= when) and (end is None or when < end):
                return canonical_name(name)
            previous = end
    return "Unknown"

# ---------------------------------------------------------------- the repository
repo = os.path.join(work, f"gitdm-{commits_wanted}.git")
if not os.path.isdir(repo):
    random.seed(15)
    people = sorted(a for a in affiliations if not a.endswith("users.noreply.github.com"))
    sampled = random.sample(people, 400)
    at_domains = [f"dev{i}@{d}" for i, d in enumerate(random.sample(sorted(domains), 120))]
    secondary = random.sample(sorted(aliases), 60)
    others = [f"person{i}@gmail.com" for i in range(40)] + [f"x{i}@unlisted-{i}.example" for i in range(40)]
    bots = ["49699333+dependabot[bot]@users.noreply.github.com", "k8s-ci-robot[bot]@example.com"]
    authors = sampled + at_domains + secondary + others + bots
    weights = [5] * len(sampled) + [3] * len(at_domains) + [2] * len(secondary) + [1] * len(others) + [20, 10]
    start = datetime.datetime(2012, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
    span = datetime.datetime(2021, 12, 31, tzinfo=datetime.timezone.utc).timestamp() - start
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", repo], check=True)
    out = []
    times = sorted(int(start + random.random() * span) for _ in range(commits_wanted))
    mark = 0
    main = None
    side = None
    for n, t in enumerate(times):
        author = random.choices(authors, weights)[0]
        name = author.split("@")[0].replace("[bot]", "") + (" [bot]" if "[bot]" in author else "")
        mark += 1
        branch = "refs/heads/side" if n % 25 in (5, 6, 7) else "refs/heads/main"
        out.append(f"commit {branch}\nmark :{mark}\nauthor {name} <{author}> {t} +0000\n"
                   f"committer {name} <{author}> {t} +0000\ndata {len(str(n)) + 1}\nc{n}\n")
        if branch == "refs/heads/side":
            out.append(f"from :{side or main}\n" if (side or main) else "")
            side = mark
        else:
            if main:
                out.append(f"from :{main}\n")
            if side and n % 25 == 8:
                out.append(f"merge :{side}\n")
                side = None
            main = mark
        kind = n % 10
        if kind == 0:
            body = f"# notes {n}\n"
            out.append(f"M 100644 inline README.md\ndata {len(body)}\n{body}\n")
        elif kind != 9:  # kind 9: an empty commit
            body = f"package p\nvar v{n} = {n}\n"
            out.append(f"M 100644 inline pkg/f{n % 300}.go\ndata {len(body)}\n{body}\n")
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input="".join(out).encode(), check=True)
    subprocess.run(["git", "-C", repo, "update-ref", "-d", "refs/heads/side"], check=False)

# ---------------------------------------------------------------- the independent count
log = subprocess.run(["git", "-C", repo, "log", "--format=%H%x00%ae%x00%an%x00%at%x00%P", "main"],
                     capture_output=True, check=True).stdout.decode()
reference = collections.Counter()
merges = total = bots = 0
for line in log.splitlines():
    h, email, name, at, parents = line.split("\0")
    total += 1
    if "[bot]" in email or "[bot]" in name:
        bots += 1
        continue
    merges += len(parents.split()) > 1
    when = datetime.datetime.fromtimestamp(int(at), datetime.timezone.utc).date()
    reference[company(email, when)] += 1

# ---------------------------------------------------------------- census
db = os.path.join(work, "gitdm-check.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db + suffix):
        os.remove(db + suffix)
files = ["--affiliations", os.path.join(gitdm, "developers_affiliations5.txt"), "--domain-map", os.path.join(gitdm, "domain-map"),
         "--aliases", os.path.join(gitdm, "aliases"), "--company-names", os.path.join(gitdm, "company-names-mapping")]
subprocess.run([census, "history", repo, "--no-lines", "--db", db] + files, check=True, capture_output=True)
table = subprocess.run([census, "contributors", "--commits", "all", "--by", "company", "--limit", "100000",
                        "--format", "csv", "--db", db], check=True, capture_output=True).stdout.decode()
counted = collections.Counter()
import csv, io
for row in list(csv.reader(io.StringIO(table)))[1:]:
    counted[row[1]] = int(row[2])

# Names: gitdm compares companies by exact name, census by a normalised key (docs/people.md,
# "Company names") and shows one spelling. The same companies are compared here under a key made
# by this script's own simple rule: lowercase letters and digits only, trailing legal forms off.
import re
LEGAL = {"inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "gmbh", "ag", "sa", "as", "ab",
         "bv", "nv", "plc", "srl", "spa", "oy", "kk", "pty", "sas", "se", "lp", "llp"}
def key(name):
    words = re.findall(r"[a-z0-9]+", name.lower())
    while len(words) > 1 and words[-1] in LEGAL:
        words.pop()
    return "".join(words)
def by_key(counts):
    keyed = collections.Counter()
    names = collections.defaultdict(set)
    for name, n in counts.items():
        keyed[key(name)] += n
        names[key(name)].add(name)
    return keyed, names
ref_keyed, ref_names = by_key(reference)
cen_keyed, cen_names = by_key(counted)

print(f"repository: {repo}: {total} commits ({merges} merges of people, {bots} bot commits left out)")
print(f"companies: reference {len(reference)}, census {len(counted)}; commits: reference {sum(reference.values())}, census {sum(counted.values())}")
same = sorted(c for c in reference if counted.get(c) == reference[c])
differ = sorted(set(reference) | set(counted), key=lambda c: -(reference.get(c, 0) + counted.get(c, 0)))
differ = [c for c in differ if counted.get(c) != reference.get(c)]
print(f"identical per company: {len(same)} companies, {sum(reference[c] for c in same)} commits")
print("| company | reference | census |")
print("|---|---:|---:|")
for c in differ:
    print(f"| {c} | {reference.get(c, 0)} | {counted.get(c, 0)} |")
print()
print("by company key (the same company under either spelling):")
agree = [k for k in ref_keyed if cen_keyed.get(k) == ref_keyed[k]]
print(f"identical: {len(agree)} of {len(set(ref_keyed) | set(cen_keyed))} companies, {sum(ref_keyed[k] for k in agree)} of {sum(ref_keyed.values())} commits")
print("| company (reference / census spelling) | reference | census |")
print("|---|---:|---:|")
for k in sorted(set(ref_keyed) | set(cen_keyed), key=lambda k: -(ref_keyed.get(k, 0) + cen_keyed.get(k, 0))):
    if ref_keyed.get(k) != cen_keyed.get(k):
        print(f"| {' / '.join(sorted(ref_names.get(k, {'-'})))} / {' / '.join(sorted(cen_names.get(k, {'-'})))} | {ref_keyed.get(k, 0)} | {cen_keyed.get(k, 0)} |")
print("top 10 (reference):")
for c, n in reference.most_common(10):
    print(f"  {c}: {n} (census {counted.get(c, 0)})")
