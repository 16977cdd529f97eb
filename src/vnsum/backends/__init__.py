"""Translation backends: anything that turns a batch of sentences into a batch of outputs.

The rest of vnsum (segmentation, glossary enforcement, summaries) only talks to the
:class:`Backend` protocol, so a new engine is one new module here, not an if-chain.
"""

from .base import Backend, Decoding

__all__ = ["Backend", "Decoding"]
