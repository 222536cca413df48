"""``scamtext classify``: messages in, one JSON object per message out."""

from __future__ import annotations

import sys

from ..exceptions import ScamTextError
from ._common import add_model_argument, model_path


def add(sub) -> None:
    p = sub.add_parser(
        "classify",
        help="classify messages, one JSON object per message",
        description="Classify messages given as arguments, in a file or on stdin. Writes one "
        "JSON object per message, in input order: the input's fields plus label, is_scam, "
        "score and probabilities. A record with a field of one of those names is a bad "
        "record (like a malformed line) unless --prefix puts scamtext's fields under "
        "other names. A bad record stops the run after the records before it are written "
        "(an --output file is then left as it was); --skip-bad warns, skips and counts it.",
    )
    p.add_argument("texts", nargs="*", metavar="TEXT", help="messages to classify")
    p.add_argument(
        "--input",
        "-i",
        metavar="FILE",
        help=".txt (a message a line), .jsonl/.json/.ndjson (objects with 'text') or .csv "
        "(a 'text' column), optionally .gz; '-' reads stdin",
    )
    p.add_argument(
        "--format",
        choices=("txt", "jsonl", "csv"),
        help="input format (default: from the file name; txt for stdin)",
    )
    p.add_argument(
        "--output", "-o", metavar="FILE", help="write here (atomically) instead of stdout"
    )
    p.add_argument(
        "--prefix", default="", metavar="P", help="prefix of the added fields (e.g. scamtext_)"
    )
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
        help="worker processes, at most the cores (default: all cores for files, 1 for arguments)",
    )
    add_model_argument(p)
    p.set_defaults(run=run)


def _summary(reader, written: int, note: str = "") -> None:
    print(
        f"scamtext: {reader.read} read, {written} written, {reader.skipped} skipped{note}",
        file=sys.stderr,
    )


def run(args) -> int:
    from tqdm import tqdm

    from ..api import classify_records, load_model
    from ..batch.stream import OUTPUT_FIELDS, default_jobs
    from ..io.records import open_output, read_records, write_jsonl

    if args.texts and args.input:
        raise ScamTextError("give messages as arguments or --input FILE, not both")
    model = load_model(model_path(args))
    jobs = args.jobs if args.jobs is not None else (1 if args.texts else default_jobs())
    progress = tqdm(unit=" msg", disable=not sys.stderr.isatty(), file=sys.stderr, smoothing=0.1)
    try:
        if args.texts:
            records = classify_records(
                [{"text": t} for t in args.texts], model=model, jobs=jobs, prefix=args.prefix
            )
            with open_output(args.output) as out:
                write_jsonl(out, records)
            return 0
        reserved = [args.prefix + field for field in OUTPUT_FIELDS]
        with read_records(
            args.input, fmt=args.format, skip_bad=args.skip_bad, reserved=reserved
        ) as reader:
            records = classify_records(
                reader.until_error(),  # every record before a bad line is written first
                model=model,
                batch_size=args.batch_size,
                jobs=jobs,
                prefix=args.prefix,
                on_batch=progress.update,
            )
            with open_output(args.output, inputs=[args.input]) as out:
                written = write_jsonl(out, records)
                if reader.error is not None:
                    if args.output in (None, "-"):
                        _summary(reader, written)
                    else:
                        _summary(reader, 0, f"; {args.output} is left as it was")
                    reader.raise_error()
    finally:
        progress.close()
    _summary(reader, written)
    return 0
