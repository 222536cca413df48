"""Classify messages held in an Apache Spark DataFrame, for platforms that already run Spark.

:func:`classify_dataframe` adds ``label``, ``is_scam`` and ``score`` columns (and,
on request, ``probabilities``) to a DataFrame with a text column. The work is done
by a vectorised pandas UDF that calls :func:`scamtext.predict`, so every message
gets exactly the result it would get in process. Each Python worker process loads
the model once, the first time it needs it, and keeps it for every later batch and
task (Spark reuses Python workers by default, ``spark.python.worker.reuse=true``;
with reuse turned off, the model is loaded once per task).

:func:`spark_classify` is the file-to-file job: it reads Parquet, CSV or JSON
lines, classifies, and writes the result in the same or another format.

Running a job
-------------
Every executor needs scamtext (and its dependencies) installed in the Python that
Spark runs there, as it needs pyspark's own. A driver script is the simplest job::

    # classify_sms.py
    import sys
    from scamtext.batch.spark import spark_classify

    spark_classify(sys.argv[1], sys.argv[2], model_path=None)

and is submitted as usual (``spark-submit`` runs scripts, not ``-m`` modules)::

    spark-submit --master yarn classify_sms.py hdfs:///sms/in.parquet hdfs:///sms/out.parquet

On one machine, ``python -m scamtext spark-classify IN OUT`` runs the same job
(pass ``--master local[4]`` to choose the cores). In local mode the session that
:func:`spark_classify` creates starts its Python workers with the interpreter that runs
it, so a virtual environment's ``python`` works without being activated. Everywhere
else Spark starts ``PYSPARK_PYTHON``, or the first ``python3`` on PATH: set
``PYSPARK_PYTHON`` (with ``spark-submit``, or ``--conf spark.pyspark.python=...``) to a
Python with scamtext installed, at the same path on every node of a cluster.

Distributing the model
----------------------
``model_path=None`` uses the model shipped inside the installed package, which
every executor has. A model of your own (a folder with ``model.skops`` and
``metadata.json``, see :mod:`scamtext.model.persistence`) is read by each Python worker
from ``model_path``, so that path must exist on every executor:

- a folder on a file system mounted at the same place on every node (NFS, an HDFS
  FUSE mount...): ``model_path="/mnt/models/sms-2024-06"``;
- or a zip of the folder shipped with the job, which Spark unpacks on each node::

      (cd my_model && zip -r ../model.zip .)
      spark-submit --archives model.zip#model classify_sms.py IN OUT

  with ``model_path="model"``. A relative ``model_path`` is looked up in the
  worker's working directory first, then in Spark's files directory
  (:func:`pyspark.SparkFiles.getRootDirectory`), where local mode unpacks archives.

Paths such as ``hdfs://`` URLs cannot be read by the model loader: copy or mount
the folder instead.

Notes
-----
A null text gets null ``label``, ``is_scam``, ``score`` and ``probabilities``,
rather than failing the job: filter with ``df.where(df.label.isNotNull())``.
An empty string is a message like any other and is classified.

Importing this module needs pyspark (``pip install 'scamtext[spark]'``), with
pandas and pyarrow for the pandas UDF, and Java for Spark itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

try:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as _error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "scamtext.batch.spark needs pyspark: pip install 'scamtext[spark]'"
    ) from _error

from .._validation import MAX_CHARS
from ..api import load_model, predict
from ..exceptions import ModelLoadError, ScamTextError, SchemaError
from ..io.records import format_of
from ..model.classifier import ScamClassifier

__all__ = [
    "InputNotFoundError",
    "OutputExistsError",
    "RESULT_COLUMNS",
    "classify_dataframe",
    "spark_classify",
]

RESULT_COLUMNS: tuple[str, ...] = ("label", "is_scam", "score", "probabilities")
"""The columns :func:`classify_dataframe` may add, in order."""

FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl")
"""File formats :func:`spark_classify` reads and writes.

