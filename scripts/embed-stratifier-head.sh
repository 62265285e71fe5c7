#!/usr/bin/env bash
# Trains the default stratifier head on the committed labelled set and embeds it in
# Sources/MedQA/Stratifier/DefaultStratifierHead.swift (so the tool needs no resource bundle).
# Usage: scripts/embed-stratifier-head.sh [extra `stratify train` options]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-path .build --product biomed-r1 >/dev/null
head=$(mktemp)
trap 'rm -f "$head"' EXIT
.build/debug/biomed-r1 stratify train Data/stratifier/labelled.jsonl -o "$head" "$@" | grep -v "^head written" | tee Data/stratifier/training-report.txt
python3 - "$head" <<'PY'
import json, sys
head = json.load(open(sys.argv[1]))
head["weights"] = [round(w, 7) for w in head["weights"]]
head["bias"] = [round(b, 7) for b in head["bias"]]
text = json.dumps(head, sort_keys=True, separators=(",", ":"))
path = "Sources/MedQA/Stratifier/DefaultStratifierHead.swift"
src = open(path).read()
start = src.index('static let json = #"""\n') + len('static let json = #"""\n')
end = src.index('\n"""#', start)
open(path, "w").write(src[:start] + text + src[end:])
PY
echo "embedded the head in Sources/MedQA/Stratifier/DefaultStratifierHead.swift"
