#!/usr/bin/env bash
# Stops a job with a savepoint (flink stop): sources stop, a final savepoint is taken, Kafka
# transactions are committed. Prints "Savepoint <path>" last.
# Usage: deploy/cluster/stop-with-savepoint.sh [--drain] JOB_ID [TARGET_DIR]
#   --drain  emit MAX_WATERMARK first: every event-time timer fires (all open sessions close). Use it to
#            end a job for good, never before a resume/upgrade (the sessions would be closed early).
source "$(dirname "$0")/common.sh"
DRAIN=()
if [ "${1:-}" = "--drain" ]; then DRAIN=(--drain); shift; fi
[ $# -ge 1 ] || die "usage: stop-with-savepoint.sh [--drain] JOB_ID [TARGET_DIR]"
out="$(flink_cli stop "${DRAIN[@]}" ${2:+--savepointPath "$2"} "$1" 2>&1)" || { echo "$out" >&2; die "stop failed"; }
echo "$out" | grep -v '^$' >&2
path="$(echo "$out" | sed -n 's/.*Savepoint completed\. Path: \([^ ]*\).*/\1/p' | tail -n1)"
[ -n "$path" ] || die "no savepoint path in the CLI output"
echo "Savepoint $path"
