"""vnsum: faithful Vietnamese<->English translation of government and news articles.

    from vnsum import Translator
    tr = Translator(model="opus-mt", glossary="vn-gov")
    print(tr.translate("Bộ Công an tổ chức hội nghị.", src="vi", tgt="en"))
"""

from .errors import VnsumError
from .glossary import Glossary
from .pipeline import ArticleResult, Pipeline
from .translator import Segment, Translation, Translator

__all__ = ["ArticleResult", "Glossary", "Pipeline", "Segment", "Translation", "Translator", "VnsumError"]
__version__ = "0.3.0"
