"""Regenerate tests/golden/explanations.json from the shipped model.

Usage: python scripts/make_golden.py

Review the diff: a change in the top evidence of these messages is a change in
what the model has learned.
"""

import json
from pathlib import Path

import scamtext

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"

if __name__ == "__main__":
    messages = [
        json.loads(line)["text"] for line in open(GOLDEN / "explained.jsonl", encoding="utf-8")
    ]
    records = []
    for text in messages:
        exp = scamtext.explain(text, top_k=3)
        records.append(
            {
                "text": text,
                "label": exp.label,
                "top_evidence": [
                    [e.text, e.start, e.end, round(e.weight, 3)] for e in exp.evidence
                ],
                "cues": [c.id for c in exp.cues],
            }
        )
    (GOLDEN / "explanations.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(records)} explanations")
