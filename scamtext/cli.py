"""Command line: ``python -m scamtext {classify,explain,train,evaluate} ...``.

Each subcommand has a function that adds its arguments and one that runs it;
the work itself is done by library functions. ``main`` returns the exit code:
0 success, 1 a scamtext or file error (one line on stderr; the traceback only
with ``-v``), 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from itertools import islice
from pathlib import Path

from . import __version__
from .exceptions import ScamTextError


def _add_model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        metavar="PATH|VERSION",
        help="model folder or version (default: the current version, else the shipped model)",
    )
    _add_registry_argument(parser)


def _add_registry_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--registry",
        metavar="DIR",
        help="folder of model versions (default: the per-user data folder)",
    )


def _model_path(args):
    """The model folder that --model names (a path or a version), or None for the shipped one."""
    from .registry import ModelRegistry

    return ModelRegistry(args.registry).resolve(args.model)


# classify ---------------------------------------------------------------------------


def _add_classify(sub) -> None:
    p = sub.add_parser(
        "classify",
        help="classify messages, one JSON object per message",
        description="Classify messages given as arguments, in a file or on stdin. Writes one "
        "JSON object per message, in input order: the input's fields plus label, is_scam, "
        "score and probabilities.",
    )
    p.add_argument("texts", nargs="*", metavar="TEXT", help="messages to classify")
    p.add_argument(
        "--input",
        "-i",
        metavar="FILE",
        help=".txt (a message a line), .jsonl (objects with 'text') or .csv "
        "(a 'text' column), optionally .gz; '-' reads stdin",
    )
    p.add_argument(
        "--format",
        choices=("txt", "jsonl", "csv"),
        help="input format (default: from the file name; txt for stdin)",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    p.add_argument(
        "--batch-size",
        type=int,
        default=2000,
        metavar="N",
        help="messages classified at a time (default 2000)",
    )
    p.add_argument(
        "--skip-bad",
        action="store_true",
        help="warn about malformed lines and go on, instead of stopping",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="worker processes (default: all cores for files, 1 for arguments)",
    )
    _add_model_argument(p)
    p.set_defaults(run=_run_classify)


def _run_classify(args) -> int:
    from tqdm import tqdm

    from .api import load_model
    from .records import RecordReader, detect_format, open_text
    from .stream import classify_batches, default_jobs

    if args.batch_size < 1:
        raise ScamTextError(f"--batch-size must be at least 1, got {args.batch_size}")
    if args.texts and args.input:
        raise ScamTextError("give messages as arguments or --input FILE, not both")
    model = load_model(_model_path(args))
    if args.texts:
        records = iter([{"text": t} for t in args.texts])
        reader = None
    else:
        source = args.input or "-"
        stream = open_text(source)
        fmt = args.format or detect_format(source)
        reader = RecordReader(
            stream, fmt=fmt, name="<stdin>" if source == "-" else source, skip_bad=args.skip_bad
        )
        records = iter(reader)
    jobs = args.jobs or (1 if args.texts else default_jobs())
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    progress = tqdm(unit=" msg", disable=not sys.stderr.isatty(), file=sys.stderr, smoothing=0.1)

    def batches():
        while batch := list(islice(records, args.batch_size)):
            pending_records.append(batch)
            yield [r["text"] for r in batch]

    pending_records: list[list[dict]] = []
    try:
        for results in classify_batches(batches(), model=model, jobs=jobs):
            batch = pending_records.pop(0)
            for record, result in zip(batch, results):
                out.write(json.dumps({**record, **result.to_dict()}, ensure_ascii=False) + "\n")
            progress.update(len(batch))
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
    if reader is not None and reader.skipped:
        print(f"scamtext: skipped {reader.skipped} malformed line(s)", file=sys.stderr)
    return 0


# explain ----------------------------------------------------------------------------


def _add_explain(sub) -> None:
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
    _add_model_argument(p)
    p.set_defaults(run=_run_explain)


def _run_explain(args) -> int:
    from .api import explain
    from .render import format_html, format_text

    explanation = explain(args.text, label=args.label, model=_model_path(args), top_k=args.top_k)
    if args.html:
        Path(args.html).write_text(format_html(explanation), encoding="utf-8")
    if args.json:
        print(json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_text(explanation, ansi=sys.stdout.isatty()))
    return 0


# train and evaluate ---------------------------------------------------------------------


def _add_train(sub) -> None:
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
        help=".jsonl/.csv files with 'text' and 'label' (default: corpus train split)",
    )
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: data/corpus)")
    p.add_argument("--seed", type=int, default=0, help="random_state of the model")
    p.set_defaults(run=_run_train)


def _run_train(args) -> int:
    from .training import train_and_save

    report = train_and_save(
        args.out,
        kind=args.kind,
        data_files=args.data,
        corpus_dir=args.corpus,
        random_state=args.seed,
        log=lambda message: print(message, file=sys.stderr),
    )
    if report is not None:
        from .evaluate import format_report

        print(format_report(report))
    print(f"saved {args.kind} model to {args.out}", file=sys.stderr)
    return 0


def _add_evaluate(sub) -> None:
    p = sub.add_parser(
        "evaluate",
        help="per-label precision/recall/F1 of a model",
        description="Evaluate a model on the corpus test split, or on a labeled file.",
    )
    p.add_argument("--data", metavar="FILE", help=".jsonl/.csv with 'text' and 'label'")
    p.add_argument(
        "--split",
        default="test",
        choices=("train", "validation", "test"),
        help="corpus split to use when --data is not given",
    )
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: data/corpus)")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    p.add_argument(
        "--plots",
        metavar="DIR",
        help="also write confusion.png and reliability.png there (needs matplotlib)",
    )
    _add_model_argument(p)
    p.set_defaults(run=_run_evaluate)


def _run_evaluate(args) -> int:
    from .api import load_model
    from .data import load_corpus, read_labeled_file
    from .evaluate import evaluate_predictions, format_report

    model = load_model(_model_path(args))
    if args.data:
        texts, labels = read_labeled_file(args.data)
        hard = None
    else:
        split = load_corpus(args.corpus)[args.split]
        texts, labels, hard = split["text"], split["label"], split["hard_negative"]
    texts, labels = list(texts), list(labels)
    proba = model.predict_proba(texts)
    classes = list(model.classes_)
    predicted = [classes[i] for i in proba.argmax(axis=1)]
    report = evaluate_predictions(
        labels, predicted, probabilities=proba, classes=classes, hard_negative=hard
    )
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    if args.plots:
        try:
            from .plots import plot_confusion, plot_reliability
        except ImportError as error:
            raise ScamTextError(f"--plots needs matplotlib ({error})") from None
        Path(args.plots).mkdir(parents=True, exist_ok=True)
        for name, plot in (
            ("confusion.png", plot_confusion),
            ("reliability.png", plot_reliability),
        ):
            plot(labels, proba, classes, Path(args.plots) / name, title=model.kind)
        print(f"wrote {args.plots}/confusion.png and reliability.png", file=sys.stderr)
    return 0


def _add_benchmark(sub) -> None:
    from .attacks import ATTACKS
    from .benchmark import PEERS

    p = sub.add_parser(
        "benchmark",
        help="compare scamtext with the usual recipes: accuracy, robustness, speed",
        description="Train every peer and both scamtext kinds on the corpus, measure them on the "
        "test split, under each evasion attack and across styles, and write "
        "OUT/benchmark.md, benchmark.json and PNG plots.",
    )
    p.add_argument(
        "--out", default="reports", metavar="DIR", help="report folder (default reports)"
    )
    p.add_argument("--peers", nargs="+", choices=list(PEERS), default=list(PEERS))
    p.add_argument("--attacks", nargs="*", choices=list(ATTACKS), default=list(ATTACKS))
    p.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="train on N messages (and test on N/10) for a quick run",
    )
    p.add_argument("--no-cross-style", action="store_true", help="skip the cross-style runs")
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: data/corpus)")
    p.set_defaults(run=_run_benchmark)


def _run_benchmark(args) -> int:
    from .benchmark import main as benchmark

    path = benchmark(
        args.out,
        peers=args.peers,
        attacks=args.attacks,
        sample=args.sample,
        cross_style=not args.no_cross_style,
        corpus_dir=args.corpus,
        log=lambda message: print(message, file=sys.stderr),
    )
    print(f"wrote {path}")
    return 0


def _add_spark_classify(sub) -> None:
    p = sub.add_parser(
        "spark-classify",
        help="classify a Parquet/CSV/JSON-lines dataset with Apache Spark",
        description="Read INPUT (any Spark-readable path or URI), add label, is_scam and score "
        "columns with a pandas UDF that loads the model once per executor process, and write "
        "OUTPUT. Needs pyspark (pip install 'scamtext[spark]') and Java.",
    )
    p.add_argument("input", metavar="INPUT")
    p.add_argument("output", metavar="OUTPUT")
    p.add_argument("--text-col", default="text", help="column holding the messages (default text)")
    p.add_argument("--input-format", choices=("parquet", "csv", "json"))
    p.add_argument("--output-format", choices=("parquet", "csv", "json"))
    p.add_argument("--probabilities", action="store_true", help="add a probabilities column")
    p.add_argument("--master", help="Spark master, e.g. local[4] (default: as spark-submit sets)")
    p.add_argument(
        "--model",
        metavar="PATH",
        help="model folder every executor can read (default: the shipped model)",
    )
    p.set_defaults(run=_run_spark_classify)


def _run_spark_classify(args) -> int:
    try:
        from .spark import spark_classify
    except ImportError as error:
        raise ScamTextError(str(error)) from None
    spark_classify(
        args.input,
        args.output,
        text_col=args.text_col,
        model_path=args.model,
        input_format=args.input_format,
        output_format=args.output_format,
        probabilities=args.probabilities,
        master=args.master,
    )
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


# cases, retrain and model versions ------------------------------------------------------


def _add_cases(sub) -> None:
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
    add.add_argument("--label", help="label of the TEXT arguments (any id; new ones allowed)")
    add.add_argument(
        "--input",
        "-i",
        metavar="FILE",
        help=".txt (needs --label), .jsonl or .csv with 'text' and 'label'",
    )
    add.add_argument("--source", default="manual", help="where the cases come from")
    add.add_argument("--no-mask", action="store_true", help="store the text unmasked")
    actions.add_parser("list", help="print the cases as JSON lines")
    export = actions.add_parser("export", help="write the cases to a .jsonl file")
    export.add_argument("file", metavar="FILE")
    p.set_defaults(run=_run_cases)


def _run_cases(args) -> int:
    from collections import defaultdict

    from .cases import CaseStore
    from .data import read_labeled_file
    from .records import RecordReader, detect_format, open_text

    store = CaseStore(args.store)
    if args.action == "list":
        for case in store.list():
            print(json.dumps(case, ensure_ascii=False))
        return 0
    if args.action == "export":
        print(f"exported {store.export(args.file)} case(s) to {args.file}", file=sys.stderr)
        return 0
    grouped: dict[str, list[str]] = defaultdict(list)
    if args.input and detect_format(args.input) != "txt":
        texts, labels = read_labeled_file(args.input)
        for text, label in zip(texts, labels):
            grouped[label].append(text)
    elif args.input:
        if not args.label:
            raise ScamTextError("a .txt input needs --label")
        with open_text(args.input) as stream:
            grouped[args.label] += [
                r["text"] for r in RecordReader(stream, fmt="txt", name=args.input)
            ]
    if args.texts:
        if not args.label:
            raise ScamTextError("messages given as arguments need --label")
        grouped[args.label] += args.texts
    if not grouped:
        raise ScamTextError("nothing to add: give TEXT arguments or --input FILE")
    added = 0
    for label, texts in grouped.items():
        added += len(store.add(texts, label, source=args.source, mask=not args.no_mask))
    print(f"stored {added} case(s) in {store.file}", file=sys.stderr)
    return 0


def _add_retrain(sub) -> None:
    p = sub.add_parser(
        "retrain",
        help="train a challenger on corpus + cases and promote it if it is better",
        description="Train a challenger on the corpus training split plus the cases, evaluate "
        "it and the current model on the frozen test split and on held-back cases, and save it "
        "as a new version. It becomes current only if its test macro-F1 drops by at most "
        "--tolerance and it learned the held-back cases; otherwise exit 1 (unless --force).",
    )
    p.add_argument("--cases", metavar="FILE", help=".jsonl/.csv cases with 'text' and 'label'")
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
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: data/corpus)")
    p.set_defaults(run=_run_retrain)


def _run_retrain(args) -> int:
    from .cases import CaseStore
    from .data import read_labeled_file
    from .registry import ModelRegistry
    from .retrain import retrain

    if args.cases:
        texts, labels = read_labeled_file(args.cases)
        cases = [{"text": t, "label": y} for t, y in zip(texts, labels)]
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
        log=lambda message: print(message, file=sys.stderr),
    )
    r = result.report
    print(f"{'':<34}{'champion':>10}{'challenger':>12}")
    for key, title in (
        ("test_macro_f1", "test macro-F1"),
        ("test_hard_negative_fpr", "hard negatives flagged"),
        ("held_back_case_accuracy", "held-back cases right"),
    ):
        values = [r[who][key] for who in ("champion", "challenger")]
        print(
            f"{title:<34}"
            + "".join(f"{'–' if v is None else f'{v:.4f}':>{w}}" for v, w in zip(values, (10, 12)))
        )
    print(
        f"version {result.version} (parent {r['parent_version']}): "
        + ("promoted" if result.promoted else "NOT promoted")
        + ("" if r["gate"]["passed"] else ": " + "; ".join(r["gate"]["reasons"]))
        + (" (forced)" if r["gate"]["forced"] else "")
    )
    return 0 if result.promoted else 1


def _add_models(sub) -> None:
    p = sub.add_parser("models", help="list model versions, switch, roll back")
    _add_registry_argument(p)
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list versions; * marks the current one")
    use = actions.add_parser("use", help="make a version current")
    use.add_argument("version", metavar="VERSION")
    actions.add_parser("rollback", help="go back to the previously current version")
    p.set_defaults(run=_run_models)


def _run_models(args) -> int:
    from .registry import ModelRegistry

    registry = ModelRegistry(args.registry)
    if args.action == "list":
        versions = registry.versions()
        for v in versions:
            print(
                f"{'*' if v['current'] else ' '} {v['version']}  {v['kind']:<6}  "
                f"created {v['created']}  parent {v['parent']}"
            )
        if registry.current() is None:
            print("* shipped default model (no version chosen)")
        return 0
    if args.action == "use":
        registry.use(args.version)
        print(f"current model: {args.version}")
    else:
        previous = registry.rollback()
        print(f"current model: {previous or 'shipped default model'}")
    return 0


# main ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``scamtext`` command."""
    parser = argparse.ArgumentParser(
        prog="scamtext",
        description="Classify Chinese text messages as normal or as a kind of scam.",
    )
    parser.add_argument("--version", action="version", version=f"scamtext {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="show tracebacks on errors"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        _add_classify,
        _add_explain,
        _add_train,
        _add_evaluate,
        _add_benchmark,
        _add_cases,
        _add_retrain,
        _add_models,
        _add_spark_classify,
    ):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    started = time.perf_counter()
    try:
        code = args.run(args)
    except (ScamTextError, OSError, ValueError) as error:
        if args.verbose:
            traceback.print_exc()
        print(f"scamtext: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("scamtext: interrupted", file=sys.stderr)
        return 130
    if args.verbose:
        print(f"scamtext: done in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return code
