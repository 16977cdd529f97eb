"""Where a batch of documents is translated: in this process, or across a Ray cluster.

Both engines take the documents still to do and yield one :class:`~vnsum.engines.jobs.Outcome`
each, in order: :mod:`~vnsum.engines.local` runs one Translator here,
:mod:`~vnsum.engines.ray` a pool of them on Ray. Both read and group documents the same
way (:mod:`~vnsum.engines.jobs`), so their outputs are the same.
"""
