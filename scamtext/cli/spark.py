"""``scamtext spark-classify``: a dataset classified by Apache Spark."""

from __future__ import annotations

from ..exceptions import ScamTextError
from ._common import add_registry_argument, log, model_path


def add(sub) -> None:
    p = sub.add_parser(
        "spark-classify",
        help="classify a Parquet/CSV/JSON-lines dataset with Apache Spark",
        description="Read INPUT (any Spark-readable path or URI), add label, is_scam and score "
        "columns with a pandas UDF that loads the model once per executor process, and write "
        "OUTPUT. Needs pyspark (pip install 'scamtext[spark]') and Java. In local mode the "
        "workers run this Python unless PYSPARK_PYTHON is set; on a cluster, set it to a "
        "Python with scamtext installed on every executor.",
    )
    p.add_argument("input", metavar="INPUT")
    p.add_argument("output", metavar="OUTPUT")
    p.add_argument("--text-col", default="text", help="column holding the messages (default text)")
    p.add_argument("--input-format", choices=("parquet", "csv", "jsonl"))
    p.add_argument("--output-format", choices=("parquet", "csv", "jsonl"))
    p.add_argument("--probabilities", action="store_true", help="add a probabilities column")
    p.add_argument("--master", help="Spark master, e.g. local[4] (default: as spark-submit sets)")
    p.add_argument(
        "--model",
        metavar="PATH|VERSION",
        help="model folder every executor can read, folder of versions or version name "
        "(default: the current version, else the shipped model)",
    )
    add_registry_argument(p)
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        from ..batch.spark import spark_classify
    except ImportError as error:
        raise ScamTextError(str(error)) from None
    path = model_path(args)
    spark_classify(
        args.input,
        args.output,
        text_col=args.text_col,
        model_path=None if path is None else str(path),
        input_format=args.input_format,
        output_format=args.output_format,
        probabilities=args.probabilities,
        master=args.master,
    )
    log(f"wrote {args.output}")
    return 0
