"""Where the project's own folders are: ``models/`` and ``glossary/`` of the checkout."""

from __future__ import annotations

import os
from pathlib import Path


def project_dir() -> Path:
    """The checkout this package runs from (``src/vnsum`` -> two levels up).

    vnsum is run from a clone (``pip install -e .``); the environment variables
    ``VNSUM_MODELS`` and ``VNSUM_GLOSSARIES`` point elsewhere when it is not.
    """
    return Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    """``$VNSUM_CACHE``, else ``$XDG_CACHE_HOME/vnsum`` (``~/.cache/vnsum``): the translation
    memory and CTranslate2 conversions of model folders given by path."""
    if os.environ.get("VNSUM_CACHE"):
        return Path(os.environ["VNSUM_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vnsum"
