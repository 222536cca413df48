"""``scamtext cases``: store reported cases for the next retrain."""

from __future__ import annotations

import json

from ..exceptions import ScamTextError
from ._common import log


def add(sub) -> None:
    p = sub.add_parser(
        "cases",
        help="store reported cases for the next retrain",
        description="Add, list, export or check reported cases. Phone, card and ID "
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
    check = actions.add_parser(
        "check",
        help="list the lines of the store that are not cases (exit 1 if any)",
        description="List the lines of the case store that cannot be used (invalid JSON, "
        "missing text or label, a malformed label). They are left out of list and retrain "
        "until repaired; --repair moves them to cases.rejected.jsonl beside the store.",
    )
    check.add_argument("--repair", action="store_true", help="move them to cases.rejected.jsonl")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..lifecycle.cases import REJECTED_FILE, CaseStore

    store = CaseStore(args.store)
    if args.action == "list":
        for case in store.list():
            print(json.dumps(case, ensure_ascii=False))
        return 0
    if args.action == "export":
        log(f"exported {store.export(args.file)} case(s) to {args.file}")
        return 0
    if args.action == "check":
        problems = store.check(repair=args.repair)
        for line, problem in problems:
            print(f"{store.file}:{line}: {problem}")
        if problems and args.repair:
            log(f"moved {len(problems)} line(s) to {store.folder / REJECTED_FILE}")
        elif not problems:
            log(f"{store.file}: every line is a case")
        return 1 if problems and not args.repair else 0
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
