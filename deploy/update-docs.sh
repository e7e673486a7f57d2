#!/usr/bin/env bash
# Regenerates the generated blocks of docs/ (options table, operator table) from the code; DocsInSyncTest
# fails when they drift. With --screenshots it also renders the merchandiser's page in headless Chromium
# (DemoPageIT, needs redis-server and chromium) and copies its screenshots to docs/images/ for the README.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp test -Dtest=DocsInSyncTest -Ddocs.update=true -Dsurefire.failIfNoSpecifiedTests=false
if [ "${1:-}" = "--screenshots" ]; then
  mvn -q -B -ntp verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DemoPageIT
  mkdir -p docs/images
  cp target/page-screenshots/merchandiser-*.png docs/images/
fi
