#!/usr/bin/env bash
# The README's first command: the whole pipeline on this machine (real Kafka broker, local
# redis-server, Flink MiniCluster with RocksDB and checkpoints, the real models) on replayed real
# sessions: the demo slice bundled in deploy/demo-data, or with --datasets DIR (or SHOPSENSE_DATASETS) the
# full public slice there. Options: --duration S (0 = until Ctrl-C), --rate N, --copies N, --rows N,
# --fraud-every N, --malformed true|false, --reviews true|false, --web-ui-port P, --demo-port P, --bind-address A (default 127.0.0.1),
# plus any job option as --key value (docs/local-run.md, docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "redis-server missing: installing it with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is required: sudo apt-get install -y redis-server" >&2
    exit 1
  fi
fi

# Build (incremental) and resolve the full class path once: job, Flink, ORT, Kafka broker jars. The job
# (src/main) and the developer tools this runs (src/tools: LocalRun, broker and redis-server processes,
# replay, readers) both compile into target/classes.
if [ ! -f target/local-classpath.txt ] || [ pom.xml -nt target/local-classpath.txt ] \
   || [ -n "$(find src/main src/tools -newer target/local-classpath.txt -print -quit)" ]; then
  mvn -q -B -DskipTests compile dependency:build-classpath \
      -Dmdep.outputFile=target/local-classpath.txt -Dmdep.includeScope=test >&2
fi
OPENS=$(sed -n 's:.*<flinkJvmOpens>\(.*\)</flinkJvmOpens>.*:\1:p' pom.xml)
# exec: the script's PID becomes the JVM's, so a SIGINT or SIGTERM sent to it reaches the run itself,
# which stops the job, the broker JVM and redis-server before it exits (no shell left to forward to).
exec java -Xmx3g $OPENS -Dlog4j.configurationFile=deploy/log4j2-local.properties \
  -cp "target/classes:$(cat target/local-classpath.txt)" "${SHOPSENSE_MAIN:-com.shopsense.tools.local.LocalRun}" "$@"
