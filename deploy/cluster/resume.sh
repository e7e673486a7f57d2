#!/usr/bin/env bash
# Resumes the job from a savepoint (or retained checkpoint), optionally with a new parallelism or a
# new job JAR (upgrade: same operator uids, see docs/deploy.md). Prints "JobID <id>" last.
# Usage: deploy/cluster/resume.sh SAVEPOINT_PATH [-p PARALLELISM] [--] [--job.option value ...]
# Pass the same job options as the first submission (topics, group, transactional-id prefix, ...).
source "$(dirname "$0")/common.sh"
[ $# -ge 1 ] || die "usage: resume.sh SAVEPOINT_PATH [-p N] [--job.option value ...]"
sp="$1"; shift
P=()
if [ "${1:-}" = "-p" ]; then P=(-p "$2"); shift 2; fi
[ "${1:-}" = "--" ] && shift
exec "$CLUSTER_DIR/submit.sh" -s "$sp" "${P[@]}" -- "$@"
