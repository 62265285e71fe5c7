"""Builds scripts/ggml-quantize.c against llama.cpp's libggml-base.a and runs it: llama.cpp's own
quantizers (as llama-quantize runs them without an importance matrix) for the golden scripts."""
import os
import subprocess
import tempfile

import numpy as np

Q8_0, Q4_K = 8, 12
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ggml-quantize.c")


class GGMLQuantizer:
    def __init__(self, llama_cpp="/tmp/llamacpp"):
        self._dir = tempfile.TemporaryDirectory()
        self.binary = os.path.join(self._dir.name, "ggml-quantize")
        subprocess.run(["cc", "-O2", SOURCE, "-I", os.path.join(llama_cpp, "src", "ggml", "include"),
                        os.path.join(llama_cpp, "build", "ggml", "src", "libggml-base.a"),
                        "-lm", "-lstdc++", "-fopenmp", "-lpthread", "-o", self.binary], check=True)

    def _run(self, qtype, x, mode):
        x = np.ascontiguousarray(x, dtype=np.float32)
        rows, cols = x.shape
        return subprocess.run([self.binary, str(qtype), str(rows), str(cols), mode], input=x.tobytes(),
                              capture_output=True, check=True).stdout

    def bytes(self, qtype, x):
        """The blocks of the rows of the 2-D array `x`."""
        return self._run(qtype, x, "bytes")

    def roundtrip(self, qtype, x):
        """`x` quantized and decoded again, as float32 of the same shape."""
        return np.frombuffer(self._run(qtype, x, "roundtrip"), dtype=np.float32).reshape(x.shape)
