"""Command line: ``scamtext COMMAND ...`` (or ``python -m scamtext``).

One module per command group adds its arguments (``add``) and runs them (``run``): each
run calls one library function and prints its result. Nothing heavy is imported until a
command runs, so ``scamtext --help`` is fast. ``main`` returns the exit code: 0 success,
1 a scamtext or file error (one line on stderr; the traceback only with ``-v``), 2 a
usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from .. import __version__
from ..exceptions import ScamTextError
from . import cases, classify, explain, serve, spark, train, versions

COMMAND_GROUPS = (classify, explain, train, cases, versions, spark, serve)
"""The modules that add subcommands, in ``--help`` order."""


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
    for group in COMMAND_GROUPS:
        group.add(sub)
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
