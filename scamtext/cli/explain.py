"""``scamtext explain``: why one message gets its label."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ._common import add_model_argument, model_path


def add(sub) -> None:
    p = sub.add_parser(
        "explain",
        help="show why a message gets its label",
        description="Print the message with the words that decided its label highlighted "
        "(red: towards the label, green: against it), the matched scam cues, and how the "
        "evidence adds up to the score.",
    )
    p.add_argument("text", metavar="TEXT", help="the message")
    p.add_argument("--label", help="explain this label instead of the predicted one")
    p.add_argument("--top-k", type=int, default=10, metavar="K", help="evidence spans shown")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page")
    add_model_argument(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..api import explain
    from ..render import format_html, format_text

    explanation = explain(args.text, label=args.label, model=model_path(args), top_k=args.top_k)
    if args.html:
        Path(args.html).write_text(format_html(explanation), encoding="utf-8")
    if args.json:
        print(json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_text(explanation, ansi=sys.stdout.isatty()))
    return 0
