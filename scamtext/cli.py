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
        "--model", metavar="PATH", help="model folder (default: the model shipped with scamtext)"
    )


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
    p.add_argument("--input", "-i", metavar="FILE",
                   help=".txt (a message a line), .jsonl (objects with 'text') or .csv "
                        "(a 'text' column), optionally .gz; '-' reads stdin")
    p.add_argument("--format", choices=("txt", "jsonl", "csv"),
                   help="input format (default: from the file name; txt for stdin)")
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--batch-size", type=int, default=2000, metavar="N",
                   help="messages classified at a time (default 2000)")
    p.add_argument("--skip-bad", action="store_true",
                   help="warn about malformed lines and go on, instead of stopping")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="worker processes (default: all cores for files, 1 for arguments)")
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
    model = load_model(args.model)
    if args.texts:
        records = iter([{"text": t} for t in args.texts])
        reader = None
    else:
        source = args.input or "-"
        stream = open_text(source)
        fmt = args.format or detect_format(source)
        reader = RecordReader(stream, fmt=fmt, name="<stdin>" if source == "-" else source,
                              skip_bad=args.skip_bad)
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

    explanation = explain(args.text, label=args.label, model=args.model, top_k=args.top_k)
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
    p.add_argument("--data", nargs="+", metavar="FILE",
                   help=".jsonl/.csv files with 'text' and 'label' (default: corpus train split)")
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: data/corpus)")
    p.add_argument("--seed", type=int, default=0, help="random_state of the model")
    p.set_defaults(run=_run_train)


def _run_train(args) -> int:
    from .training import train_and_save

    report = train_and_save(
        args.out, kind=args.kind, data_files=args.data, corpus_dir=args.corpus,
        random_state=args.seed, log=lambda message: print(message, file=sys.stderr),
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
    p.add_argument("--split", default="test", choices=("train", "validation", "test"),
                   help="corpus split to use when --data is not given")
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: data/corpus)")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    _add_model_argument(p)
    p.set_defaults(run=_run_evaluate)


def _run_evaluate(args) -> int:
    from .api import load_model
    from .data import load_corpus, read_labeled_file
    from .evaluate import evaluate, format_report

    model = load_model(args.model)
    if args.data:
        texts, labels = read_labeled_file(args.data)
        hard = None
    else:
        split = load_corpus(args.corpus)[args.split]
        texts, labels, hard = split["text"], split["label"], split["hard_negative"]
    report = evaluate(model, texts, labels, hard_negative=hard)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
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
    p.add_argument("--out", default="reports", metavar="DIR", help="report folder (default reports)")
    p.add_argument("--peers", nargs="+", choices=list(PEERS), default=list(PEERS))
    p.add_argument("--attacks", nargs="*", choices=list(ATTACKS), default=list(ATTACKS))
    p.add_argument("--sample", type=int, metavar="N",
                   help="train on N messages (and test on N/10) for a quick run")
    p.add_argument("--no-cross-style", action="store_true", help="skip the cross-style runs")
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: data/corpus)")
    p.set_defaults(run=_run_benchmark)


def _run_benchmark(args) -> int:
    from .benchmark import main as benchmark

    path = benchmark(args.out, peers=args.peers, attacks=args.attacks, sample=args.sample,
                     cross_style=not args.no_cross_style, corpus_dir=args.corpus,
                     log=lambda message: print(message, file=sys.stderr))
    print(f"wrote {path}")
    return 0


# main ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``scamtext`` command."""
    parser = argparse.ArgumentParser(
        prog="scamtext",
        description="Classify Chinese text messages as normal or as a kind of scam.",
    )
    parser.add_argument("--version", action="version", version=f"scamtext {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_classify, _add_explain, _add_train, _add_evaluate, _add_benchmark):
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
