#!/usr/bin/env bash
# Regenerates the generated blocks of docs/ (options table, operator table) from the code; DocsInSyncTest
# fails when they drift.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp test -Dtest=DocsInSyncTest -Ddocs.update=true -Dsurefire.failIfNoSpecifiedTests=false
