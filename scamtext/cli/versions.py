"""``scamtext retrain`` and ``scamtext models``: new versions from cases, and switching."""

from __future__ import annotations

from ._common import add_registry_argument, log


def add(sub) -> None:
    p = sub.add_parser(
        "retrain",
        help="train a challenger on corpus + cases and promote it if it is better",
        description="Train a challenger on the corpus training split plus the cases, evaluate "
        "it and the current model on the frozen test split and on held-back cases, and save it "
        "as a new version. It becomes current only if its test macro-F1 drops by at most "
        "--tolerance and it learned the held-back cases; otherwise exit 1 (unless --force).",
    )
    p.add_argument(
        "--cases", metavar="FILE", help=".jsonl/.csv cases (optionally .gz) with text, label"
    )
    p.add_argument("--store", metavar="DIR", help="use the cases of this store (default: per-user)")
    p.add_argument(
        "--base", metavar="PATH|VERSION", help="champion (default: current, else shipped)"
    )
    p.add_argument(
        "--out",
        "--registry",
        dest="registry",
        metavar="DIR",
        help="folder of model versions to add to (default: per-user)",
    )
    p.add_argument(
        "--kind", choices=("linear", "gbdt"), help="challenger kind (default: champion's)"
    )
    p.add_argument(
        "--tolerance",
        type=float,
        default=0.01,
        help="largest macro-F1 drop on the test split allowed (default 0.01)",
    )
    p.add_argument(
        "--min-case-accuracy",
        type=float,
        default=0.7,
        help="share of held-back cases the challenger must get right (default 0.7)",
    )
    p.add_argument("--force", action="store_true", help="promote even if the gate fails")
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the shipped corpus)")
    p.set_defaults(run=run_retrain)

    p = sub.add_parser("models", help="list model versions, switch, roll back")
    add_registry_argument(p)
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list versions; * marks the current one")
    use = actions.add_parser("use", help="make a version current")
    use.add_argument("version", metavar="VERSION")
    actions.add_parser("rollback", help="go back to the previously current version")
    actions.add_parser(
        "repair",
        help="make registry.json usable again and remove unfinished versions",
        description="Remove the staging folders a killed retrain left, and make "
        "registry.json usable again: a file that cannot be read is kept as "
        "registry.json.broken-TIME and the shipped model becomes current; versions that "
        "are gone are dropped from the history.",
    )
    p.set_defaults(run=run_models)


def run_retrain(args) -> int:
    from ..lifecycle.cases import CaseStore
    from ..lifecycle.corpus import read_labeled_file
    from ..lifecycle.registry import ModelRegistry
    from ..lifecycle.retrain import retrain

    if args.cases:
        cases = [{"text": t, "label": y} for t, y in zip(*read_labeled_file(args.cases))]
    else:
        cases = CaseStore(args.store).list()
    result = retrain(
        cases,
        registry=ModelRegistry(args.registry),
        base=args.base,
        kind=args.kind,
        corpus_dir=args.corpus,
        tolerance=args.tolerance,
        min_case_accuracy=args.min_case_accuracy,
        force=args.force,
        log=log,
    )
    print(result.format())
    return 0 if result.promoted else 1


def run_models(args) -> int:
    from ..lifecycle.registry import ModelRegistry

    registry = ModelRegistry(args.registry)
    if args.action == "list":
        for v in registry.versions():
            print(
                f"{'*' if v['current'] else ' '} {v['version']}  {v['kind']:<6}  "
                f"created {v['created']}  parent {v['parent']}"
            )
        if registry.current() is None:
            print("* shipped default model (no version chosen)")
        return 0
    if args.action == "repair":
        for line in registry.repair() or ["nothing to repair"]:
            print(line)
        return 0
    if args.action == "use":
        registry.use(args.version)
        print(f"current model: {args.version}")
    else:
        previous = registry.rollback()
        print(f"current model: {previous or 'shipped default model'}")
    return 0
