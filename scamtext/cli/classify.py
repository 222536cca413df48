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
        "score and probabilities. An input field with one of those names is an error "
        "unless --prefix puts scamtext's fields under other names.",
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


def run(args) -> int:
    from tqdm import tqdm

    from ..api import classify_records, load_model
    from ..batch.stream import default_jobs
    from ..io.records import open_output, read_records, write_jsonl

    if args.texts and args.input:
        raise ScamTextError("give messages as arguments or --input FILE, not both")
    model = load_model(model_path(args))
    jobs = args.jobs or (1 if args.texts else default_jobs())
    progress = tqdm(unit=" msg", disable=not sys.stderr.isatty(), file=sys.stderr, smoothing=0.1)
    try:
        if args.texts:
            records = classify_records(
                [{"text": t} for t in args.texts], model=model, jobs=jobs, prefix=args.prefix
            )
            with open_output(args.output) as out:
                write_jsonl(out, records)
            return 0
        with read_records(args.input, fmt=args.format, skip_bad=args.skip_bad) as reader:
            records = classify_records(
                reader,
                model=model,
                batch_size=args.batch_size,
                jobs=jobs,
                prefix=args.prefix,
                on_batch=progress.update,
            )
            with open_output(args.output, inputs=[args.input]) as out:
                written = write_jsonl(out, records)
    finally:
        progress.close()
    print(
        f"scamtext: {reader.read} read, {written} written, {reader.skipped} skipped",
        file=sys.stderr,
    )
    return 0
