"""Check one authored JSONL file: schema, lengths, script, near-duplicates.

Usage: python scripts/check_authored.py data/authored/FILE.jsonl [--max-len N] [--against DIR]

--against DIR also reports rows that come near (4-gram cosine >= 0.6) a row of any other
*.jsonl file in DIR (e.g. data/authored), so a new file adds no near-duplicate anywhere.
"""

import collections
import json
import math
import statistics
import sys

path = sys.argv[1]
max_len = int(sys.argv[sys.argv.index("--max-len") + 1]) if "--max-len" in sys.argv else None
rows = []
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    if not line.strip():
        continue
    try:
        r = json.loads(line)
    except json.JSONDecodeError as e:
        print(f"line {n}: invalid JSON: {e}")
        continue
    missing = {"text", "label", "channel", "region", "topic"} - set(r)
    if missing:
        print(f"line {n}: missing {missing}")
    if max_len and not (15 <= len(r.get("text", "")) <= max_len):
        print(f"line {n}: length {len(r['text'])} outside 15..{max_len}")
    rows.append((n, r))


def grams(t):
    t = "".join(t.split())
    return collections.Counter(t[i : i + 4] for i in range(max(1, len(t) - 3)))


vecs = [(n, grams(r["text"])) for n, r in rows]
norms = [math.sqrt(sum(v * v for v in g.values())) or 1 for _, g in vecs]
for i in range(len(vecs)):
    for j in range(i + 1, len(vecs)):
        a, b = vecs[i][1], vecs[j][1]
        if len(a) > len(b):
            a, b = b, a
        dot = sum(v * b.get(k, 0) for k, v in a.items())
        cos = dot / (norms[i] * norms[j])
        if cos >= 0.6:
            print(f"near-duplicate (cosine {cos:.2f}): lines {vecs[i][0]} and {vecs[j][0]}")
if "--against" in sys.argv:
    import pathlib

    folder = pathlib.Path(sys.argv[sys.argv.index("--against") + 1])
    others = [
        (f.name, n, grams(json.loads(line)["text"]))
        for f in sorted(folder.glob("*.jsonl"))
        if f.resolve() != pathlib.Path(path).resolve()
        for n, line in enumerate(open(f, encoding="utf-8"), 1)
        if line.strip()
    ]
    index = collections.defaultdict(set)
    for k, (_, _, g) in enumerate(others):
        for gram in g:
            index[gram].add(k)
    other_norms = [math.sqrt(sum(v * v for v in g.values())) or 1 for _, _, g in others]
    for (n, a), norm in zip(vecs, norms):
        candidates = set().union(*(index.get(gram, set()) for gram in a)) if a else set()
        for k in candidates:
            name, m, b = others[k]
            cos = sum(v * b.get(gram, 0) for gram, v in a.items()) / (norm * other_norms[k])
            if cos >= 0.6:
                print(f"near-duplicate (cosine {cos:.2f}): line {n} and {name}:{m}")
lens = [len(r["text"]) for _, r in rows]
print(f"rows {len(rows)}; length min {min(lens)} median {statistics.median(lens)} max {max(lens)}")
print("labels", collections.Counter(r["label"] for _, r in rows))
print("regions", collections.Counter(r["region"] for _, r in rows))
print("channels", collections.Counter(r["channel"] for _, r in rows))
print("topics", collections.Counter(r["topic"] for _, r in rows).most_common())
