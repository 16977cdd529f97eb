"""argparse pieces every command shares: one-line errors and numbers checked on parsing.

A bad number used to reach the engine (``--batch-size -1`` dumped the engine's
arguments, ``--beam-size 0`` raised a bare ValueError); checked here, it is one line
naming the option and exit code 2, like any other mistake in the command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn


EXIT_CODES = ("exit codes: 0 all done; 1 some documents failed (each named on stderr, and as an error record "
              "in a --format jsonl stream) or the model could not be loaded; 2 the command was wrong (an "
              "unknown option, model or glossary, a bad number, a missing input file)")


class Paragraphs(argparse.HelpFormatter):
    """Help whose description and epilog keep their paragraphs (each one re-wrapped)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        fill = super()._fill_text
        return "\n\n".join(fill(part, width, indent) for part in text.split("\n\n"))


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: the message and where the help is
    (the usage block printed above it buried the one thing to fix)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Paragraphs)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def integer(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    parse.__name__ = "integer"  # named in argparse's own messages
    return parse


def seconds(text: str) -> float:
    """An argparse type: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return value


POSITIVE = integer(1)
NON_NEGATIVE = integer(0)
