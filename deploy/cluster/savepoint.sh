#!/usr/bin/env bash
# Takes a savepoint of a running job, which keeps running; prints "Savepoint <path>" last.
# Usage: deploy/cluster/savepoint.sh JOB_ID [TARGET_DIR]   (default: execution.checkpointing.savepoint-dir)
source "$(dirname "$0")/common.sh"
[ $# -ge 1 ] || die "usage: savepoint.sh JOB_ID [TARGET_DIR]"
out="$(flink_cli savepoint "$1" ${2:+"$2"} 2>&1)" || { echo "$out" >&2; die "savepoint failed"; }
echo "$out" | grep -v '^$' >&2
path="$(echo "$out" | sed -n 's/.*Savepoint completed\. Path: \([^ ]*\).*/\1/p' | tail -n1)"
[ -n "$path" ] || die "no savepoint path in the CLI output"
echo "Savepoint $path"