Their suffixes are in :data:`scamtext.io.records.SUFFIXES`."""
_DEBUG_COLUMNS = ("_pid", "_loads")


class OutputExistsError(ScamTextError, FileExistsError):
    """The output path of a Spark job exists already; Spark would refuse to write it."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(
            f"output {path} already exists; choose a new path or delete it first "
            "(scamtext never overwrites a Spark output)"
        )


class InputNotFoundError(ScamTextError, FileNotFoundError):
    """The input path of a Spark job matches no file."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(f"input {path} does not exist (or the pattern matches no file)")


# Worker side ---------------------------------------------------------------------------
# Each Python worker process imports this module once and keeps it between tasks, so the
# models cached here are loaded once per process. The UDF closure refers to these
# functions, which cloudpickle sends by reference: the cache is this module's, not a copy.

_MODELS: dict[str | None, ScamClassifier] = {}
_LOADS: dict[str | None, int] = {}


def _resolve_model_path(model_path: str | None) -> str | None:
    """Find ``model_path`` on this worker: as given, else in Spark's files directory."""
    if model_path is None or os.path.isabs(model_path) or os.path.isdir(model_path):
        return model_path
    looked = [os.path.abspath(model_path)]
    try:
        from pyspark import SparkFiles

        shipped = os.path.join(SparkFiles.getRootDirectory(), model_path)
    except Exception:  # no Spark context or files directory in this process
        shipped = None
    if shipped is not None:
        if os.path.isdir(shipped):
            return shipped
        looked.append(shipped)
    raise ModelLoadError(
        model_path, f"no such model folder on this executor (looked for {' and '.join(looked)})"
    )


def _get_model(model_path: str | None) -> ScamClassifier:
    """Return the model at ``model_path``, loading it only the first time in this process."""
    if model_path not in _MODELS:
        _MODELS[model_path] = load_model(_resolve_model_path(model_path))
        _LOADS[model_path] = _LOADS.get(model_path, 0) + 1
    return _MODELS[model_path]


def _loaded_models() -> int:
    """Return how many times this process has loaded a model (any path)."""
    return sum(_LOADS.values())


def _classify_series(
    texts: pd.Series, model: ScamClassifier, probabilities: bool, debug_loads: int | None
) -> pd.DataFrame:
    """Classify one chunk; null texts, and texts over :data:`MAX_CHARS` characters (which
    scamtext refuses), get null results."""
    n = len(texts)
    present = (texts.notna() & (texts.str.len() <= MAX_CHARS)).to_numpy()
    results = predict(texts[present].tolist(), model=model) if present.any() else []
    found = iter(results)
    rows = [next(found) if ok else None for ok in present]
    frame = {
        "label": pd.Series([r.label if r else None for r in rows], dtype=object),
        "is_scam": pd.Series([r.is_scam if r else None for r in rows], dtype=object),
        "score": pd.Series([r.score if r else None for r in rows], dtype="float64"),
    }
    if probabilities:
        frame["probabilities"] = pd.Series(
            [r.probabilities if r else None for r in rows], dtype=object
        )
    if debug_loads is not None:
        frame["_pid"] = pd.Series([os.getpid()] * n, dtype="int64")
        frame["_loads"] = pd.Series([debug_loads] * n, dtype="int64")
    return pd.DataFrame(frame, index=pd.RangeIndex(n))


def _classify_batches(
    batches: Iterator[pd.Series],
    model_path: str | None,
    probabilities: bool,
    batch_size: int,
    debug: bool,
) -> Iterator[pd.DataFrame]:
    """The body of the pandas UDF: load the model once, then classify every batch."""
    model = _get_model(model_path)
    for texts in batches:
        # An empty batch still gets its (empty) answer.
        for start in range(0, len(texts), batch_size) or [0]:
            loads = _LOADS[model_path] if debug else None
            yield _classify_series(
                texts.iloc[start : start + batch_size], model, probabilities, loads
            )


