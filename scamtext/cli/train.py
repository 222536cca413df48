"""``scamtext train`` and ``scamtext evaluate``: fit a model, measure a model."""

from __future__ import annotations

import json

from ._common import add_model_argument, log, model_path


def add(sub) -> None:
    p = sub.add_parser(
        "train",
        help="train a model and save it to a folder",
        description="Train a model on the corpus training split (or on --data files), "
        "evaluate it on the corpus test split, and save it with its metrics.",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="model folder to write")
    p.add_argument("--kind", choices=("linear", "gbdt"), default="linear")
    p.add_argument(
        "--data",
        nargs="+",
        metavar="FILE",
        help=".jsonl/.csv files (optionally .gz) with 'text' and 'label' "
        "(default: corpus train split)",
    )
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the shipped corpus)")
    p.add_argument("--seed", type=int, default=0, help="random_state of the model")
    p.set_defaults(run=run_train)

    p = sub.add_parser(
        "evaluate",
        help="per-label precision/recall/F1 of a model",
        description="Evaluate a model on the corpus test split, or on a labeled file.",
    )
    p.add_argument("--data", metavar="FILE", help=".jsonl/.csv (optionally .gz) with text, label")
    p.add_argument(
        "--split",
        default="test",
        choices=("train", "validation", "test"),
        help="corpus split to use when --data is not given",
    )
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the shipped corpus)")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    p.add_argument(
        "--plots",
        metavar="DIR",
        help="also write confusion.png and reliability.png there (needs matplotlib)",
    )
    add_model_argument(p)
    p.set_defaults(run=run_evaluate)


def run_train(args) -> int:
    from ..lifecycle.evaluate import format_report
    from ..lifecycle.training import train_and_save

    report = train_and_save(
        args.out,
        kind=args.kind,
        data_files=args.data,
        corpus_dir=args.corpus,
        random_state=args.seed,
        log=log,
    )
    if report is not None:
        print(format_report(report))
    log(f"saved {args.kind} model to {args.out}")
    return 0


def run_evaluate(args) -> int:
    from ..api import load_model
    from ..lifecycle.corpus import labeled_set
    from ..lifecycle.evaluate import evaluate, format_report

    texts, labels, hard = labeled_set(args.data, split=args.split, corpus_dir=args.corpus)
    report = evaluate(
        load_model(model_path(args)), texts, labels, hard_negative=hard, plots_dir=args.plots
    )
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    for plot in report.get("plots", []):
        log(f"wrote {plot}")
    return 0
