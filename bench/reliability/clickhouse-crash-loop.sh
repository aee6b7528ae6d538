#!/usr/bin/env bash
# kill -9 in the middle of census's inserts into ClickHouse (a single clickhouse-server on loopback):
# census killed mid-insert, and the server killed mid-insert and restarted, for a manifest scan and
# for an events ingest. After each kill the run is repeated to completion and the database must hold
# no duplicate and no missing rows: the answers equal an uninterrupted run's byte for byte, and the
# rows queries can see (current scans' files, recorded files' events) equal the reference's in
# number and content (docs/reliability.md).
#
#   bench/reliability/clickhouse-crash-loop.sh [--census PATH] [--kills N] [--repos N] [--data DIR] [--work DIR]
#
# Rounds cycle through: scan/census, scan/server, events/census, events/server. A proxy
# (kill-proxy.py) sits between census and the server; each round it picks a random INSERT of the run
# (1 to the number the uninterrupted run sent) and a random point in its body (0 to every byte, the
# answer not yet read), forwards the body up to there and kills census or the server. Scans use
# the corpus of make-corpus.sh; events the GH Archive hour files of ../shared/data/gharchive (read in
# place, never copied).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

census=$ROOT/.build/debug/census
kills=20
repos=40
data=${CENSUS_SHARED:-$ROOT/../shared}/data/gharchive
work=${TMPDIR:-/tmp}/census-clickhouse-crash-loop
while [ $# -gt 0 ]; do
    case "$1" in
        --census) census=$2; shift 2 ;;
        --kills) kills=$2; shift 2 ;;
        --repos) repos=$2; shift 2 ;;
        --data) data=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        *) echo "clickhouse-crash-loop.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$census" ] || { echo "clickhouse-crash-loop.sh: no census at $census (swift build first, or --census)" >&2; exit 2; }