# Driver side ---------------------------------------------------------------------------


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _result_type(probabilities: bool, debug: bool) -> T.StructType:
    fields = [
        T.StructField("label", T.StringType()),
        T.StructField("is_scam", T.BooleanType()),
        T.StructField("score", T.DoubleType()),
    ]
    if probabilities:
        fields.append(T.StructField("probabilities", T.MapType(T.StringType(), T.DoubleType())))
    if debug:
        fields += [T.StructField(name, T.LongType()) for name in _DEBUG_COLUMNS]
    return T.StructType(fields)


def _make_udf(model_path: str | None, probabilities: bool, batch_size: int, debug: bool):
    """Return the pandas UDF; its closure holds only plain values, sent to every task."""

    def classify(batches: Iterator[pd.Series]) -> Iterator[pd.DataFrame]:
        return _classify_batches(batches, model_path, probabilities, batch_size, debug)

    return F.pandas_udf(classify, returnType=_result_type(probabilities, debug))  # type: ignore[call-overload]


def _check_dataframe(df: DataFrame, text_col: str, added: list[str]) -> None:
    types = {field.name: field.dataType for field in df.schema.fields}
    if text_col not in types:
        raise SchemaError(
            f"the DataFrame has no column {text_col!r}; its columns are "
            f"{', '.join(df.columns) or 'none'} (pass text_col=...)"
        )
    if not isinstance(types[text_col], T.StringType):
        raise SchemaError(
            f"column {text_col!r} is {types[text_col].simpleString()}; expected string "
            f"(cast it: df.withColumn({text_col!r}, df[{text_col!r}].cast('string')))"
        )
    clashes = [name for name in added if name in types]
    if clashes:
        raise SchemaError(
            f"the DataFrame already has column(s) {', '.join(clashes)}, which classify_dataframe "
            "adds; rename them first (df.withColumnRenamed('label', 'true_label'))"
        )


