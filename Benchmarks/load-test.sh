#!/usr/bin/env bash
# Bounded load test on loopback: `biomed-r1 serve` and llama.cpp's `llama-server` on the same GGUF,
# the same threads and the same number of parallel slots, one after the other; each gets 32
# concurrent clients for 60 s, then 1 and 8 clients. Prints one table: generated tokens/s, p50/p99
# latency, requests, errors, and the server's RSS before and after. Stops by itself.
#
# usage: Benchmarks/load-test.sh [--only biomed|llama]
# env:   MODEL (default: the embedded SmolLM2 Q4_1), THREADS (2), PARALLEL (8), CTX per slot (1024),
#        MAX_TOKENS per answer (64), DURATION_32 (60), DURATION (30, for 1 and 8 clients),
#        BIOMED (.build/release/biomed-r1), LLAMA_SERVER (/tmp/llamacpp/build/bin/llama-server)
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${MODEL:-${BIOMED_R1_HOME:-$HOME/.cache/biomed-r1}/models/SmolLM2-135M-Instruct.Q4_1.gguf}"
THREADS="${THREADS:-2}"; PARALLEL="${PARALLEL:-8}"; CTX="${CTX:-1024}"; MAX_TOKENS="${MAX_TOKENS:-64}"
DURATION_32="${DURATION_32:-60}"; DURATION="${DURATION:-30}"
BIOMED="${BIOMED:-.build/release/biomed-r1}"; LLAMA_SERVER="${LLAMA_SERVER:-/tmp/llamacpp/build/bin/llama-server}"
ONLY="${2:-}"; [ "${1:-}" = "--only" ] || ONLY=""
[ -f "$MODEL" ] || { echo "load-test: no model at $MODEL (run biomed-r1 generate once to fetch it, or set MODEL)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT

# run NAME COMMAND...: starts the server, waits for /health (120 s at most), runs the three loads.
run() {
  local name=$1 port=$2; shift 2
  "$@" > "/tmp/load-test-$name.log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 120))
  until curl -sf -m 2 "http://127.0.0.1:$port/health" > /dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "load-test: $name exited; see /tmp/load-test-$name.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "load-test: $name not healthy within 120 s" >&2; exit 1; }
    sleep 0.5
  done
  # One short request first, so that first-use costs (page faults of the mapped weights) are not timed.
  curl -sf -m 120 "http://127.0.0.1:$port/v1/chat/completions" -H 'Content-Type: application/json' \
    -d '{"model":"m","messages":[{"role":"user","content":"Hi"}],"max_tokens":4}' > /dev/null
  local before; before=$(rss_mib "$SERVER_PID")
  for clients in 32 1 8; do
    local duration=$DURATION; [ "$clients" = 32 ] && duration=$DURATION_32
    local line; line=$(python3 Benchmarks/load_client.py "http://127.0.0.1:$port" "$clients" "$duration" "$MAX_TOKENS" 2>>"/tmp/load-test-$name.clients.log")
    echo "$name $line $before $(rss_mib "$SERVER_PID")" >> "$RESULTS"
  done
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

RESULTS=$(mktemp)
echo "load-test: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before; model $(basename "$MODEL"), $THREADS threads, $PARALLEL slots × $CTX positions, $MAX_TOKENS tokens per answer" >&2
if [ "$ONLY" != llama ]; then
  [ -x "$BIOMED" ] || { echo "load-test: build first: swift build -c release (or set BIOMED)" >&2; exit 1; }
  port=$(free_port)
  run biomed "$port" "$BIOMED" serve --model "$MODEL" --port "$port" -t "$THREADS" --parallel "$PARALLEL" --ctx "$CTX" --max-queued 256
fi
if [ "$ONLY" != biomed ]; then
  if [ -x "$LLAMA_SERVER" ]; then
    port=$(free_port)
    run llama.cpp "$port" "$LLAMA_SERVER" -m "$MODEL" --host 127.0.0.1 --port "$port" -t "$THREADS" -tb "$THREADS" \
      -np "$PARALLEL" -c $((CTX * PARALLEL)) --no-webui
  else
    echo "load-test: no llama-server at $LLAMA_SERVER; only biomed-r1 measured (README: building it)" >&2
  fi
fi
echo "load-test: load average $(cut -d' ' -f1-3 /proc/loadavg) after" >&2
python3 - "$RESULTS" <<'PY'
import json, sys
print(f"{'server':<10} {'clients':>7} {'requests':>8} {'errors':>6} {'gen tok/s':>9} {'p50 s':>6} {'p99 s':>6} {'RSS MiB before→after':>21}")
for line in open(sys.argv[1]):
    name, rest = line.split(" ", 1)
    payload, before, after = rest.rsplit(" ", 2)
    r = json.loads(payload)
    print(f"{name:<10} {r['clients']:>7} {r['requests']:>8} {r['errors']:>6} {r['tokens_per_s']:>9} {r['p50_s']:>6} {r['p99_s']:>6} {before + '→' + after.strip():>21}")
PY
rm -f "$RESULTS"
