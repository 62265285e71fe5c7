#!/usr/bin/env python3
"""Writes a Llama-3.1-8B-shaped Hugging Face folder with random bf16 weights (about 16 GB), for
measuring load time, decode speed and memory on the real shapes. Not run by tests or CI.

    python3 scripts/make-random-llama31-8b.py OUT_DIR [TOKENIZER_JSON] [TOKENIZER_CONFIG_JSON]

The config is Llama-3.1-8B-Instruct's (32 layers, 4096 wide, 14336 feed-forward, 32 query / 8 KV
heads, 128256 vocabulary, rope_theta 500000 with llama3 scaling, 131072 positions). Shards of at
most ~5 GB with model.safetensors.index.json, one shard in memory at a time. Weights are normal
with std 0.02 (transformers' initializer_range), norms 1: the model babbles, but every tensor has
its real size and format.
"""
import json
import os
import shutil
import sys

import torch
from safetensors.torch import save_file

CONFIG = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "attention_bias": False, "attention_dropout": 0.0,
    "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "head_dim": 128, "hidden_act": "silu",
    "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 131072,
    "mlp_bias": False, "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
    "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
    "rope_scaling": {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                     "original_max_position_embeddings": 8192, "rope_type": "llama3"},
    "tie_word_embeddings": False, "torch_dtype": "bfloat16", "use_cache": True, "vocab_size": 128256,
}
GENERATION = {"bos_token_id": 128000, "do_sample": True, "eos_token_id": [128001, 128008, 128009],
              "temperature": 0.6, "top_p": 0.9}
SHARD_BYTES = 5 << 30


def shapes():
    c = CONFIG
    d, f, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    q, kv = c["num_attention_heads"] * c["head_dim"], c["num_key_value_heads"] * c["head_dim"]
    yield "model.embed_tokens.weight", (v, d)
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        yield p + "input_layernorm.weight", (d,)
        yield p + "self_attn.q_proj.weight", (q, d)
        yield p + "self_attn.k_proj.weight", (kv, d)
        yield p + "self_attn.v_proj.weight", (kv, d)
        yield p + "self_attn.o_proj.weight", (d, q)
        yield p + "post_attention_layernorm.weight", (d,)
        yield p + "mlp.gate_proj.weight", (f, d)
        yield p + "mlp.up_proj.weight", (f, d)
        yield p + "mlp.down_proj.weight", (d, f)
    yield "model.norm.weight", (d,)
    yield "lm_head.weight", (v, d)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    groups, current, size = [], [], 0
    for name, shape in shapes():
        n = 2 * torch.Size(shape).numel()
        if current and size + n > SHARD_BYTES:
            groups.append(current)
            current, size = [], 0
        current.append((name, shape))
        size += n
    groups.append(current)
    weight_map, total = {}, 0
    for k, group in enumerate(groups):
        shard = f"model-{k + 1:05d}-of-{len(groups):05d}.safetensors"
        tensors = {}
        for name, shape in group:
            if len(shape) == 1:
                tensors[name] = torch.ones(shape, dtype=torch.bfloat16)
            else:
                tensors[name] = (torch.randn(shape, dtype=torch.float32) * 0.02).to(torch.bfloat16)
            weight_map[name] = shard
            total += tensors[name].numel() * 2
        save_file(tensors, os.path.join(out, shard), metadata={"format": "pt"})
        print("wrote", shard, flush=True)
        del tensors
    with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    with open(os.path.join(out, "generation_config.json"), "w") as f:
        json.dump(GENERATION, f, indent=2)
    for source, name in zip(sys.argv[2:4], ("tokenizer.json", "tokenizer_config.json")):
        shutil.copy(source, os.path.join(out, name))


if __name__ == "__main__":
    main()
