#!/usr/bin/env bash
# Our engine and llama.cpp side by side: same GGUF files, same threads, same machine, alternating,
# one table of tokens/s with the ratios. Not a test: the source of every speed figure we quote.
#
#   Benchmarks/compare-llamacpp.sh [-p 512] [-n 128] [-t 1,2] [-r 5] [-m Q4_1,Q8_0,F16] [-b 16]
#
# -m takes SmolLM2's types and GGUF paths (the random 8B-shaped Q8_0, say), labelled by file name.
#
# With -b N, also N sequences decoding together (tgN xB): ours `bench -b`, llama.cpp's llama-batched-bench
# (one-token prompts, its tg speed over all sequences, the median of -r runs).
#
# llama.cpp comes from the llama-cpp-python==0.3.36 sdist (its vendor/llama.cpp), built once with
# cmake (Release, native) under $BIOMED_R1_HOME/bench. The models are the embedded SmolLM2-135M
# Q4_1 GGUF and Q8_0 / F16 copies made from it with llama-quantize --allow-requantize.
set -euo pipefail
cd "$(dirname "$0")/.."
prompt=512 gen=128 threads=1,2 reps=5 models=Q4_1,Q8_0,F16 batch=
while getopts "p:n:t:r:m:b:" opt; do
  case $opt in
    p) prompt=$OPTARG ;; n) gen=$OPTARG ;; t) threads=$OPTARG ;; r) reps=$OPTARG ;; m) models=$OPTARG ;; b) batch=$OPTARG ;;
    *) echo "usage: $0 [-p N] [-n N] [-t 1,2] [-r N] [-m Q4_1,Q8_0,F16,FILE.gguf] [-b N]" >&2; exit 2 ;;
  esac
done
home="${BIOMED_R1_HOME:-$HOME/.cache/biomed-r1}"
work="$home/bench"
mkdir -p "$work"

if [ ! -x "$work/llama.cpp/build/bin/llama-bench" ] || [ ! -x "$work/llama.cpp/build/bin/llama-quantize" ] \
   || [ ! -x "$work/llama.cpp/build/bin/llama-batched-bench" ]; then
  echo "building llama.cpp (llama-cpp-python==0.3.36 sdist) once…" >&2
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python llama-cpp-python==0.3.36 -d "$tmp"
  tar -xzf "$tmp"/llama_cpp_python-0.3.36.tar.gz -C "$tmp"
  rm -rf "$work/llama.cpp" && mv "$tmp/llama_cpp_python-0.3.36/vendor/llama.cpp" "$work/llama.cpp" && rm -rf "$tmp"
  command -v cmake >/dev/null || python3 -m pip install --quiet cmake ninja
  cmake -S "$work/llama.cpp" -B "$work/llama.cpp/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON \
    -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DBUILD_SHARED_LIBS=OFF >/dev/null
  cmake --build "$work/llama.cpp/build" --target llama-bench llama-quantize llama-batched-bench -j "$(nproc)" >/dev/null
fi
bin="$work/llama.cpp/build/bin"

build="${BUILD_PATH:-.build}"   # SwiftPM's build folder, if not the default
swift build -c release --build-path "$build" --product biomed-r1 >&2
ours="$build/release/biomed-r1"
"$ours" tokenize "fetch" >/dev/null   # fetches and caches the embedded model on first use
q41="$home/models/SmolLM2-135M-Instruct.Q4_1.gguf"
for type in Q8_0 F16; do
  [ -f "$work/smollm2-$type.gguf" ] || "$bin/llama-quantize" --allow-requantize "$q41" "$work/smollm2-$type.gguf" "$type" >/dev/null 2>&1
done

results=$(mktemp)
IFS=, read -ra model_list <<< "$models"
IFS=, read -ra thread_list <<< "$threads"
for model in "${model_list[@]}"; do
  file="$work/smollm2-$model.gguf"; [ "$model" = Q4_1 ] && file="$q41"
  case $model in *.gguf) file="$model"; model=$(basename "$model" .gguf) ;; esac
  [ -f "$file" ] || { echo "no model file '$file' (-m takes Q4_1, Q8_0, F16 or a .gguf path)" >&2; exit 2; }
  for t in "${thread_list[@]}"; do
    # Alternate the engines per configuration so that both see the same machine state.
    "$bin/llama-bench" -m "$file" -t "$t" -p "$prompt" -n "$gen" -r "$reps" -fa 0 -o json 2>/dev/null \
      | python3 -c 'import json,sys,statistics as s
for r in json.load(sys.stdin):
    test = "pp%d" % r["n_prompt"] if r["n_prompt"] else "tg%d" % r["n_gen"]
    print(json.dumps({"engine": "llama.cpp", "model": sys.argv[1], "test": test, "threads": r["n_threads"], "median": s.median(r["samples_ts"])}))' "$model" >> "$results"
    if [ -n "$batch" ]; then
      for _ in $(seq "$reps"); do
        "$bin/llama-batched-bench" -m "$file" -t "$t" -c $(( (gen + 1) * batch + 16 )) -b 2048 -ub 512 -npp 1 \
          -ntg "$gen" -npl "$batch" -fa off --output-format jsonl 2>/dev/null | grep '^{'
      done | python3 -c 'import json,sys,statistics as s
runs = [json.loads(l) for l in sys.stdin]
print(json.dumps({"engine": "llama.cpp", "model": sys.argv[1], "test": "tg%d x%d" % (runs[0]["tg"], runs[0]["pl"]),
                  "threads": runs[0]["n_threads"], "median": s.median(r["speed_tg"] for r in runs)}))' "$model" >> "$results"
    fi
    "$ours" bench -m "$file" -t "$t" -p "$prompt" -n "$gen" -r "$reps" ${batch:+-b "$batch"} --json \
      | python3 -c 'import json,sys
for line in sys.stdin:
    r = json.loads(line); r["engine"] = "ours"; r["model"] = sys.argv[1]; print(json.dumps(r))' "$model" >> "$results"
  done
done

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
key = lambda r: (r["model"], r["test"], r["threads"])
theirs = {key(r): r["median"] for r in rows if r["engine"] == "llama.cpp"}
print("| model | test | threads | llama.cpp t/s | ours t/s | ours ÷ llama.cpp |")
print("|---|---|---:|---:|---:|---:|")
for r in rows:
    if r["engine"] != "ours": continue
    t = theirs.get(key(r))
    ratio = f"{r['median'] / t:.2f}×" if t else "–"
    print(f"| {r['model']} | {r['test']} | {r['threads']} | {t or 0:.1f} | {r['median']:.1f} | {ratio} |")
PY
rm -f "$results"
