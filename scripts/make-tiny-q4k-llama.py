#!/usr/bin/env python3
"""Writes Tests/Fixtures/hf-llama/untied-bf16-256: a tiny random LlamaForCausalLM (Llama-3.1 config
shape, untied head) whose matrices have rows of 256 values, so `convert --type q4_k` really writes
Q4_K blocks, and the logits transformers computes from exactly the weights that conversion stores.

Those weights are the bf16 ones passed through llama.cpp's own quantizers (scripts/ggml_quantize.py):
Q4_K for the embedding table and every layer matrix, Q8_0 for the output head — the mixture
`LlamaGGUFConverter.matrixFormat` documents. (Q4_K quantizes each row on its own, so the RoPE row
permutation the converter applies to Q and K does not change the decoded values.)

On these deliberately large random weights (logits up to ~9) the engine's rounding of activations
to 8 bits before each quantized dot product (Q8_K blocks of 256 before Q4_K, Q8_0 before the head,
as llama.cpp) moves logits by more than 1, so the script also records the logits and greedy
continuation with that rounding applied to each projection's input (`QuantizedActivations`); the
engine then differs from those by its f16 KV cache and summation order only.

    python3 scripts/make-tiny-q4k-llama.py [LLAMA_CPP_DIR]   # default /tmp/llamacpp

Needs torch, transformers, numpy and a C compiler; CI never runs it.
"""
import importlib.util
import json
import os
import shutil
import sys

import torch
import torch.nn.functional as F
from transformers import LlamaForCausalLM

from ggml_quantize import Q4_K, Q8_0, GGMLQuantizer

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("tiny", os.path.join(HERE, "make-tiny-hf-llama.py"))
tiny = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tiny)
NAME = "untied-bf16-256"


def config():
    c = tiny.config(tied=False)
    c.hidden_size, c.intermediate_size = 256, 256
    c.num_attention_heads, c.num_key_value_heads, c.head_dim = 4, 2, 64
    return c


def quantized_copy(model, quantizer):
    """A float32 copy of `model` whose matrices hold what the q4_k conversion stores."""
    q = LlamaForCausalLM(model.config).float().eval()
    q.load_state_dict({k: v.float() for k, v in model.state_dict().items()})
    with torch.no_grad():
        for name, p in q.named_parameters():
            if p.dim() != 2:
                continue
            qtype = Q8_0 if name == "lm_head.weight" else Q4_K
            p.copy_(torch.from_numpy(quantizer.roundtrip(qtype, p.detach().numpy()).copy()))
    q.config._attn_implementation = "eager"
    return q


def q8_k(x):
    """ggml's quantize_row_q8_K on 256-value blocks, decoded: the value of largest magnitude maps to
    -127, the rest round to nearest (even) and clamp at 127."""
    shape = x.shape
    x = x.reshape(-1, 256)
    peak = torch.gather(x, 1, x.abs().argmax(dim=1, keepdim=True))
    iscale = torch.where(peak != 0, -127 / peak, torch.zeros_like(peak))
    q = torch.clamp(torch.round(iscale * x), max=127)
    return torch.where(peak != 0, q * (1 / iscale), torch.zeros_like(x)).reshape(shape)


def q8_0(x):
    """ggml's x86 Q8_0 activation quantizer on 32-value blocks, decoded with its f16 scale."""
    shape = x.shape
    x = x.reshape(-1, 32)
    d = x.abs().amax(dim=1, keepdim=True) / 127
    q = torch.round(x * torch.where(d > 0, 1 / d, torch.zeros_like(d)))
    return (q * d.half().float()).reshape(shape)


class QuantizedActivations:
    """Rounds every projection's input as the engine (and llama.cpp) does before a quantized matrix:
    to Q8_K before Q4_K, to Q8_0 before the Q8_0 head; `noise` first perturbs each input by that
    relative amount (random), to measure how much rounding-boundary flips alone move the logits."""
    def __init__(self, model, noise=0.0):
        self.head = model.lm_head
        self.noise = noise

    def __enter__(self):
        self.plain = torch.nn.Linear.forward
        head, noise = self.head, self.noise
        torch.nn.Linear.forward = lambda m, x: F.linear(
            q8_0(x) if m is head else q8_k(x * (1 + noise * torch.randn_like(x))), m.weight, m.bias)

    def __exit__(self, *exc):
        torch.nn.Linear.forward = self.plain


def main():
    quantizer = GGMLQuantizer(sys.argv[1] if len(sys.argv) > 1 else "/tmp/llamacpp")
    for seed in range(100):
        torch.manual_seed(seed)
        model = LlamaForCausalLM(config()).to(torch.bfloat16)
        with torch.no_grad():
            for n, p in model.named_parameters():
                if n.endswith("norm.weight"):
                    p.copy_(1 + 0.3 * (torch.rand_like(p.float()) * 2 - 1))
        reference = quantized_copy(model, quantizer)
        results, worst = [], float("inf")
        for prompt in tiny.PROMPTS:
            with torch.no_grad():
                logits = reference(torch.tensor([prompt])).logits[0]
            with QuantizedActivations(reference), torch.no_grad():
                rounded = reference(torch.tensor([prompt])).logits[0]
                continuation, margin = tiny.greedy(reference, prompt)
            worst = min(worst, margin)
            results.append({"ids": prompt, "logits_q4_k": [[round(float(v), 6) for v in row] for row in logits],
                            "logits_q4_k_q8_activations": [[round(float(v), 6) for v in row] for row in rounded],
                            "greedy_q4_k_q8_activations": continuation})
        if worst >= tiny.MIN_MARGIN:
            break
    folder = os.path.join(tiny.ROOT, NAME)
    shutil.rmtree(folder, ignore_errors=True)
    model.save_pretrained(folder, safe_serialization=True)
    # How far correct-but-differently-rounded computations and a wrong model land from
    # logits_q4_k_q8_activations, so the Swift test's bounds sit between the two.
    def distance(candidate, wrap):
        worst, total, count = 0.0, 0.0, 0
        for prompt, result in zip(tiny.PROMPTS, results):
            with wrap, torch.no_grad():
                logits = candidate(torch.tensor([prompt])).logits[0]
            d = (logits - torch.tensor(result["logits_q4_k_q8_activations"])).abs()
            worst, total, count = max(worst, d.max().item()), total + d.sum().item(), count + d.numel()
        return {"max": round(worst, 4), "mean": round(total / count, 4)}
    torch.manual_seed(0)
    unquantized = model.float().eval()
    unquantized.config._attn_implementation = "eager"
    sensitivity = {"activation_noise_2^-11": distance(reference, QuantizedActivations(reference, noise=2.0 ** -11)),
                   "bf16_weights_instead_of_q4_k": distance(unquantized, QuantizedActivations(unquantized))}
    print("sensitivity", sensitivity)
    for name in os.listdir(folder):
        os.chmod(os.path.join(folder, name), 0o644)
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump({"seed": seed, "min_greedy_margin": worst, "sensitivity": sensitivity, "prompts": results}, f)
    print(NAME, "seed", seed, "min margin", worst, sorted(os.listdir(folder)))


if __name__ == "__main__":
    main()
