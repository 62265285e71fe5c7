"""A bounded load generator for OpenAI-compatible servers (standard library only).

CLIENTS threads each send chat completions back to back for DURATION seconds (the requests in
flight when time is up still finish, each bounded by a timeout), then one JSON line is printed:
requests, errors, generated tokens, tokens/s over the wall time, and latency percentiles.

usage: load_client.py BASE_URL CLIENTS DURATION_S MAX_TOKENS
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

QUESTIONS = [
    "What is the first-line treatment for uncomplicated hypertension?",
    "Explain the mechanism of action of metformin.",
    "Name three symptoms of influenza.",
    "What does the thyroid gland do?",
    "Which vitamin deficiency causes scurvy?",
    "What is the normal range of adult resting heart rate?",
    "Describe how insulin lowers blood glucose.",
    "What are the risk factors for type 2 diabetes?",
]


def main():
    base, clients, duration, max_tokens = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    url = urllib.parse.urlparse(base)
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    latencies, tokens, errors = [], [0], [0]

    def client(index):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
        n = 0
        while time.monotonic() < deadline:
            question = QUESTIONS[(index + n) % len(QUESTIONS)]
            n += 1
            body = json.dumps({"model": "m", "messages": [{"role": "user", "content": question}],
                               "max_tokens": max_tokens, "temperature": 0.7, "seed": index * 1000 + n})
            start = time.monotonic()
            try:
                connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                payload = response.read()
                elapsed = time.monotonic() - start
                if response.status != 200:
                    raise RuntimeError(f"status {response.status}: {payload[:200]!r}")
                generated = json.loads(payload)["usage"]["completion_tokens"]
                with lock:
                    latencies.append(elapsed)
                    tokens[0] += generated
            except Exception as error:  # a failed request is counted, the client reconnects and goes on
                with lock:
                    errors[0] += 1
                print(f"client {index}: {error}", file=sys.stderr)
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
                time.sleep(0.1)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    latencies.sort()

    def percentile(p):
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]

    print(json.dumps({"clients": clients, "requests": len(latencies), "errors": errors[0], "tokens": tokens[0],
                      "wall_s": round(wall, 1), "tokens_per_s": round(tokens[0] / wall, 1),
                      "p50_s": round(percentile(50), 2), "p99_s": round(percentile(99), 2)}))


if __name__ == "__main__":
    main()
