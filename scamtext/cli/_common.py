"""Arguments that several commands share, and the model they name."""

from __future__ import annotations

import argparse
import sys


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--model PATH|VERSION`` and ``--registry DIR``."""
    parser.add_argument(
        "--model",
        metavar="PATH|VERSION",
        help="model folder, folder of versions (its current one) or version name "
        "(default: the current version, else the shipped model)",
    )
    add_registry_argument(parser)


def add_registry_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--registry DIR``."""
    parser.add_argument(
        "--registry",
        metavar="DIR",
        help="folder of model versions (default: the per-user data folder)",
    )


def model_path(args):
    """The model folder that --model names (a path or a version), or None for the shipped one."""
    from ..lifecycle.registry import ModelRegistry

    return ModelRegistry(args.registry).resolve(args.model)


def log(message: str) -> None:
    """Print a progress line on stderr."""
    print(message, file=sys.stderr)
