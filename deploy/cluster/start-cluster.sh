#!/usr/bin/env bash
# Starts a standalone session cluster on this machine: one JobManager and one TaskManager (what
# bin/start-cluster.sh does, without flink-dist). Memory flags come from Flink's own calculation
# (BashJavaUtils GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS on conf/config.yaml).
# Logs: $FLINK_HOME/log/{jobmanager,taskmanager}.{log,out}; pids: $FLINK_HOME/run/*.pid.
source "$(dirname "$0")/common.sh"
require_dist

# Prints the two result lines of a BashJavaUtils command: JVM flags, then -D dynamic properties.
resource_params() {
  local out
  out="$("$JAVA" -cp "$(flink_classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
         --configDir "$FLINK_CONF_DIR" 2>&1)" || { echo "$out" >&2; die "BashJavaUtils $1 failed"; }
  echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -n 2
}

start_daemon() { # name main-class jvm-flags dynamic-properties
  local name="$1" main="$2" jvm="$3" dyn="$4" pidf="$FLINK_HOME/run/$1.pid"
  if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pidf"))"; return 0
  fi
  # shellcheck disable=SC2086
  nohup "$JAVA" $jvm $(java_opts_all) -Dlog.file="$FLINK_HOME/log/$name.log" \
      -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j.properties" \
      -cp "$(flink_classpath)" "$main" --configDir "$FLINK_CONF_DIR" $dyn \
      > "$FLINK_HOME/log/$name.out" 2>&1 < /dev/null &
  echo $! > "$pidf"
  echo "$name started (pid $!)"
}

mapfile -t JM < <(resource_params GET_JM_RESOURCE_PARAMS)
mapfile -t TM < <(resource_params GET_TM_RESOURCE_PARAMS)
[ "${#TM[@]}" -eq 2 ] || die "unexpected BashJavaUtils output for the TaskManager: ${TM[*]}"
start_daemon jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "${JM[0]}" "${JM[1]:-}"
start_daemon taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner "${TM[0]}" "${TM[1]}"

# Ready when the REST API reports the TaskManager's slots.
deadline=$((SECONDS + ${START_TIMEOUT:-120}))
until rest /overview 2>/dev/null | grep -q '"slots-total":[1-9]'; do
  for d in jobmanager taskmanager; do
    kill -0 "$(cat "$FLINK_HOME/run/$d.pid")" 2>/dev/null || { tail -n 30 "$FLINK_HOME/log/$d.out" "$FLINK_HOME/log/$d.log" >&2; die "$d exited"; }
  done
  [ $SECONDS -lt $deadline ] || die "cluster not ready (see $FLINK_HOME/log)"
  sleep 1
done
echo "cluster up: http://127.0.0.1:$REST_PORT  $(rest /overview)"