def _classify(
    df: DataFrame,
    *,
    text_col: str = "text",
    model_path: str | os.PathLike | None = None,
    probabilities: bool = False,
    batch_size: int = 2000,
    debug: bool = False,
) -> DataFrame:
    """:func:`classify_dataframe`, plus the ``_pid`` and ``_loads`` columns if ``debug``.

    The debug columns give, for every chunk of at most ``batch_size`` messages, the
    worker's process id and how many times that process had loaded this model; the
    tests use them to check that a worker loads its model once, not once per batch.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be an int of at least 1, got {batch_size!r}")
    if model_path is not None:
        model_path = os.fspath(model_path)
        if not isinstance(model_path, str):
            raise ValueError(f"model_path must be a str path, got {model_path!r}")
    added = [c for c in RESULT_COLUMNS if probabilities or c != "probabilities"]
    if debug:
        added += list(_DEBUG_COLUMNS)
    _check_dataframe(df, text_col, added)
    udf = _make_udf(model_path, bool(probabilities), batch_size, debug)
    struct = "_scamtext_result"
    while struct in df.columns:
        struct = "_" + struct
    with_result = df.withColumn(struct, udf(F.col(_quote(text_col))))
    return with_result.select(
        *[F.col(_quote(c)) for c in df.columns],
        *[F.col(f"{_quote(struct)}.{_quote(c)}").alias(c) for c in added],
    )


def classify_dataframe(
    df: DataFrame,
    *,
    text_col: str = "text",
    model_path: str | os.PathLike | None = None,
    probabilities: bool = False,
    batch_size: int = 2000,
) -> DataFrame:
    """Return ``df`` with the scamtext classification of ``text_col`` in new columns.

    The result is lazy, like any DataFrame transformation: nothing runs until an
    action (``write``, ``count``, ``collect``...).

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The messages, one a row, in a string column.
    text_col : str, default "text"
        The column holding the message text.
    model_path : str or path-like, optional
        A model folder that every executor can read (see the module notes on
        distributing a model). None: the model shipped inside the installed package.
    probabilities : bool, default False
        Also add a ``probabilities`` column (map of every label id to its probability).
    batch_size : int, default 2000
        The most messages a worker gives the model at once. Spark's Arrow batches
        (``spark.sql.execution.arrow.maxRecordsPerBatch``, 10,000 by default) are
        cut into chunks of this size, which bounds the model's working memory.

    Returns
    -------
    pyspark.sql.DataFrame
        Every column of ``df``, in order, then ``label`` (string), ``is_scam``
        (boolean), ``score`` (double) and, if ``probabilities``, ``probabilities``
        (map<string,double>). Rows with a null text get nulls in the new columns.

    Raises
    ------
    SchemaError
        If ``text_col`` is missing or not a string column, or if ``df`` already has a
        column that would be added.
    ValueError
        If ``batch_size`` is not a positive int.

    See Also
    --------
    scamtext.predict : The same classification for a list of messages in process.
    spark_classify : Read a file, classify it and write the result.

    Notes
    -----
    A missing or broken model is found only when the job runs, on the executors; it
    fails the job with a :class:`~scamtext.exceptions.ModelLoadError` message in the
    Python traceback that Spark reports.
    """
    return _classify(
        df,
        text_col=text_col,
        model_path=model_path,
        probabilities=probabilities,
        batch_size=batch_size,
    )


def _has_known_suffix(path: str) -> bool:
    try:
        format_of(path, allowed=FORMATS)
    except SchemaError:
        return False
    return True


def _run_local_workers_here(spark: SparkSession) -> None:
    """In local mode, start Python workers with this interpreter unless ``PYSPARK_PYTHON`` is set.

    pyspark starts workers with ``SparkContext.pythonExec``: ``PYSPARK_PYTHON``, else the
    first ``python3`` on PATH, which lacks scamtext when its virtual environment is not
    activated. (The ``spark.pyspark.python`` setting does not change it in a running driver.)
    On a cluster, or with Spark Connect, the executors choose their Python.
    """
    if "PYSPARK_PYTHON" in os.environ:
        return
    try:
        context = spark.sparkContext
    except Exception:  # Spark Connect: the server starts the workers
        return
    if (context.master or "").startswith("local"):
        context.pythonExec = sys.executable


def _local_path(path: str) -> str | None:
    """Return ``path`` as a local file name, or None if it has another scheme."""
    if path.startswith("file://"):
        return path[len("file://") :]
    if path.startswith("file:"):
        return path[len("file:") :]
    return None if "://" in path else path


def _path_exists(spark: SparkSession, path: str, *, pattern: bool = False) -> bool | None:
    """Whether ``path`` exists, asking Hadoop's file system; None if that cannot be told."""
    try:
        jvm: Any = spark.sparkContext._jvm
        hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
        fs = hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        if pattern:
            matches = fs.globStatus(hadoop_path)
            return matches is not None and len(matches) > 0
        return bool(fs.exists(hadoop_path))
    except Exception:  # Spark Connect has no JVM here; fall back to local paths
        local = _local_path(path)
        if local is None:
            return None
        if pattern:
            import glob

            return bool(glob.glob(local))
        return os.path.exists(local)


def _remove_if_empty(spark: SparkSession, path: str) -> None:
    """Remove the empty folder a failed Spark write leaves, so that the job can be rerun."""
    try:
        jvm: Any = spark.sparkContext._jvm
        hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
        fs = hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        if fs.isDirectory(hadoop_path) and len(fs.listStatus(hadoop_path)) == 0:
            fs.delete(hadoop_path, False)
        return
    except Exception:  # Spark Connect has no JVM here; fall back to local paths
        pass
    local = _local_path(path)
    try:
        if local is not None and os.path.isdir(local) and not os.listdir(local):
            os.rmdir(local)
    except OSError:  # best effort: never hide the error that failed the job
        pass


def _read(spark: SparkSession, path: str, fmt: str) -> DataFrame:
    if fmt == "parquet":
        return spark.read.parquet(path)
    if fmt == "csv":
        # RFC 4180 quoting, and quoted fields may hold line breaks (messages often do).
        return spark.read.csv(path, header=True, multiLine=True, escape='"')
    return spark.read.json(path)


