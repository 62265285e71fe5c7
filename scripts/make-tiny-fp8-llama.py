#!/usr/bin/env python3
"""Writes Tests/Fixtures/hf-llama/untied-fp8: the untied tiny checkpoint (from make-tiny-hf-llama.py)
in the layout of vLLM's / llm-compressor's "compressed-tensors" FP8: every decoder projection as
F8_E4M3 with a `weight_scale` (layer 0 per-channel [out, 1], layer 1 per-tensor [1], both bf16),
embeddings, norms and lm_head left bf16, and `quantization_config` in config.json. Reference logits
come from transformers in float32 with each projection dequantized (e4m3 value × scale).

    python3 scripts/make-tiny-fp8-llama.py   (after make-tiny-hf-llama.py)
"""
import json
import os
import shutil

import torch
from safetensors.torch import load_file, save_file
from transformers import LlamaForCausalLM

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "hf-llama")
SOURCE = os.path.join(FIXTURES, "untied-bf16-sharded")
TARGET = os.path.join(FIXTURES, "untied-fp8")
PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def main():
    shutil.rmtree(TARGET, ignore_errors=True)
    os.makedirs(TARGET)
    state = {}
    for name in sorted(os.listdir(SOURCE)):
        if name.endswith(".safetensors"):
            state.update(load_file(os.path.join(SOURCE, name)))
    out, dequantized = {}, {}
    for name, tensor in state.items():
        if not any(f".{p}." in name for p in PROJECTIONS):
            out[name] = tensor
            continue
        w = tensor.float()
        per_channel = ".layers.0." in name
        absmax = w.abs().amax(dim=1, keepdim=True) if per_channel else w.abs().amax().reshape(1)
        scale = (absmax / 448.0).to(torch.bfloat16)
        q = (w / scale.float()).clamp(-448, 448).to(torch.float8_e4m3fn)
        out[name] = q
        out[name + "_scale"] = scale
        dequantized[name] = q.float() * scale.float()
    save_file(out, os.path.join(TARGET, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(SOURCE, "config.json")) as f:
        config = json.load(f)
    weights = {"num_bits": 8, "type": "float", "symmetric": True, "dynamic": False}
    config["quantization_config"] = {
        "quant_method": "compressed-tensors", "format": "float-quantized", "ignore": ["lm_head"],
        "config_groups": {
            "group_0": {"targets": ["Linear"], "weights": dict(weights, strategy="channel"), "input_activations": None},
        },
    }
    with open(os.path.join(TARGET, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)

    reference_model = LlamaForCausalLM.from_pretrained(SOURCE, torch_dtype=torch.float32, attn_implementation="eager").eval()
    with torch.no_grad():
        for name, p in reference_model.named_parameters():
            if name in dequantized:
                p.copy_(dequantized[name])
    with open(os.path.join(SOURCE, "reference.json")) as f:
        prompts = [p["ids"] for p in json.load(f)["prompts"]]
    results = []
    for prompt in prompts:
        with torch.no_grad():
            logits = reference_model(torch.tensor([prompt])).logits[0]
        results.append({"ids": prompt, "logits": [[round(float(v), 6) for v in row] for row in logits]})
    with open(os.path.join(TARGET, "reference.json"), "w") as f:
        json.dump({"source": "untied-bf16-sharded", "prompts": results}, f)
    print(TARGET, sorted(os.listdir(TARGET)))


if __name__ == "__main__":
    main()
