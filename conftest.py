"""Root pytest configuration: doctests of optional modules need their extras."""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("pyspark") else ["scamtext/batch/spark.py"]
