#!/usr/bin/env bash
# Submits the shaded job JAR to the running cluster, detached, and prints "JobID <id>" last.
# Usage: deploy/cluster/submit.sh [-p PARALLELISM] [-s SAVEPOINT_PATH] [--] [--job.option value ...]
#   -p  job parallelism (default: the cluster's parallelism.default); do not also pass --job.parallelism,
#       which would override it
#   -s  start from this savepoint / retained checkpoint (resume.sh sets it)
# Job options: README "Configuration". JOB_JAR overrides the JAR (default target/shopsense-job-*.jar).
source "$(dirname "$0")/common.sh"
CLI_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -p) CLI_ARGS+=(-p "$2"); shift 2;;
    -s) CLI_ARGS+=(-s "$2"); shift 2;;
    --) shift; break;;
    *) break;;
  esac
done
[ -f "$JOB_JAR" ] || die "job JAR $JOB_JAR missing: mvn -q -B -DskipTests package"
out="$(flink_cli run -d "${CLI_ARGS[@]}" "$JOB_JAR" "$@" 2>&1)" || { echo "$out" >&2; die "submission failed"; }
echo "$out" | grep -v '^$' >&2
id="$(echo "$out" | sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' | tail -n1)"
[ -n "$id" ] || die "no JobID in the CLI output"
echo "JobID $id"
