"""Where the project's own folders are: ``models/`` and ``glossary/`` of the checkout."""

from __future__ import annotations

from pathlib import Path


def project_dir() -> Path:
    """The checkout this package runs from (``src/vnsum`` -> two levels up).

    vnsum is run from a clone (``pip install -e .``); the environment variables
    ``VNSUM_MODELS`` and ``VNSUM_GLOSSARIES`` point elsewhere when it is not.
    """
    return Path(__file__).resolve().parents[2]
