#!/usr/bin/env bash
# Stops the TaskManager and JobManager started by start-cluster.sh (by their pid files).
source "$(dirname "$0")/common.sh"
for d in taskmanager jobmanager; do
  pidf="$FLINK_HOME/run/$d.pid"
  [ -f "$pidf" ] || continue
  pid="$(cat "$pidf")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "$d stopped (pid $pid)"
  fi
  rm -f "$pidf"
done
