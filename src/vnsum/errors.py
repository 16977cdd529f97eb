"""The exceptions vnsum raises on purpose.

Every one carries a message written for the person at the keyboard: the CLI prints it
as-is (no traceback) and exits with a non-zero code, the Python API lets it propagate.
"""

from __future__ import annotations


class VnsumError(Exception):
    """Base class: anything a user can fix by changing an input, a file or a setting."""


class UsageError(VnsumError):
    """A request that cannot be served as asked (unknown language pair, bad option)."""


class ModelNotFoundError(VnsumError):
    """No weights for a model were found in any of the places vnsum looks."""


class UnknownModelError(ModelNotFoundError, UsageError):
    """A model name that names nothing (a typo, not a missing download): the command
    was wrong, so the CLI exits 2, while a server still answers it as a missing model."""


class DownloadError(VnsumError):
    """A model could not be downloaded (hub unreachable, full disk, a corrupted file);
    nothing that half-loads was left behind."""


class ModelLoadError(VnsumError):
    """Weights were found but could not be loaded (missing files, wrong format)."""


class GlossaryError(VnsumError):
    """A glossary file is malformed; the message names the file and the line."""


class UnknownGlossaryError(GlossaryError, UsageError):
    """A glossary name that is neither a file nor a bundled glossary: the command was wrong."""


class InputError(VnsumError):
    """A document cannot be read as text; the message names the file."""


class MissingInputError(InputError, UsageError):
    """An input named on the command line does not exist: the command was wrong, not a document."""


class OutputError(VnsumError):
    """A result could not be written (full disk, no permission); nothing partial was left."""


class ManifestError(OutputError):
    """The batch manifest cannot be written: the run stops rather than do unrecorded work."""
