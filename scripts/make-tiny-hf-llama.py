#!/usr/bin/env python3
"""Writes the tiny random LlamaForCausalLM checkpoints under Tests/Fixtures/hf-llama and the
reference logits that the Swift tests compare against.

Each checkpoint has the Llama-3.1 config shape (rope_scaling "llama3", grouped-query attention,
rope_theta 500000) at toy size, stored in bf16, one with tied and one with untied (and sharded)
output head. Logits come from transformers in float32 over the bf16 weights (upcast exactly), so the
only differences the Swift engine may show are its own roundings (bf16 activations into bf16
matrices, f16 KV cache and attention probabilities, as llama.cpp).

Run once with torch and transformers installed; CI never runs it:
    python3 scripts/make-tiny-hf-llama.py
"""
import json
import os
import shutil

import torch
import torch.nn.functional as F
from transformers import LlamaConfig, LlamaForCausalLM

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "hf-llama")
PROMPTS = [[1, 17, 42, 99, 3, 250, 7, 7], [200, 5, 64, 128, 11, 90, 33, 2, 150, 77, 8, 19], list(range(30, 90, 3))]
GREEDY_STEPS = 12
# A greedy step whose top two logits are closer than this could flip under the engine's roundings;
# seeds are skipped until every step is clear of it, so the test can demand exact agreement.
MIN_MARGIN = 0.05


def config(tied):
    return LlamaConfig(
        vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=512,
        rms_norm_eps=1e-5, rope_theta=500000.0,
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                      "high_freq_factor": 4.0, "original_max_position_embeddings": 8192},
        tie_word_embeddings=tied, bos_token_id=1, eos_token_id=[2, 3], initializer_range=0.15,
        attention_bias=False, mlp_bias=False, hidden_act="silu", torch_dtype="bfloat16")


def logits_with_bf16_activations(model, prompt):
    """The logits when every projection's input is first rounded to bf16, as llama.cpp (and our
    engine) does before a bf16 matrix: the same model, minus the difference that rounding alone makes."""
    plain = torch.nn.Linear.forward
    torch.nn.Linear.forward = lambda self, x: F.linear(x.to(torch.bfloat16).float(), self.weight, self.bias)
    try:
        with torch.no_grad():
            return model(torch.tensor([prompt])).logits[0]
    finally:
        torch.nn.Linear.forward = plain


def greedy(model, prompt):
    ids = list(prompt)
    margins = []
    with torch.no_grad():
        for _ in range(GREEDY_STEPS):
            logits = model(torch.tensor([ids])).logits[0, -1]
            top = torch.topk(logits, 2).values
            margins.append(float(top[0] - top[1]))
            ids.append(int(torch.argmax(logits)))
    return ids[len(prompt):], min(margins)


def make(name, tied, shard, published_style):
    for seed in range(100):
        torch.manual_seed(seed)
        model = LlamaForCausalLM(config(tied)).to(torch.bfloat16)
        with torch.no_grad():
            # Norm gains away from 1 so that a missed or misplaced norm shows in the logits.
            for n, p in model.named_parameters():
                if n.endswith("norm.weight"):
                    p.copy_(1 + 0.3 * (torch.rand_like(p.float()) * 2 - 1))
        reference = model.float().eval()
        reference.config._attn_implementation = "eager"
        results = []
        worst = float("inf")
        for prompt in PROMPTS:
            with torch.no_grad():
                logits = reference(torch.tensor([prompt])).logits[0]
            continuation, margin = greedy(reference, prompt)
            worst = min(worst, margin)
            rounded = logits_with_bf16_activations(reference, prompt)
            results.append({"ids": prompt, "logits": [[round(float(v), 6) for v in row] for row in logits],
                            "logits_bf16_activations": [[round(float(v), 6) for v in row] for row in rounded],
                            "greedy": continuation})
        if worst >= MIN_MARGIN:
            break
    folder = os.path.join(ROOT, name)
    shutil.rmtree(folder, ignore_errors=True)
    model = model.to(torch.bfloat16)
    model.save_pretrained(folder, max_shard_size="150KB" if shard else "100MB", safe_serialization=True)
    if published_style:
        # transformers 5 writes `rope_parameters` (theta inside); Llama-3.1 as published has
        # `rope_scaling` and a top-level `rope_theta`. Keep one fixture in each style.
        path = os.path.join(folder, "config.json")
        with open(path) as f:
            cfg = json.load(f)
        rope = cfg.pop("rope_parameters")
        cfg["rope_theta"] = rope.pop("rope_theta")
        cfg["rope_scaling"] = rope
        with open(path, "w") as f:
            json.dump(cfg, f, indent=2, sort_keys=True)
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump({"seed": seed, "min_greedy_margin": worst, "prompts": results}, f)
    print(name, "seed", seed, "min margin", worst, sorted(os.listdir(folder)))


if __name__ == "__main__":
    make("tied-bf16", tied=True, shard=False, published_style=True)
    make("untied-bf16-sharded", tied=False, shard=True, published_style=False)
