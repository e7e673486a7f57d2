#!/usr/bin/env bash
# Regenerates the README "Configuration" table from JobOptions (between the options markers).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=compile >/dev/null
table=$(java -cp "target/classes:$(cat target/cp.txt)" com.shopsense.config.OptionsTable)
python3 - "$table" <<'PY'
import re, sys
readme = open("README.md").read()
new = re.sub(r"(<!-- options:begin -->\n).*?(<!-- options:end -->)", lambda m: m.group(1) + sys.argv[1] + "\n" + m.group(2), readme, flags=re.S)
open("README.md", "w").write(new)
PY
