#!/usr/bin/env bash
# End-to-end check of the cluster deployment (issue 7), on this machine, no Docker:
#   a real Kafka broker (KRaft, kafka_2.13 jars), redis-server, the standalone cluster of build-lib.sh;
#   a replayed real slice (Taobao UserBehavior rows + synthetic payments + malformed records) produced
#   at a fixed rate into one input topic, read by two submissions of the shaded job JAR:
#     A "plain"   parallelism 1, uninterrupted
#     B "resumed" parallelism 1, stopped with a savepoint mid-stream, resumed from it with parallelism 2
#   When both consumer groups have committed the end of the input, both jobs are stopped with --drain
#   (fires every timer: open sessions close) and their outputs are compared: Redis state (recommendations,
#   score hashes, alert sets), fraud alerts by alertId, closed sessions, dead letters. Wall-clock fields
#   (alert emittedAt) are ignored and decimals may differ in their last digits (micro-batch composition).
#   It also checks that the three submissions shared one TaskManager JVM without a native-library clash
#   (ONNX Runtime loaded parent-first from lib/).
# Prints PASS/FAIL with numbers; exit 0 on PASS. Stops everything it started (trap).
# Env: ROWS (40000) RATE records/s (700) FRAUD_EVERY (25) STOP_AT fraction of input before the stop (0.3)
#      SKIP_BUILD=1 (reuse target/ and the classpath file) KEEP=1 (leave the work dir for inspection)
source "$(dirname "$0")/common.sh"
ROWS="${ROWS:-40000}"; RATE="${RATE:-700}"; FRAUD_EVERY="${FRAUD_EVERY:-25}"; STOP_AT="${STOP_AT:-0.3}"
KAFKA_PORT="${KAFKA_PORT:-19092}"; REDIS_PORT="${REDIS_PORT:-16379}"
WORK="$FLINK_HOME/e2e"
T0=$SECONDS
log() { printf '[e2e %4ds] %s\n' $((SECONDS - T0)) "$*"; }
FAIL=0
fail() { echo "FAIL: $*"; FAIL=1; }

