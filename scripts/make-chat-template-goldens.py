#!/usr/bin/env python3
"""Renders chat templates with jinja2 exactly as Hugging Face transformers does, for the Swift golden tests.

Usage: python3 scripts/make-chat-template-goldens.py [templates_dir] [output_json]

The environment mirrors transformers' `_compile_jinja_template`: an ImmutableSandboxedEnvironment with
trim_blocks, lstrip_blocks and loopcontrols, the `tojson` filter that does not HTML-escape, and the globals
`raise_exception` and `strftime_now`. The clock is frozen (FIXED_NOW) so the goldens are deterministic; the
Swift test passes the same wall-clock time to `ChatTemplate.render(..., now:)`. Each case stores either the
rendered text or the exception jinja2 raised.
"""
import json
import os
import sys
from datetime import datetime

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOME = os.environ.get("BIOMED_R1_HOME", os.path.expanduser("~/.cache/biomed-r1"))
TEMPLATES = os.path.join(HOME, "test-assets/llama.cpp/models/templates")
FIXTURE_DIR = os.path.join(ROOT, "Tests/Fixtures/chat-templates")
OUTPUT = os.path.join(FIXTURE_DIR, "goldens.json")

# Local wall-clock time that strftime_now reports (year, month, day, hour, minute, second).
FIXED_NOW = (2024, 7, 26, 9, 30, 5)
BOS = "<s>"
EOS = "</s>"

SYSTEM = "You are a careful medical assistant."


def chat(*turns):
    return [{"role": role, "content": content} for role, content in turns]


DOSE_TOOL = {
    "type": "function",
    "function": {
        "name": "get_dose",
        "description": "Look up the usual adult dose of a drug.",
        "parameters": {
            "type": "object",
            "properties": {"drug": {"type": "string", "description": "Generic drug name"}},
            "required": ["drug"],
        },
    },
}

# (name, messages, tools): `tools` is passed to the template as transformers passes `tools=` (None otherwise).
CONVERSATIONS = [
    ("system_user", chat(("system", SYSTEM), ("user", "What is the normal adult resting heart rate?")), None),
    ("user_only", chat(("user", "Hello!")), None),
    ("multi_turn", chat(("user", "Hi, who are you?"), ("assistant", "I am an assistant."), ("user", "Name one vitamin.")), None),
    ("system_multi_turn", chat(("system", SYSTEM), ("user", "Define tachycardia."),
                               ("assistant", "A heart rate above 100 beats per minute."), ("user", "And bradycardia?")), None),
    ("final_assistant", chat(("user", "Say yes."), ("assistant", "Yes.")), None),
    ("unicode_quotes_newlines", chat(("system", "Rules:\n  - be \"precise\"\n  - don't guess\t(tab)"),
                                     ("user", "Ünïcödé — 日本語 🩺 'single' \"double\" \\backslash\n\nTwo newlines, trailing space ")), None),
    ("non_alternating", chat(("user", "First."), ("user", "Second.")), None),
    ("tool_call", chat(("user", "What is the adult dose of amoxicillin?")) + [
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_dose", "arguments": {"drug": "amoxicillin"}}}]},
        {"role": "tool", "tool_call_id": "call_1", "name": "get_dose", "content": "500 mg every 8 hours"},
    ], [DOSE_TOOL]),
]


class AssistantTracker(Extension):
    """transformers' `{% generation %}` tag: renders its body unchanged (the index tracking is irrelevant here)."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime(*FIXED_NOW).strftime(format)


def make_environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(env, source, messages, tools, add_generation_prompt):
    try:
        template = env.from_string(source)
    except Exception as e:  # syntax errors and unknown filters surface when compiling
        return {"error": {"type": type(e).__name__, "message": str(e), "phase": "parse"}}
    try:
        text = template.render(messages=messages, tools=tools, documents=None,
                               add_generation_prompt=add_generation_prompt, bos_token=BOS, eos_token=EOS)
        return {"rendered": text}
    except Exception as e:
        return {"error": {"type": type(e).__name__, "message": str(e), "phase": "render"}}


def main():
    templates_dir = sys.argv[1] if len(sys.argv) > 1 else TEMPLATES
    output = sys.argv[2] if len(sys.argv) > 2 else OUTPUT
    sources = [(name, "llama.cpp/models/templates/" + name, open(os.path.join(templates_dir, name), encoding="utf-8").read())
               for name in sorted(os.listdir(templates_dir)) if name.endswith(".jinja")]
    smol = "SmolLM2-135M-Instruct.jinja"
    sources.append((smol, "fixture:chat-templates/" + smol, open(os.path.join(FIXTURE_DIR, smol), encoding="utf-8").read()))
    env = make_environment()
    templates = []
    for name, location, source in sources:
        cases = []
        for conv_name, messages, tools in CONVERSATIONS:
            # Tool use is rendered only as a model would see it (opening the assistant turn), to keep the file small.
            for agp in ((True,) if tools else (True, False)):
                case = {"conversation": conv_name, "generation_prompt": agp}
                case.update(render(env, source, messages, tools, agp))
                cases.append(case)
        # Renders of one template often share a long system preamble. To keep the file small, a case may
        # store only the `rest` that follows the first `keep` code points of the earlier case number `from`.
        texts = {}
        for i, c in enumerate(cases):
            if "rendered" not in c:
                continue
            text = c["rendered"]
            best, best_len = None, 0
            for j, earlier in texts.items():
                n = len(os.path.commonprefix([earlier, text]))
                if n > best_len:
                    best, best_len = j, n
            texts[i] = text
            if best is not None and best_len >= 64:
                del c["rendered"]
                c["from"] = best
                c["keep"] = best_len
                c["rest"] = text[best_len:]
        templates.append({"name": name, "location": location, "cases": cases})

    data = {
        "generator": f"scripts/make-chat-template-goldens.py, jinja2 {jinja2.__version__}",
        "bos_token": BOS,
        "eos_token": EOS,
        "now": list(FIXED_NOW),
        "conversations": {n: {"messages": m, "tools": t} for n, m, t in CONVERSATIONS},
        "templates": templates,
    }
    with open(output, "w", encoding="utf-8") as f:
        # One line per template keeps diffs readable without the size of full indentation.
        head = {k: v for k, v in data.items() if k != "templates"}
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "templates": [\n')
        f.write(",\n".join(json.dumps(t, ensure_ascii=False, separators=(",", ":")) for t in data["templates"]))
        f.write("\n]}")
        f.write("\n")


if __name__ == "__main__":
    main()
