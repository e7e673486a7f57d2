#!/usr/bin/env bash
# Redis sink throughput vs raw redis-benchmark on the same machine (results: load-tests/RESULTS.md, "Redis sink").
# Usage: load-tests/redis-sink/run.sh [writes-per-run, default 400000]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v redis-benchmark >/dev/null || { echo "redis-benchmark missing: sudo apt-get install -y redis-server" >&2; exit 1; }
mvn -q test-compile
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-cp.txt >/dev/null
OPENS=$(sed -n 's:.*<flinkJvmOpens>\(.*\)</flinkJvmOpens>.*:\1:p' pom.xml)
exec java $OPENS -Xmx2g -Dlog4j2.level=WARN -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" com.shopsense.sink.RedisSinkBenchmark "$@"
