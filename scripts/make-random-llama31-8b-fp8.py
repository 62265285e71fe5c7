#!/usr/bin/env python3
"""Converts the random Llama-3.1-8B-shaped bf16 folder (make-random-llama31-8b.py) to FP8 in the layout of
vLLM's / llm-compressor's "compressed-tensors" (as make-tiny-fp8-llama.py does for the tiny fixture): every
decoder projection F8_E4M3 with a per-channel bf16 `weight_scale` [out, 1]; embeddings, norms and lm_head stay
bf16. For measuring decode speed and memory on the real shapes (about 9 GB); not run by tests or CI.

    python3 scripts/make-random-llama31-8b-fp8.py SOURCE_DIR OUT_DIR

Streams shard by shard (one source shard in memory at a time) and keeps the source's shard names.
"""
import json
import os
import shutil
import sys

import torch
from safetensors.torch import load_file, save_file

PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def main():
    source, target = sys.argv[1], sys.argv[2]
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(source, "model.safetensors.index.json")) as f:
        index = json.load(f)
    weight_map, total = {}, 0
    for shard in sorted(set(index["weight_map"].values())):
        out = {}
        for name, tensor in load_file(os.path.join(source, shard)).items():
            if any(f".{p}." in name for p in PROJECTIONS):
                w = tensor.float()
                scale = (w.abs().amax(dim=1, keepdim=True) / 448.0).to(torch.bfloat16)
                out[name] = (w / scale.float()).clamp(-448, 448).to(torch.float8_e4m3fn)
                out[name + "_scale"] = scale
                del w
            else:
                out[name] = tensor
        for name, tensor in out.items():
            weight_map[name] = shard
            total += tensor.numel() * tensor.element_size()
        save_file(out, os.path.join(target, shard), metadata={"format": "pt"})
        print("wrote", shard, flush=True)
        del out
    with open(os.path.join(target, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    with open(os.path.join(source, "config.json")) as f:
        config = json.load(f)
    weights = {"num_bits": 8, "type": "float", "symmetric": True, "dynamic": False, "strategy": "channel"}
    config["quantization_config"] = {
        "quant_method": "compressed-tensors", "format": "float-quantized", "ignore": ["lm_head"],
        "config_groups": {"group_0": {"targets": ["Linear"], "weights": weights, "input_activations": None}},
    }
    with open(os.path.join(target, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    for name in ("generation_config.json", "tokenizer.json", "tokenizer_config.json"):
        if os.path.exists(os.path.join(source, name)):
            shutil.copy(os.path.join(source, name), os.path.join(target, name))


if __name__ == "__main__":
    main()