def _write(df: DataFrame, path: str, fmt: str) -> None:
    writer = df.write.mode("error")
    if fmt == "parquet":
        writer.parquet(path)
    elif fmt == "csv":
        writer.csv(path, header=True, escape='"')
    else:
        writer.json(path, ignoreNullFields=False)


def spark_classify(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    text_col: str = "text",
    model_path: str | os.PathLike | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
    probabilities: bool = False,
    master: str | None = None,
) -> str:
    """Read messages from a file, classify them with Spark and write the result.

    Parameters
    ----------
    input_path : str or path-like
        A file, folder or glob pattern Spark can read (local, ``hdfs://``, ``s3a://``...).
    output_path : str or path-like
        Where to write; Spark writes a folder of part files. It must not exist yet.
    text_col : str, default "text"
        The column holding the message text.
    model_path : str or path-like, optional
        A model folder every executor can read; None: the shipped model.
    input_format : {"parquet", "csv", "jsonl"}, optional
        Default: from the extension of ``input_path`` (``.parquet``, ``.csv``,
        ``.json``/``.jsonl``/``.ndjson``). json means JSON lines. csv has a header
        row and RFC 4180 quoting (fields may hold line breaks); its columns are read
        as strings, and an empty text field is an empty message, not a null.
    output_format : {"parquet", "csv", "jsonl"}, optional
        Default: from the extension of ``output_path`` if it has one of those above,
        else the input format.
    probabilities : bool, default False
        Also write the probability of every label (as a JSON string in CSV output,
        which cannot hold a map).
    master : str, optional
        The Spark master, e.g. ``"local[4]"``. None leaves it to ``spark-submit`` or
        to an existing session. If this function creates a session in local mode, its
        Python workers run this interpreter unless ``PYSPARK_PYTHON`` is set.

    Returns
    -------
    str
        ``output_path``.

    Raises
    ------
    SchemaError
        If a format is unknown or cannot be told from the path, or if the input has no
        string ``text_col`` (see :func:`classify_dataframe`).
    InputNotFoundError
        If ``input_path`` matches nothing.
    OutputExistsError
        If ``output_path`` exists already.

    Notes
    -----
    The SparkSession is reused if one is active, otherwise created (app name
    ``scamtext``) and stopped at the end. If the job fails (a model that cannot be
    loaded on an executor, for one), the empty output folder Spark leaves is removed.
    """
    input_path, output_path = os.fspath(input_path), os.fspath(output_path)
    in_fmt = format_of(input_path, input_format, allowed=FORMATS)
    if output_format is None and not _has_known_suffix(output_path):
        output_format = in_fmt
    out_fmt = format_of(output_path, output_format, allowed=FORMATS)

    try:
        created = SparkSession.active() is None
    except Exception:  # pyspark's "no active or default session"
        created = True
    builder = SparkSession.builder.appName("scamtext")
    if master is not None:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    if created:
        _run_local_workers_here(spark)
    try:
        if _path_exists(spark, input_path, pattern=True) is False:
            raise InputNotFoundError(input_path)
        if _path_exists(spark, output_path):
            raise OutputExistsError(output_path)
        source = _read(spark, input_path, in_fmt)
        if in_fmt == "csv" and text_col in source.columns:
            # CSV cannot tell an empty field from a missing one; Python's csv module,
            # and so `scamtext classify`, reads both as an empty message.
            source = source.withColumn(text_col, F.coalesce(F.col(_quote(text_col)), F.lit("")))
        result = classify_dataframe(
            source,
            text_col=text_col,
            model_path=model_path,
            probabilities=probabilities,
        )
        if out_fmt == "csv" and probabilities:
            result = result.withColumn("probabilities", F.to_json("probabilities"))
        try:
            _write(result, output_path, out_fmt)
        except BaseException:
            _remove_if_empty(spark, output_path)
            raise
    finally:
        if created:
            spark.stop()
    return output_path
