"""Talks to a server with the official `openai` package, as users' code does, and prints what it
got as JSON on stdout for the Swift tests to check.

usage: openai_client.py BASE_URL chat|completion stream|plain PARAMS_JSON
PARAMS_JSON holds the create() arguments; `_extra_body` goes as extra_body, `_api_key` as the key.
A response with an error status prints {"error_status": N, "error": BODY}.
"""
import json
import sys

try:
    import openai
except ImportError:
    print("the Python package 'openai' is missing: run scripts/fetch-test-assets.sh "
          "(it runs pip install openai==3.57.0)", file=sys.stderr)
    sys.exit(3)

base, kind, mode, params = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
client = openai.OpenAI(base_url=base + "/v1", api_key=params.pop("_api_key", "unused"), timeout=120, max_retries=0)
create = client.chat.completions.create if kind == "chat" else client.completions.create
extra = params.pop("_extra_body", None)
try:
    if mode == "stream":
        out = {"chunks": [chunk.model_dump() for chunk in create(stream=True, extra_body=extra, **params)]}
    else:
        out = create(extra_body=extra, **params).model_dump()
except openai.APIStatusError as error:
    out = {"error_status": error.status_code, "error": error.body}
print(json.dumps(out))
