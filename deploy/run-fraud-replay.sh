#!/usr/bin/env bash
# Risk feedback loop end to end (README "Risk feedback"): the Fraud Detection Handbook's payments and
# their chargebacks replayed through the whole job (real Kafka broker, local redis-server, Flink
# MiniCluster with RocksDB), then alert precision/recall from the alert topic vs the job's totals in Redis.
# Options: --from 2018-06-01 --to 2018-08-01 --evaluate-from 2018-07-01 --label-delay-days 7 --out FILE
#          --fraud.feedback-features true|false (and any other job option as --key value).
# Same build and class path as the local run.
SHOPSENSE_MAIN=com.shopsense.tools.local.FraudFeedbackReplay exec "$(dirname "$0")/run-local.sh" "$@"
