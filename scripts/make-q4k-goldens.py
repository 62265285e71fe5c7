#!/usr/bin/env python3
"""Writes Tests/Fixtures/quantization/q4_k-goldens.json: f32 rows and the Q4_K bytes that llama.cpp's
own quantizer makes of them, so the Swift Q4_K quantizer can be checked byte for byte without llama.cpp.

The bytes come from ggml_quantize_chunk(GGML_TYPE_Q4_K, ..., imatrix NULL) — what llama-quantize runs
for a Q4_K tensor without an importance matrix, i.e. quantize_row_q4_K_ref — compiled against
llama.cpp's libggml-base.a (built without FMA, as a default llama.cpp build is) by ggml_quantize.py.

    python3 scripts/make-q4k-goldens.py [LLAMA_CPP_DIR]    # default /tmp/llamacpp (src/ and build/)

Needs numpy and a C compiler; CI never runs it.
"""
import base64
import json
import os
import sys

import numpy as np

from ggml_quantize import Q4_K, GGMLQuantizer

LLAMA = sys.argv[1] if len(sys.argv) > 1 else "/tmp/llamacpp"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "quantization",
                   "q4_k-goldens.json")


def cases():
    rng = np.random.default_rng(2024)
    yield "normal", rng.standard_normal((4, 512))
    yield "normal-0.02", rng.standard_normal((2, 256)) * 0.02
    yield "all-positive", rng.uniform(0.5, 3.0, (1, 256))
    yield "all-negative", -rng.uniform(0.1, 1.0, (1, 256))
    yield "heavy-tailed", rng.standard_t(2, (2, 256))
    outliers = rng.standard_normal((1, 256)) * 0.05
    outliers[0, [3, 77, 200]] = [4.0, -6.0, 9.5]
    yield "outliers", outliers
    mixed = rng.standard_normal((1, 512))
    mixed[0, 0:32] = 0            # a zero sub-block: scale 0, its levels are skipped
    mixed[0, 64:96] = 0.75        # a constant sub-block: max == min after clamping min to 0
    mixed[0, 256:512] = 0         # a whole zero super-block
    yield "zero-and-constant", mixed
    yield "tiny", rng.standard_normal((1, 256)) * 1e-6
    yield "integers", np.tile(np.arange(-8, 8), (1, 16)).astype(np.float64)


def main():
    quantizer = GGMLQuantizer(LLAMA)
    out = []
    for name, x in cases():
        x = np.ascontiguousarray(x, dtype=np.float32)
        rows, cols = x.shape
        q = quantizer.bytes(Q4_K, x)
        assert len(q) == rows * cols // 256 * 144
        out.append({"name": name, "rows": rows, "columns": cols,
                    "input_f32le": base64.b64encode(x.tobytes()).decode(),
                    "q4_k": base64.b64encode(q).decode()})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"source": "llama.cpp ggml_quantize_chunk(GGML_TYPE_Q4_K, imatrix NULL)", "cases": out}, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
