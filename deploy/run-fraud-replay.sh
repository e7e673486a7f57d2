#!/usr/bin/env bash
# Risk feedback loop end to end (README "Fraud labels"): the Fraud Detection Handbook's payments and
# their chargebacks replayed through the whole job (real Kafka broker, local redis-server, Flink
# MiniCluster with RocksDB), then alert precision/recall from the alert topic vs the job's totals in Redis.
# Options: --from 2018-06-01 --to 2018-08-01 --evaluate-from 2018-07-01 --label-delay-days 7 --out FILE
#          --fraud.feedback-features true|false (and any other job option as --key value).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is required: sudo apt-get install -y redis-server" >&2
  exit 1
fi
if [ ! -f target/local-classpath.txt ] || [ pom.xml -nt target/local-classpath.txt ] \
   || [ -n "$(find src/main -newer target/local-classpath.txt -print -quit)" ]; then
  mvn -q -B -DskipTests compile dependency:build-classpath \
      -Dmdep.outputFile=target/local-classpath.txt -Dmdep.includeScope=test >&2
fi
OPENS=$(sed -n 's:.*<flinkJvmOpens>\(.*\)</flinkJvmOpens>.*:\1:p' pom.xml)
exec java -Xmx3g $OPENS -Dlog4j.configurationFile=deploy/log4j2-local.properties \
  -cp "target/classes:$(cat target/local-classpath.txt)" com.shopsense.local.FraudFeedbackReplay "$@"
