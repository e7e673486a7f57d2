#!/usr/bin/env bash
# The Flink CLI of the assembled cluster (bin/flink without flink-dist): flink.sh list | cancel ID | ...
source "$(dirname "$0")/common.sh"
flink_cli "$@"
