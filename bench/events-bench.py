#!/usr/bin/env python3
"""The events benchmark of issue 12 (docs/benchmarks.md, "GitHub events"), run as

    flock /tmp/census-bench.lock python3 bench/events-bench.py [--parts shared,synth,memory,queries]

against a release build (CENSUS, default .build-release/release/census). Every measurement is a
child process timed with os.wait4: wall time, CPU time (user + system of the process and the
children it waited for, so a pipeline's shell counts both sides) and peak resident memory.
census and its reference run interleaved, RUNS times each (default 3), and the medians and their
ratios come from the same run.

- shared: the shared hour files (../shared/data/gharchive or $CENSUS_SHARED) with one job: census
  ingest into a new SQLite file; `gzip -dc FILE >/dev/null` per file (the floor); `jq -c` extracting
  the fields census keeps (gzip -dc piped in); chDB (an in-process ClickHouse) reading the same
  files with JSONExtract on the same fields.
- synth: a synthetic set of at least 5 million events (bench/events-synth.py, in $SYNTH, default
  /tmp/census-events-synth): census with --jobs 1 and --jobs 2, gzip -dc of every file, jq and chDB
  on JQ_FILES files spread over the set (default 50; rates per core are what is compared).
- memory: peak memory of census ingest of the largest synthetic file and of the 50 largest.
- queries: on the 5 million stored events, `census events top` and `timeline` against the sqlite3
  shell running the same SQL (`--show-sql`), and against clickhouse-client on a ClickHouse server
  started here on loopback (Debian's 18.16) holding the same events; sizes of both stores.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CENSUS = os.environ.get("CENSUS", os.path.join(ROOT, ".build-release/release/census"))
SHARED = os.path.join(os.environ.get("CENSUS_SHARED", os.path.join(ROOT, "..", "shared")), "data", "gharchive")
SYNTH = os.environ.get("SYNTH", "/tmp/census-events-synth")
WORK = os.environ.get("WORK", "/tmp/census-events-bench")
RUNS = int(os.environ.get("RUNS", "3"))
JQ_FILES = int(os.environ.get("JQ_FILES", "50"))

# The fields census keeps, for jq and chDB.
JQ_FILTER = (
    "{id, type, created_at, actor: (if (.actor|type) == \"object\" then .actor.login else .actor end), "
    "repo: (.repo.name // ((.repository.owner // \"\") + \"/\" + (.repository.name // \"\"))), "
    "repo_id: (.repo.id // .repository.id), action: .payload.action, "
    "ref_type: (.payload.ref_type // .payload.object), merged: .payload.pull_request.merged, "
    "language: (.repository.language // .payload.pull_request.base.repo.language), "
    "company: .actor_attributes.company, location: .actor_attributes.location, url}"
)
CHDB_FIELDS = [
    "JSONExtractString(line, 'id')",
    "JSONExtractString(line, 'type')",
    "JSONExtractString(line, 'created_at')",
    "if(JSONType(line, 'actor') = 'String', JSONExtractString(line, 'actor'), JSONExtractString(line, 'actor', 'login'))",
    "if(JSONHas(line, 'repo'), JSONExtractString(line, 'repo', 'name'), "
    "concat(JSONExtractString(line, 'repository', 'owner'), '/', JSONExtractString(line, 'repository', 'name')))",
    "toString(JSONExtractInt(line, 'repo', 'id') + JSONExtractInt(line, 'repository', 'id'))",
    "JSONExtractString(line, 'payload', 'action')",
    "JSONExtractString(line, 'payload', 'ref_type')",
    "JSONExtractString(line, 'payload', 'object')",
    "toString(JSONExtractBool(line, 'payload', 'pull_request', 'merged'))",
    "JSONExtractString(line, 'repository', 'language')",
    "JSONExtractString(line, 'payload', 'pull_request', 'base', 'repo', 'language')",
    "JSONExtractString(line, 'actor_attributes', 'company')",
    "JSONExtractString(line, 'actor_attributes', 'location')",
    "JSONExtractString(line, 'url')",
]


def measure(command, stdout=subprocess.DEVNULL, env=None):
    """Runs a command; returns wall seconds, CPU seconds and peak memory (KiB)."""
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    if status != 0 and os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError("%s failed with %d" % (command[:3], os.waitstatus_to_exitcode(status)))
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kib": usage.ru_maxrss}


def medians(samples):
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def interleaved(named, runs=RUNS, before=None):
    """Runs each (name, command) once per round, `runs` rounds; `before(name)` prepares each run."""
    samples = {name: [] for name, _ in named}
    for _ in range(runs):
        for name, command in named:
            if before:
                before(name)
            samples[name].append(measure(command))
    return {name: medians(s) for name, s in samples.items()}


def count_lines(files):
    total = 0
    for path in files:
        out = subprocess.run(["sh", "-c", 'gzip -dc "$0" | wc -l', path], capture_output=True, text=True, check=True)
        total += int(out.stdout)
    return total


def fresh(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def floor_command(files):
    return ["sh", "-c", 'for f; do gzip -dc "$f" >/dev/null; done', "sh"] + files


def jq_command(files):
    return ["sh", "-c", 'for f; do gzip -dc "$f" | jq -c "$0" >/dev/null; done', JQ_FILTER] + files


def chdb_command(files):
    """chDB over the files (linked into one directory, since file()'s globs cannot list paths):
    the summed lengths of the extracted fields, so that no extraction can be skipped; the answer
    is printed to stdout and checked by the caller."""
    directory = tempfile.mkdtemp(prefix="census-chdb-")
    for path in files:
        os.symlink(os.path.abspath(path), os.path.join(directory, os.path.basename(path)))
    query = "SELECT count(), sum(%s) FROM file('%s/*.json.gz', 'LineAsString', 'line String')" % (
        " + ".join("length(%s)" % f for f in CHDB_FIELDS), directory)
    script = "import chdb, sys; print(chdb.query(sys.argv[1], 'CSV'), end='')"
    return ["python3", "-c", script, query]


def chdb_rows(files):
    """The number of lines chDB read (to check that it read them all)."""
    out = subprocess.run(chdb_command(files), capture_output=True, text=True, check=True).stdout
    return int(out.split(",")[0])


def ingest_parts(files, events, tag, jobs_list=(1,)):
    os.makedirs(WORK, exist_ok=True)
    database = os.path.join(WORK, tag + ".sqlite")
    named = [("census --jobs %d" % j, [CENSUS, "events", "ingest", "--jobs", str(j), "--db", database, "--format", "json"] + files)
             for j in jobs_list]
    named.append(("gzip -dc", floor_command(files)))

    def before(name):
        if name.startswith("census"):
            fresh(database)

    result = interleaved(named, before=before)
    for name, m in result.items():
        m["events_per_cpu_second"] = events / m["cpu"] if m["cpu"] > 0 else None
    return result, database


def part_shared(report):
    files = sorted(os.path.join(SHARED, f) for f in os.listdir(SHARED) if f.endswith(".json.gz"))
    events = count_lines(files)
    result, _ = ingest_parts(files, events, "shared")
    if chdb_rows(files) != events:
        raise RuntimeError("chDB did not read every line")
    extra = interleaved([("jq -c", jq_command(files)), ("chdb", chdb_command(files))])
    for name, m in extra.items():
        m["events_per_cpu_second"] = events / m["cpu"]
    result.update(extra)
    report["shared"] = {"files": len(files), "events": events, "bytes": sum(os.path.getsize(f) for f in files), "results": result}


def synth_files():
    if not os.path.exists(os.path.join(SYNTH, "SET")):
        subprocess.run(
            [sys.executable, os.path.join(ROOT, "bench", "events-synth.py"), SYNTH, "5000000"]
            + sorted(os.path.join(SHARED, f) for f in os.listdir(SHARED) if f.endswith(".json.gz")), check=True)
    return sorted(os.path.join(SYNTH, f) for f in os.listdir(SYNTH) if f.endswith(".json.gz"))


def part_synth(report):
    files = synth_files()
    events = count_lines(files)
    result, database = ingest_parts(files, events, "synth", jobs_list=(1, 2))
    # Every k-th file, so the subset holds each year's shape in the set's proportions.
    subset = files[::max(1, len(files) // JQ_FILES)][:JQ_FILES]
    subset_events = count_lines(subset)
    if chdb_rows(subset) != subset_events:
        raise RuntimeError("chDB did not read every line")
    extra = interleaved([("jq -c", jq_command(subset)), ("chdb", chdb_command(subset)),
                         ("census --jobs 1 (subset)", [CENSUS, "events", "ingest", "--jobs", "1", "--db",
                                                        os.path.join(WORK, "subset.sqlite"), "--format", "json"] + subset)],
                        before=lambda name: fresh(os.path.join(WORK, "subset.sqlite")))
    for name, m in extra.items():
        m["events_per_cpu_second"] = subset_events / m["cpu"]
    report["synth"] = {
        "files": len(files), "events": events, "bytes": sum(os.path.getsize(f) for f in files), "results": result,
        "subset": {"files": len(subset), "events": subset_events, "results": extra},
    }
    # The last census run of the last round (--jobs 2) left the whole set stored: the queries use it.
    report["synth"]["sqlite_bytes"] = os.path.getsize(database)


def part_memory(report):
    # The largest files first (the 2014 copies, ~2 MB gzip, ~6,500 events each), so 1 file and
    # 50 files differ only in how many there are.
    files = sorted(synth_files(), key=os.path.getsize, reverse=True)
    out = {}
    for count in (1, 50):
        database = os.path.join(WORK, "memory.sqlite")
        samples = []
        for _ in range(RUNS):
            fresh(database)
            samples.append(measure([CENSUS, "events", "ingest", "--jobs", "1", "--db", database] + files[:count]))
        out[str(count)] = {"peak_rss_kib": max(s["rss_kib"] for s in samples), "median_rss_kib": statistics.median(s["rss_kib"] for s in samples),
                           "events": count_lines(files[:count]),
                           "biggest_file_bytes": max(os.path.getsize(f) for f in files[:count])}
    report["memory"] = out


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def start_clickhouse(directory):
    http, tcp, inter = free_ports(3)
    data = os.path.join(directory, "data") + "/"
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(directory, "users.xml"), "w") as f:
        f.write("""<?xml version="1.0"?><yandex><profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
<users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
<quotas><default></default></quotas></yandex>""")
    with open(os.path.join(directory, "config.xml"), "w") as f:
        f.write("""<?xml version="1.0"?><yandex><logger><level>warning</level><log>%(d)s/server.log</log><errorlog>%(d)s/error.log</errorlog></logger>
<listen_host>127.0.0.1</listen_host><http_port>%(http)d</http_port><tcp_port>%(tcp)d</tcp_port>
<interserver_http_port>%(inter)d</interserver_http_port><path>%(data)s</path><tmp_path>%(data)stmp/</tmp_path>
<user_files_path>%(data)suser_files/</user_files_path><format_schema_path>%(data)sformat_schemas/</format_schema_path>
<users_config>%(d)s/users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
<timezone>UTC</timezone><mark_cache_size>268435456</mark_cache_size></yandex>""" % {"d": directory, "http": http, "tcp": tcp, "inter": inter, "data": data})
    process = subprocess.Popen(["/usr/sbin/clickhouse-server", "--config-file=" + os.path.join(directory, "config.xml")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if urllib.request.urlopen("http://127.0.0.1:%d/ping" % http, timeout=1).read().strip() == b"Ok.":
                return process, http, tcp
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("clickhouse-server did not start")


QUESTIONS = [
    ("top --metric stars --by repo", ["top", "--metric", "stars", "--by", "repo"]),
    ("top --metric events --by type", ["top", "--metric", "events", "--by", "type"]),
    ("top --metric prs-opened --by language", ["top", "--metric", "prs-opened", "--by", "language"]),
    ("timeline --metric pushes --by month", ["timeline", "--metric", "pushes", "--by", "month"]),
    ("timeline --metric actors --by week", ["timeline", "--metric", "actors", "--by", "week"]),
]


def part_queries(report):
    files = synth_files()
    database = os.path.join(WORK, "synth.sqlite")
    if not os.path.exists(database):
        measure([CENSUS, "events", "ingest", "--jobs", "2", "--db", database] + files)
    out = {"sqlite": {}, "clickhouse": {}}
    for name, arguments in QUESTIONS:
        sql = subprocess.run([CENSUS, "events"] + arguments + ["--db", database, "--show-sql"], capture_output=True, text=True, check=True).stdout
        named = [("census", [CENSUS, "events"] + arguments + ["--db", database]), ("sqlite3", ["sqlite3", database, sql])]
        measure(named[0][1])  # warm the page cache
        out["sqlite"][name] = interleaved(named, runs=max(RUNS, 5))
    directory = tempfile.mkdtemp(prefix="census-events-ch-")
    process, http, tcp = start_clickhouse(directory)
    try:
        location = "clickhouse://default@127.0.0.1:%d/census" % http
        out["clickhouse_ingest"] = measure([CENSUS, "events", "ingest", "--jobs", "2", "--db", location] + files)
        for name, arguments in QUESTIONS:
            sql = subprocess.run([CENSUS, "events"] + arguments + ["--db", location, "--show-sql"], capture_output=True, text=True, check=True).stdout
            named = [("census", [CENSUS, "events"] + arguments + ["--db", location]),
                     ("clickhouse-client", ["clickhouse-client", "--port", str(tcp), "--database", "census", "--multiquery", "--query", sql])]
            measure(named[0][1])
            out["clickhouse"][name] = interleaved(named, runs=max(RUNS, 5))
        size = subprocess.run(["clickhouse-client", "--port", str(tcp), "--query",
                               "SELECT sum(data_compressed_bytes), sum(data_uncompressed_bytes), sum(rows) FROM system.parts "
                               "WHERE database = 'census' AND table = 'github_events' AND active"], capture_output=True, text=True, check=True).stdout.split()
        out["clickhouse_bytes"] = {"compressed": int(size[0]), "uncompressed": int(size[1]), "rows": int(size[2])}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(directory, ignore_errors=True)
    out["sqlite_bytes"] = os.path.getsize(database)
    out["events"] = int(subprocess.run(["sqlite3", database, "SELECT count(*) FROM github_events"], capture_output=True, text=True).stdout)
    report["queries"] = out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", default="shared,synth,memory,queries")
    parser.add_argument("--out", default=os.path.join(WORK, "events-bench.json"))
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    report = {"census": CENSUS, "runs": RUNS, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "load_before": os.getloadavg(), "cpus": os.cpu_count()}
    for part in args.parts.split(","):
        globals()["part_" + part](report)
        report["load_after_" + part] = os.getloadavg()
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
