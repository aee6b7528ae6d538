# Sourced by the crash loops (crash-loop.sh, events-crash-loop.sh).
#
# kill_during MAX-MS COMMAND...: starts COMMAND in the background (so $! is the command itself;
# `env VAR=… census …` execs census in place), sends SIGKILL after a random delay within MAX-MS,
# and returns 0 when the kill landed (the command was still running and died of SIGKILL). The
# delay is left in $last_delay; the command's stderr goes to $work/stderr.log.
kill_during() {
    local max=$1; shift
    local delay=$(( (RANDOM * 32768 + RANDOM) % (max > 1 ? max : 1) ))
    "$@" >/dev/null 2>>"$work/stderr.log" &
    local pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -9 "$pid" 2>/dev/null || true
    local status=0
    wait "$pid" 2>/dev/null || status=$?
    last_delay=$delay
    [ "$status" -eq 137 ]
}
