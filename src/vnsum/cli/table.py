"""Plain-text tables for the command line: columns as wide as their widest cell."""

from __future__ import annotations


def table(headers: list[str], rows: list[list[object]]) -> str:
    """``headers`` over a rule and ``rows``, left-aligned; None is shown as "-"."""
    cells = [headers, *[[("-" if c is None else str(c)) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])
