"""Root pytest configuration: doctests of optional modules need their extras."""

import importlib.util

collect_ignore = [
    path
    for path, extra in (("scamtext/batch/spark.py", "pyspark"), ("scamtext/serve", "fastapi"))
    if importlib.util.find_spec(extra) is None
]
