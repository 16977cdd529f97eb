"""Where a batch of documents is translated: in this process, or across a Ray cluster.

The local engine is the Translator itself (``vnsum translate`` calls it document by
document); :mod:`vnsum.engines.ray` runs the same Translator in a pool of Ray actors.
"""
