#!/usr/bin/env bash
# Creates (or reuses) the trainers' virtual environment with the pinned packages of requirements.txt and
# prints the path of its python. Used by .ci/run, the README and onnx-models/training/README.md:
#
#   PY=$(onnx-models/training/setup-venv.sh)          # default: onnx-models/.venv
#   "$PY" onnx-models/training/train_all.py
#
# Packages come from PIP_INDEX_URL (default: this machine's local index file:///opt/pypi/simple, whose
# find-links hold the torch CPU wheel); the public registry is not reachable from these machines. A venv
# whose recorded requirements equal requirements.txt is reused as it is (about 30 s to build a fresh one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:-$here/../.venv}"
req="$here/requirements.txt"
index="${PIP_INDEX_URL:-file:///opt/pypi/simple}"
stamp="$venv/.shopsense-requirements"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
  echo "$(cd "$venv" && pwd)/bin/python"
  exit 0
fi
echo "setup-venv: creating $venv from $req (index $index)" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check --index-url "$index" -r "$req" 2>&1 \
  | grep -v "^WARNING: Location" >&2 || true
# pip's exit status is hidden by the filter above: check that every pinned package is really there.
"$venv/bin/python" - "$req" <<'PY' >&2
import sys
from importlib.metadata import version, PackageNotFoundError
bad = []
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    try:
        have = version(name)
    except PackageNotFoundError:
        have = None
    if have != want:
        bad.append(f"{name}: want {want}, have {have}")
if bad:
    sys.exit("setup-venv: " + "; ".join(bad))
PY
cp "$req" "$stamp"
echo "$(cd "$venv" && pwd)/bin/python"
