"""Training translation models on your own bilingual data: ``vnsum train``.

Two ways in: train a Marian transformer from scratch with a joint SentencePiece
vocabulary and target-language tags (one model for vi->en and en->vi), or fine-tune
an existing Hugging Face seq2seq folder (an OPUS-MT model, say). Either way the data
can be mixed with a glossary's pairs and with masked copies that teach the
placeholder convention of :mod:`vnsum.enforce`, and the result is a normal model
folder that ``Translator(model=folder)`` loads.

    from vnsum.train import TrainConfig, train
    result = train(TrainConfig.load("models/vnsum-mini.toml"), "models/vnsum-mini")
"""

from .config import Corpus, TrainConfig
from .evaluate import KernelError, SourceIgnoredError
from .trainer import TrainResult, train

__all__ = ["Corpus", "KernelError", "SourceIgnoredError", "TrainConfig", "TrainResult", "train"]
