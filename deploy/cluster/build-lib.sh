#!/usr/bin/env bash
# Assembles a Flink 2.2.1 standalone cluster from Maven Central (flink-dist is not published there):
#   $FLINK_HOME/lib   flink-runtime, -clients, -streaming-java, -statebackend-rocksdb, -runtime-web,
#                     -metrics-prometheus, log4j 2 (slf4j2 binding) and onnxruntime_gpu, with their
#                     dependencies (mvn dependency:copy-dependencies on deploy/cluster/lib-pom.xml)
#   $FLINK_HOME/conf  config.yaml = flink-conf/config.yaml with the local overrides below, log4j files
# Usage: deploy/cluster/build-lib.sh [--slots N] [--tm-memory SIZE] [--checkpoint-interval DURATION]
# Idempotent: lib/ is only re-copied when lib-pom.xml changed; conf/ is always rewritten.
source "$(dirname "$0")/common.sh"

SLOTS=4; TM_MEMORY="3 g"; CP_INTERVAL="10 s"
while [ $# -gt 0 ]; do
  case "$1" in
    --slots) SLOTS="$2"; shift 2;;
    --tm-memory) TM_MEMORY="$2"; shift 2;;
    --checkpoint-interval) CP_INTERVAL="$2"; shift 2;;
    *) die "unknown option $1";;
  esac
done

mkdir -p "$FLINK_HOME"/{lib,conf,log,data,run,tmp}
if [ ! -f "$FLINK_HOME/lib/.stamp" ] || [ "$CLUSTER_DIR/lib-pom.xml" -nt "$FLINK_HOME/lib/.stamp" ]; then
  rm -f "$FLINK_HOME"/lib/*.jar
  mvn -q -B -f "$CLUSTER_DIR/lib-pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$FLINK_HOME/lib"
  touch "$FLINK_HOME/lib/.stamp"
fi

# conf/config.yaml: the project's cluster config, with the keys of $OVERRIDES replaced (flat keys only).
OVERRIDES="$FLINK_HOME/conf/local-overrides.yaml"
cat > "$OVERRIDES" <<YAML
# --- local overrides (deploy/cluster/build-lib.sh): one machine, paths under $FLINK_HOME ---
execution.checkpointing.dir: file://$FLINK_HOME/data/checkpoints
execution.checkpointing.savepoint-dir: file://$FLINK_HOME/data/savepoints
execution.checkpointing.interval: $CP_INTERVAL
io.tmp.dirs: $FLINK_HOME/tmp
jobmanager.rpc.address: localhost
jobmanager.bind-host: localhost
taskmanager.host: localhost
taskmanager.bind-host: localhost
rest.address: localhost
rest.bind-address: 127.0.0.1
rest.port: $REST_PORT
taskmanager.numberOfTaskSlots: $SLOTS
taskmanager.memory.process.size: $TM_MEMORY
YAML
awk 'NR==FNR { if ($0 ~ /^[a-z]/) { k=$0; sub(/:.*/, "", k); drop[k]=1 } next }
     { k=$0; sub(/:.*/, "", k); if (!($0 ~ /^[a-z]/ && (k in drop))) print }' \
    "$OVERRIDES" "$REPO_DIR/flink-conf/config.yaml" > "$FLINK_HOME/conf/config.yaml"
cat "$OVERRIDES" >> "$FLINK_HOME/conf/config.yaml"

# Daemon logging (like flink-dist's conf/log4j.properties) and the CLI's (warnings on the console).
cat > "$FLINK_HOME/conf/log4j.properties" <<'PROPS'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = ${sys:log.file}
appender.main.append = true
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
PROPS
cat > "$FLINK_HOME/conf/log4j-cli.properties" <<'PROPS'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FileAppender
appender.file.name = FileAppender
appender.file.type = File
appender.file.fileName = ${sys:log.file}
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
PROPS

echo "cluster assembled in $FLINK_HOME: $(ls "$FLINK_HOME"/lib/*.jar | wc -l) jars in lib/ ($(du -sh "$FLINK_HOME/lib" | cut -f1)), REST port $REST_PORT, $SLOTS slots"
