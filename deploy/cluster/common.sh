#!/usr/bin/env bash
# Shared settings of the standalone-cluster scripts (sourced, not run).
#   FLINK_HOME   the assembled cluster (default deploy/cluster/dist): lib/, conf/, log/, data/, run/
#   REST_PORT    the JobManager's REST port for local use (default 18081, leaves 8081 free)
#   JAVA         java binary (default: java on PATH)
set -euo pipefail
CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$CLUSTER_DIR/../.." && pwd)"
FLINK_HOME="${FLINK_HOME:-$CLUSTER_DIR/dist}"
REST_PORT="${REST_PORT:-18081}"
JAVA="${JAVA:-java}"
JOB_JAR="${JOB_JAR:-$REPO_DIR/target/shopsense-job-0.1.0-SNAPSHOT.jar}"
export FLINK_CONF_DIR="$FLINK_HOME/conf"
export FLINK_LIB_DIR="$FLINK_HOME/lib"

die() { echo "ERROR: $*" >&2; exit 1; }

require_dist() {
  [ -f "$FLINK_CONF_DIR/config.yaml" ] && [ -n "$(ls "$FLINK_LIB_DIR"/flink-runtime-*.jar 2>/dev/null)" ] \
    || die "no cluster at $FLINK_HOME: run deploy/cluster/build-lib.sh first"
}

# The JVM flags Flink 2.x needs on Java 17: env.java.opts.all of the cluster's config.yaml.
java_opts_all() {
  sed -n 's/^env\.java\.opts\.all:[[:space:]]*//p' "$FLINK_CONF_DIR/config.yaml" | tail -n1
}

flink_classpath() { echo "$FLINK_LIB_DIR/*"; }

# The Flink CLI (what bin/flink does): CliFrontend with lib/* on the class path and FLINK_CONF_DIR set.
flink_cli() {
  require_dist
  # shellcheck disable=SC2046
  "$JAVA" $(java_opts_all) -Xmx512m -Dlog.file="$FLINK_HOME/log/flink-client.log" \
    -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j-cli.properties" \
    -cp "$(flink_classpath)" org.apache.flink.client.cli.CliFrontend "$@"
}

rest() { curl -fsS --max-time 10 "http://127.0.0.1:$REST_PORT$1"; }

# Job state from the REST API (RUNNING, FINISHED, ...), empty when unknown.
job_state() { rest "/jobs/$1" 2>/dev/null | sed -n 's/.*"state":"\([A-Z_]*\)".*/\1/p' | head -n1; }

await_job_state() { # job-id state timeout-s
  local deadline=$((SECONDS + $3)) s=""
  while [ $SECONDS -lt $deadline ]; do
    s="$(job_state "$1")"
    [ "$s" = "$2" ] && return 0
    case "$s" in FAILED|CANCELED) die "job $1 is $s (see $FLINK_HOME/log)";; esac
    sleep 1
  done
  die "job $1 not $2 within $3 s (last state: ${s:-unknown})"
}

# All tasks of a job RUNNING (not only the job): a savepoint can only be taken then.
await_tasks_running() { # job-id timeout-s
  local deadline=$((SECONDS + $2)) counts
  while [ $SECONDS -lt $deadline ]; do
    counts="$(rest "/jobs/$1" 2>/dev/null | sed -n 's/.*"status-counts":{\([^}]*\)}.*/\1/p')"
    if echo "$counts" | grep -Eq '"RUNNING":[1-9]' \
       && ! echo "$counts" | grep -Eq '"(CREATED|SCHEDULED|DEPLOYING|INITIALIZING|RECONCILING)":[1-9]'; then
      return 0
    fi
    case "$(job_state "$1")" in FAILED|CANCELED|FINISHED) die "job $1 ended: $(job_state "$1")";; esac
    sleep 1
  done
  die "tasks of job $1 not all running within $2 s"
}