[ -x /usr/sbin/clickhouse-server ] || { echo "clickhouse-crash-loop.sh: clickhouse-server is not installed" >&2; exit 2; }
ls "$data"/*.json.gz >/dev/null 2>&1 || { echo "clickhouse-crash-loop.sh: no GH Archive hour files in $data (see ../shared/README.md, or --data)" >&2; exit 2; }

rm -rf "$work"
mkdir -p "$work/server/data" "$work/control"
"$ROOT/bench/reliability/make-corpus.sh" "$work" "$repos" >/dev/null

read -r http tcp inter proxy < <(python3 -c '
import socket
s = [socket.socket() for _ in range(4)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
server_dir=$work/server
cat >"$server_dir/users.xml" <<XML
<?xml version="1.0"?><yandex><profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
<users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
<quotas><default></default></quotas></yandex>
XML
cat >"$server_dir/config.xml" <<XML
<?xml version="1.0"?><yandex><logger><level>warning</level><log>$server_dir/server.log</log><errorlog>$server_dir/error.log</errorlog></logger>
<listen_host>127.0.0.1</listen_host><http_port>$http</http_port><tcp_port>$tcp</tcp_port>
<interserver_http_port>$inter</interserver_http_port><path>$server_dir/data/</path><tmp_path>$server_dir/data/tmp/</tmp_path>
<user_files_path>$server_dir/data/user_files/</user_files_path><format_schema_path>$server_dir/data/format_schemas/</format_schema_path>
<users_config>$server_dir/users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
<timezone>UTC</timezone><mark_cache_size>67108864</mark_cache_size><uncompressed_cache_size>67108864</uncompressed_cache_size></yandex>
XML

server_pid=
start_server() {
    /usr/sbin/clickhouse-server --config-file="$server_dir/config.xml" >>"$server_dir/stdout.log" 2>&1 &
    server_pid=$!
    echo "$server_pid" >"$work/control/server.pid"
    for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$http/ping" >/dev/null 2>&1 && return 0
        kill -0 "$server_pid" 2>/dev/null || { echo "clickhouse-server exited while starting:" >&2; tail -5 "$server_dir/error.log" >&2; return 1; }
        sleep 0.1
    done
    echo "clickhouse-server did not answer /ping within 30 s" >&2
    return 1
}
server_gone() { ! kill -0 "$server_pid" 2>/dev/null || grep -q '^Z' <(awk '{print $3}' "/proc/$server_pid/stat" 2>/dev/null); }
proxy_pid=
cleanup() {
    [ -n "$proxy_pid" ] && kill -9 "$proxy_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT
start_server
python3 "$ROOT/bench/reliability/kill-proxy.py" "$proxy" "$http" "$work/control" &
proxy_pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$proxy/ping" >/dev/null 2>&1 && break; sleep 0.1; done

sql() { curl -sS --fail-with-body "http://127.0.0.1:$http/?database=$1" --data-binary "$2"; }
location() { echo "clickhouse://default@127.0.0.1:$proxy/$1"; }

scan_args=(scan --manifest "$work/manifest.csv" --files --jobs 2 --quiet)
# Chunks of 2,000 events: each hour file is written in several INSERTs, so kills land between
# the chunks of a file (whose events must stay uncounted until its file row is written).
events_args=(events ingest "$data" --jobs 2 --chunk-events 2000 --quiet)

scan_answers() { # database → every answer of the scans
    local db; db=$(location "$1")
    {
        for by in org company; do "$census" top --language Go --by "$by" --format json --db "$db"; done
        "$census" repos --format json --db "$db" | grep -v '"scanned_at"\|"duration'
        "$census" share --language Go --by cohort --threshold 50% --format json --db "$db"
    } | grep -v '"version"'
}
events_answers() { # database → every events answer
    local db; db=$(location "$1")
    {
        for q in "events type" "events repo" "events org" "events language" "stars repo" "prs-opened language" \
            "actors org" "repos language" "prs-merged repo" "pushes repo"; do
            set -- $q
            "$census" events top --metric "$1" --by "$2" --limit 50 --include-bots --db "$db" --format json
        done
        for q in "events year" "events day" "pushes week" "actors day" "new-repos month"; do
            set -- $q
            "$census" events timeline --metric "$1" --by "$2" --include-bots --db "$db" --format json
        done
    } | grep -v '"version"'
}
# The rows queries see, in number and content; and the rows no query sees (left by killed inserts).
scan_rows() {
    local current="SELECT argMax(repository_id, tuple(saved_at, repository_id)) FROM repositories GROUP BY repository_key"
    sql "$1" "SELECT
        (SELECT count() FROM repositories WHERE repository_id IN ($current)),
        (SELECT count() FROM repository_files WHERE repository_id IN ($current)),
        (SELECT sum(cityHash64(path, language, category, code, comment, blank, bytes, strategy)) FROM repository_files WHERE repository_id IN ($current)),
        (SELECT count() FROM repository_languages WHERE repository_id IN ($current)),
        (SELECT count() FROM repository_cohorts WHERE repository_id IN ($current))
        FORMAT TSV" | tr '\t' ' '
}
scan_hidden() {
    sql "$1" "SELECT
        (SELECT count() FROM repositories) - (SELECT uniqExact(repository_key) FROM repositories),
        (SELECT count() FROM repository_files WHERE repository_id NOT IN (SELECT argMax(repository_id, tuple(saved_at, repository_id)) FROM repositories GROUP BY repository_key))
        FORMAT TSV" | awk '{print $1 " superseded scans, " $2 " file rows not current"}'
}
events_rows() {
    local recorded="SELECT file_id FROM github_event_files"
    sql "$1" "SELECT count(), uniqExact(event_id),
        (SELECT sum(h) FROM (SELECT DISTINCT cityHash64(event_id, created_at, type, repo, repo_id, org, actor, action, ref_type, merged, company, country, region, is_bot) AS h FROM github_events WHERE file_id IN ($recorded))),
        (SELECT count() FROM github_event_files), (SELECT uniqExact(name) FROM github_event_files WHERE status = 'complete')
        FROM github_events WHERE file_id IN ($recorded) FORMAT TSV" | tr '\t' ' '
}
events_hidden() {
    sql "$1" "SELECT count() FROM github_events WHERE file_id NOT IN (SELECT file_id FROM github_event_files) FORMAT TSV" |
        awk '{print $1 " event rows of unrecorded files"}'
}
run() { # kind database → runs census to completion (exit status returned)
    local kind=$1 db; db=$(location "$2")
    if [ "$kind" = scan ]; then "$census" "${scan_args[@]}" --db "$db" >/dev/null 2>>"$work/stderr.log"
    else "$census" "${events_args[@]}" --db "$db" >/dev/null 2>>"$work/stderr.log"; fi
}

t0=$(date +%s%N); run scan reference_scan; t1=$(date +%s%N); run events reference_events; t2=$(date +%s%N)
echo "corpus: $repos repositories ($(grep -c . "$work/manifest.csv") manifest lines); events: $(ls "$data"/*.json.gz | wc -l) hour files in $data"
echo "uninterrupted: scan $(( (t1 - t0) / 1000000 )) ms, events ingest $(( (t2 - t1) / 1000000 )) ms"
scan_answers reference_scan >"$work/scan.reference"
events_answers reference_events >"$work/events.reference"
scan_reference_rows=$(scan_rows reference_scan)
events_reference_rows=$(events_rows reference_events)
echo "reference scan rows (current repositories, files, files' hash, languages, cohorts): $scan_reference_rows"
echo "reference event rows (visible, distinct, content hash, file rows, complete files): $events_reference_rows"

# The number of INSERT requests of each kind of run: one more uninterrupted run of each, the proxy
# armed for an INSERT that never comes, counting.
for kind in scan events; do
    echo "count-$kind 1000000 0 census" >"$work/control/arm.tmp"; mv "$work/control/arm.tmp" "$work/control/arm"
    run "$kind" "count_$kind"
done
inserts_scan=$(grep -c "^count-scan " "$work/control/inserts.log")
inserts_events=$(grep -c "^count-events " "$work/control/inserts.log")
echo "INSERTs per run: scan $inserts_scan ($(grep "^count-scan " "$work/control/inserts.log" | cut -d' ' -f3 | sort | uniq -c | awk '{print $2 " " $1}' | paste -sd, -)), events ingest $inserts_events"

failures=0
fired=0
kinds=(scan:census scan:server events:census events:server)
for i in $(seq 1 "$kills"); do
    kind_action=${kinds[$(( (i - 1) % 4 ))]}
    kind=${kind_action%%:*}; action=${kind_action##*:}
    db=run$i
    total=$([ "$kind" = scan ] && echo "$inserts_scan" || echo "$inserts_events")
    number=$(( RANDOM % total + 1 ))
    fraction=$(python3 -c "import random; print(random.choice([0.0, 1.0]) if random.random() < 0.2 else round(random.random(), 4))")
    echo "round$i $number $fraction $action" >"$work/control/arm.tmp"; mv "$work/control/arm.tmp" "$work/control/arm"
    status=0
    if [ "$kind" = scan ]; then
        "$census" "${scan_args[@]}" --db "$(location "$db")" >/dev/null 2>>"$work/stderr.log" &
    else
        "$census" "${events_args[@]}" --db "$(location "$db")" >/dev/null 2>>"$work/stderr.log" &
    fi
    census_pid=$!
    echo "$census_pid" >"$work/control/census.pid"
    restarted=""
    if [ "$action" = server ]; then
        # Restart the server as soon as the proxy has killed it; census goes on meanwhile.
        while kill -0 "$census_pid" 2>/dev/null; do
            if grep -q "^round$i " "$work/control/fired" 2>/dev/null; then
                while ! server_gone; do sleep 0.05; done
                wait "$server_pid" 2>/dev/null || true
                t_restart=$(date +%s%N)
                start_server
                restarted=" server back in $(( ($(date +%s%N) - t_restart) / 1000000 )) ms;"
                break
            fi
            sleep 0.05
        done
    fi
    wait "$census_pid" 2>/dev/null || status=$?
    if [ "$action" = server ] && [ -z "$restarted" ] && ! curl -sf "http://127.0.0.1:$http/ping" >/dev/null 2>&1; then
        wait "$server_pid" 2>/dev/null || true
        start_server
        restarted=" server restarted after census ended;"
    fi
    # The proxy records a census kill once the server has answered the cut request: wait for it.
    if [ "$status" -eq 137 ]; then
        for _ in $(seq 1 600); do grep -q "^round$i " "$work/control/fired" 2>/dev/null && break; sleep 0.1; done
    fi
    echo "round$i 1000000 0 census" >"$work/control/arm.tmp"; mv "$work/control/arm.tmp" "$work/control/arm"
    what=$(grep "^round$i " "$work/control/fired" 2>/dev/null | cut -d' ' -f2- || true)
    [ -n "$what" ] && fired=$((fired + 1)) || what="insert $number of $total never came (census exit $status)"
    # What the killed run left visible: current repositories (scans) or recorded files (events).
    if [ "$kind" = scan ]; then
        left="$(sql "$db" "SELECT uniqExact(repository_key) FROM repositories FORMAT TSV" 2>/dev/null || echo 0) repositories current"
    else
        left="$(sql "$db" "SELECT uniqExact(name) FROM github_event_files FORMAT TSV" 2>/dev/null || echo 0) files recorded"
    fi
    # The rerun, to completion.
    rerun=0
    run "$kind" "$db" || rerun=$?
    if [ "$kind" = scan ]; then
        scan_answers "$db" >"$work/run$i.answers"; reference=$work/scan.reference
        rows=$(scan_rows "$db"); expected=$scan_reference_rows; hidden=$(scan_hidden "$db")
    else
        events_answers "$db" >"$work/run$i.answers"; reference=$work/events.reference
        rows=$(events_rows "$db"); expected=$events_reference_rows; hidden=$(events_hidden "$db")
    fi
    same=$(cmp -s "$reference" "$work/run$i.answers" && echo identical || echo DIFFER)
    counted=$([ "$rows" = "$expected" ] && echo "equal the reference's" || echo "DIFFER ($rows)")
    echo "kill $i ($kind, $action): $what;$restarted census exit $status, left $left; rerun exit $rerun; answers $same; visible rows $counted; left invisible: $hidden"
    if [ "$rerun" -ne 0 ] || [ "$same" != identical ] || [ "$rows" != "$expected" ]; then failures=$((failures + 1)); fi
done
echo "clickhouse crash loop: $kills rounds ($fired kills landed mid-insert), $failures failures; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$failures" -eq 0 ]
