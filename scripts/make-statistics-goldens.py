#!/usr/bin/env python3
"""Computes the goldens for Tests/EvaluationTests/StatisticsTests.swift once, with scipy/numpy.

Run: python3 scripts/make-statistics-goldens.py > Tests/Fixtures/evaluation/statistics-goldens.json
The bootstrap golden re-implements SplitMix64 here so the resampling is the same draw for draw.
"""
import json
import numpy as np
from scipy import stats

M = (1 << 64) - 1

def splitmix(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & M
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        yield z ^ (z >> 31)

def bootstrap(values, resamples, level, seed):
    rng = splitmix(seed)
    n = len(values)
    means = []
    for _ in range(resamples):
        means.append(sum(values[next(rng) % n] for _ in range(n)) / n)
    lo, hi = np.percentile(means, [100 * (1 - level) / 2, 100 * (1 + level) / 2])
    return float(lo), float(hi)

wilson = []
for k, n in [(0, 10), (10, 10), (5, 10), (37, 100), (1, 3), (512, 1089), (99, 100), (0, 1), (250, 251)]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    wilson.append({"successes": k, "total": n, "lower": ci.low, "upper": ci.high})

mcnemar = []
for b, c in [(0, 0), (1, 0), (5, 5), (3, 12), (12, 3), (0, 9), (40, 61), (200, 170), (1, 2)]:
    p = 1.0 if b + c == 0 else stats.binomtest(b, b + c, 0.5, alternative="two-sided").pvalue
    mcnemar.append({"onlyFirst": b, "onlySecond": c, "p": min(1.0, p)})

boot = []
for values, resamples, seed in [
    ([1.0] * 37 + [0.0] * 63, 500, 7),
    ([1.0, 0.0, 1.0, 1.0, 0.0, 0.5, 1.0, 0.0, 0.0, 1.0, 1.0, 0.5], 300, 42),
]:
    lo, hi = bootstrap(values, resamples, 0.95, seed)
    boot.append({"values": values, "resamples": resamples, "seed": seed, "lower": lo, "upper": hi})

print(json.dumps({"wilson": wilson, "mcnemar": mcnemar, "bootstrap": boot}, indent=1))