PIDS=()
cleanup() {
  set +e
  log "cleaning up"
  "$CLUSTER_DIR/stop-cluster.sh" >/dev/null 2>&1
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null
  done
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK/kafka" "$WORK/redis"
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$KAFKA_PORT" $((KAFKA_PORT + 1)) "$REDIS_PORT" "$REST_PORT"; do
  port_free "$p" || die "port $p is in use (set KAFKA_PORT / REDIS_PORT / REST_PORT)"
done

# --- build: job JAR, tool classes, class path; cluster lib/ and conf/ --------------------------------
# The build outputs are copied to $WORK/build at once: other builds in target/ cannot pull them away.
cd "$REPO_DIR"
rm -rf "$WORK" "$FLINK_HOME/data" "$FLINK_HOME/log"
mkdir -p "$WORK"/{kafka,redis,out,build} "$FLINK_HOME/log"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the job JAR and the replay tool (mvn package)"
  mvn -q -B -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/local-classpath.txt -Dmdep.includeScope=test
fi
cp "$JOB_JAR" "$WORK/build/shopsense-job.jar" && cp -r target/classes target/test-classes "$WORK/build/" \
  && cp target/local-classpath.txt "$WORK/build/" || die "build outputs missing in target/ (run without SKIP_BUILD)"
export JOB_JAR="$WORK/build/shopsense-job.jar"
"$CLUSTER_DIR/build-lib.sh" --checkpoint-interval "2 s" --slots 4 --tm-memory "3 g"
TOOL_CP="$WORK/build/test-classes:$WORK/build/classes:$(cat "$WORK/build/local-classpath.txt")"
tool() { "$JAVA" -Xmx512m -XX:+UseSerialGC -Dlog4j2.level=WARN -Dlog4j.configurationFile="$WORK/log4j2-tools.properties" \
           -cp "$TOOL_CP" com.shopsense.deploy.ReplayTool "$@"; }
printf 'rootLogger.level=WARN\nrootLogger.appenderRef.c.ref=c\nappender.c.type=Console\nappender.c.name=c\nappender.c.target=SYSTEM_ERR\nappender.c.layout.type=PatternLayout\nappender.c.layout.pattern=%%d %%p %%c{1} %%m%%n\nlogger.k.name=org.apache.kafka\nlogger.k.level=ERROR\n' > "$WORK/log4j2-tools.properties"

# --- Kafka (KRaft, one node) and Redis ------------------------------------------------------------
cat > "$WORK/kafka/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$WORK/kafka/data
num.partitions=2
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
# The replay carries 2017 event times and the alert sink stamps records with the event time: with the
# default time-based retention (7 d) the broker deletes those segments minutes after they roll.
log.retention.ms=-1
PROPS
KAFKA_JAVA=("$JAVA" -Xms128m -Xmx768m -XX:+UseSerialGC -Dlog4j.configurationFile="$WORK/log4j2-tools.properties" -cp "$TOOL_CP")
"${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)" \
    -c "$WORK/kafka/server.properties" > "$WORK/kafka/format.log" 2>&1 || { cat "$WORK/kafka/format.log"; die "kafka format failed"; }
"${KAFKA_JAVA[@]}" kafka.Kafka "$WORK/kafka/server.properties" > "$WORK/kafka/broker.log" 2>&1 &
PIDS+=($!)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save "" --appendonly no \
    --logfile "$WORK/redis/redis.log" --databases 4 &
PIDS+=($!)
BOOT="127.0.0.1:$KAFKA_PORT"
for _ in $(seq 1 60); do tool topics "$BOOT" 2 e2e-events 2>/dev/null && break; sleep 1; done
tool topics "$BOOT" 2 e2e-events e2e-plain-dlq e2e-plain-sessions e2e-plain-alerts \
    e2e-resumed-dlq e2e-resumed-sessions e2e-resumed-alerts
redis-cli -p "$REDIS_PORT" ping >/dev/null || die "redis-server not answering"
log "Kafka on $BOOT, redis-server on 127.0.0.1:$REDIS_PORT"

# --- cluster ----------------------------------------------------------------------------------------
"$CLUSTER_DIR/start-cluster.sh"
TM_PID="$(cat "$FLINK_HOME/run/taskmanager.pid")"

# watermark.idleness 10 min: `flink stop --drain` on a job whose source has gone idle (no new records for
# watermark.idleness, default 30 s) fired no event-time timers in our runs: the open sessions of the job
# that had been idle longest were never closed, the other job's were. Both jobs here see a steady replay,
# so idleness plays no part in their results; a long idleness keeps the drain effective for both.
job_args() { # name redis-db
  echo --watermark.idleness 10min --kafka.bootstrap-servers "$BOOT" --kafka.topic.events e2e-events \
    --kafka.topic.dlq "e2e-$1-dlq" --kafka.topic.sessions "e2e-$1-sessions" --kafka.publish-sessions true \
    --kafka.topic.alerts "e2e-$1-alerts" \
    --kafka.group-id "e2e-$1" --kafka.transactional-id-prefix "e2e-$1" --kafka.starting-offsets earliest \
    --redis.nodes "127.0.0.1:$REDIS_PORT" --redis.database "$2" --models.dir "$REPO_DIR/onnx-models" \
    --privacy.allow-dev-key true
}
last_word() { tail -n1 | awk '{print $2}'; }

# --- replay and the two jobs --------------------------------------------------------------------------
TOTAL="$(tool count "$ROWS" "$FRAUD_EVERY")"
STOP_MIN="$(awk -v t="$TOTAL" -v f="$STOP_AT" 'BEGIN { printf "%d", t * f }')"

# shellcheck disable=SC2046
JOB_A="$("$CLUSTER_DIR/submit.sh" -p 1 -- $(job_args plain 1) 2>"$WORK/submit-a.err" | last_word)"
[ -n "$JOB_A" ] || { cat "$WORK/submit-a.err"; die "submission A failed"; }
await_tasks_running "$JOB_A" 120
log "submission 1: job A (uninterrupted, p=1) $JOB_A running"
# shellcheck disable=SC2046
JOB_B="$("$CLUSTER_DIR/submit.sh" -p 1 -- $(job_args resumed 2) 2>"$WORK/submit-b.err" | last_word)"
[ -n "$JOB_B" ] || { cat "$WORK/submit-b.err"; die "submission B failed"; }
await_tasks_running "$JOB_B" 120
log "submission 2: job B (p=1) $JOB_B running"

log "replaying $TOTAL records ($ROWS Taobao rows + synthetic payments + malformed) at $RATE/s"
tool produce "$BOOT" e2e-events "$ROWS" "$FRAUD_EVERY" "$RATE" > "$WORK/producer.out" 2>&1 &
PRODUCER=$!; PIDS+=($PRODUCER)

tool await "$BOOT" e2e-resumed e2e-events "$STOP_MIN" 300 >/dev/null || die "job B did not commit $STOP_MIN records"
kill -0 "$PRODUCER" 2>/dev/null && REPLAY_AT_STOP="still running" || REPLAY_AT_STOP="finished"
SP="$("$CLUSTER_DIR/stop-with-savepoint.sh" "$JOB_B" 2>"$WORK/stop-b.err" | last_word)"
[ -n "$SP" ] || { cat "$WORK/stop-b.err"; die "stop-with-savepoint of B failed"; }
AT_STOP="$(tool committed "$BOOT" e2e-resumed e2e-events)"
SESSIONS_AT_STOP="$(tool dump "$BOOT" "127.0.0.1:$REDIS_PORT" 2 shopsense e2e-resumed-sessions e2e-resumed-alerts e2e-resumed-dlq "$WORK/out/at-stop")"
log "job B stopped with savepoint $SP ($AT_STOP of $TOTAL, replay $REPLAY_AT_STOP at the stop; outputs so far: $SESSIONS_AT_STOP)"
SP_SIZE="$(du -sh "${SP#file:}" | cut -f1)"

# shellcheck disable=SC2046
JOB_B2="$("$CLUSTER_DIR/resume.sh" "$SP" -p 2 -- $(job_args resumed 2) 2>"$WORK/resume-b.err" | last_word)"
[ -n "$JOB_B2" ] || { cat "$WORK/resume-b.err"; die "resume of B failed"; }
await_tasks_running "$JOB_B2" 120
PAR_B2="$(rest "/jobs/$JOB_B2" | grep -o '"parallelism":[0-9]*' | sort | uniq -c | tr '\n' ' ')"
log "submission 3: job B resumed from the savepoint with p=2: $JOB_B2 (vertex parallelisms: $PAR_B2)"
SP_A="$("$CLUSTER_DIR/savepoint.sh" "$JOB_A" 2>"$WORK/savepoint-a.err" | last_word)"
[ -n "$SP_A" ] && [ -f "${SP_A#file:}/_metadata" ] || { cat "$WORK/savepoint-a.err"; fail "savepoint of the running job A"; }
[ "$(job_state "$JOB_A")" = RUNNING ] || fail "job A not running after its savepoint"
log "savepoint of the running job A (it keeps running): $SP_A"

wait "$PRODUCER" || die "the replay producer failed: $(cat "$WORK/producer.out")"
log "$(tail -n1 "$WORK/producer.out")"
tool await "$BOOT" e2e-plain e2e-events -1 600 >/dev/null || die "job A did not reach the end of the input"
tool await "$BOOT" e2e-resumed e2e-events -1 600 >/dev/null || die "job B did not reach the end of the input"
log "both consumer groups committed the end of the input; stopping both jobs with --drain"
"$CLUSTER_DIR/stop-with-savepoint.sh" --drain "$JOB_A" >/dev/null 2>"$WORK/stop-a.err" || { cat "$WORK/stop-a.err"; die "stop A"; }
"$CLUSTER_DIR/stop-with-savepoint.sh" --drain "$JOB_B2" >/dev/null 2>"$WORK/stop-b2.err" || { cat "$WORK/stop-b2.err"; die "stop B"; }

# --- compare ----------------------------------------------------------------------------------------
OUT_A="$(tool dump "$BOOT" "127.0.0.1:$REDIS_PORT" 1 shopsense e2e-plain-sessions e2e-plain-alerts e2e-plain-dlq "$WORK/out/plain")"
OUT_B="$(tool dump "$BOOT" "127.0.0.1:$REDIS_PORT" 2 shopsense e2e-resumed-sessions e2e-resumed-alerts e2e-resumed-dlq "$WORK/out/resumed")"
echo "uninterrupted (A): $OUT_A"
echo "stop+resume  (B): $OUT_B"
tool compare "$WORK/out/plain" "$WORK/out/resumed" | tee "$WORK/compare.txt" || fail "outputs of B differ from A"
[ -s "$WORK/out/plain/sessions.txt" ] || fail "no closed sessions at all"
[ -s "$WORK/out/plain/alerts.txt" ] || fail "no fraud alerts at all"
AT_STOP_N="$(echo "$AT_STOP" | awk '{print $2}')"
[ "$AT_STOP_N" -lt "$TOTAL" ] || fail "B was not stopped mid-stream ($AT_STOP)"

# --- one TaskManager JVM for all three submissions, ONNX Runtime from lib/ -----------------------------
TM_LOG="$FLINK_HOME/log/taskmanager.log"
kill -0 "$TM_PID" 2>/dev/null || fail "the TaskManager JVM died"
CLASH="$(cat "$TM_LOG" "$FLINK_HOME/log/taskmanager.out" | grep -c -E 'UnsatisfiedLinkError|already loaded in another classloader' || true)"
[ "$CLASH" = 0 ] || fail "native-library errors in the TaskManager log: $CLASH"
FAILED_JOBS="$(rest /jobs/overview | grep -o '"state":"FAILED"' | wc -l || true)"
[ "$FAILED_JOBS" = 0 ] || fail "$FAILED_JOBS failed jobs"
RESTARTS="$(grep -c 'switched from RUNNING to FAILED' "$FLINK_HOME/log/jobmanager.log" || true)"
[ "$RESTARTS" = 0 ] || fail "$RESTARTS task failures in the JobManager log"
ORT_JAR="$(ls "$FLINK_LIB_DIR"/onnxruntime_gpu-*.jar | xargs -n1 basename)"
echo "TaskManager pid $TM_PID alive for all 3 submissions; $ORT_JAR in lib/; native-library errors: $CLASH; failed jobs: $FAILED_JOBS; task failures: $RESTARTS"
echo "savepoint: $SP ($SP_SIZE); B stopped at: $AT_STOP; elapsed $((SECONDS - T0)) s"
if [ "$FAIL" = 0 ]; then echo "PASS"; else echo "FAIL"; exit 1; fi
