"""``scamtext cases``: store reported cases for the next retrain."""

from __future__ import annotations

import json

from ..exceptions import ScamTextError
from ._common import log


def add(sub) -> None:
    p = sub.add_parser(
        "cases",
        help="store reported cases for the next retrain",
        description="Add, list or export reported cases. Phone, card and ID "
        "numbers and names are masked before storing unless --no-mask.",
    )
    p.add_argument("--store", metavar="DIR", help="case store folder (default: per-user)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add messages with a label")
    add.add_argument("texts", nargs="*", metavar="TEXT")
    add.add_argument("--label", help="label of the TEXT arguments or of a .txt file")
    add.add_argument(
        "--input",
        "-i",
        metavar="FILE",
        help=".txt (needs --label), .jsonl or .csv with 'text' and 'label', optionally .gz",
    )
    add.add_argument("--source", default="manual", help="where the cases come from")
    add.add_argument("--no-mask", action="store_true", help="store the text unmasked")
    actions.add_parser("list", help="print the cases as JSON lines")
    export = actions.add_parser("export", help="write the cases to a .jsonl file")
    export.add_argument("file", metavar="FILE")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..lifecycle.cases import CaseStore

    store = CaseStore(args.store)
    if args.action == "list":
        for case in store.list():
            print(json.dumps(case, ensure_ascii=False))
        return 0
    if args.action == "export":
        log(f"exported {store.export(args.file)} case(s) to {args.file}")
        return 0
    if not args.texts and not args.input:
        raise ScamTextError("nothing to add: give TEXT arguments or --input FILE")
    if args.texts and not args.label:
        raise ScamTextError("messages given as arguments need --label")
    mask = not args.no_mask
    ids = []
    if args.input:
        ids += store.add_file(args.input, label=args.label, source=args.source, mask=mask)
    if args.texts:
        ids += store.add(args.texts, args.label, source=args.source, mask=mask)
    log(f"stored {len(ids)} case(s) in {store.file}")
    return 0
