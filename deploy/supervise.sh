#!/usr/bin/env bash
# deploy/supervise.sh COMMAND [ARGS...]: runs COMMAND and starts it again whenever it exits on its own (a crash,
# a kill -9, an out-of-memory kill), 1 s later; if it keeps dying within 30 s of its start, 2, 4 ... up to 30 s
# later. SIGTERM or SIGINT to the supervisor stops COMMAND (same signal) and then the supervisor.
# The services profile runs the Celery worker(s) and the one beat under it (README, "Operating it").
set -u

child=0
stopping=0
stop() {
    stopping=1
    if [ "$child" -gt 0 ]; then kill -TERM "$child" 2>/dev/null; fi
}
trap stop TERM INT

delay=1
while :; do
    started=$SECONDS
    "$@" &
    child=$!
    wait "$child"
    status=$?
    # A trapped signal ends `wait` early: wait again until the command has really exited.
    while kill -0 "$child" 2>/dev/null; do
        wait "$child"
        status=$?
    done
    child=0
    if [ "$stopping" = 1 ]; then exit "$status"; fi
    if ((SECONDS - started >= 30)); then delay=1; fi
    echo "supervise: '$*' exited with status $status; starting it again in ${delay}s" >&2
    sleep "$delay" &
    if ! wait $!; then kill $! 2>/dev/null; fi
    if [ "$stopping" = 1 ]; then exit "$status"; fi
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
done
