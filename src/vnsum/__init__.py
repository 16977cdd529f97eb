"""vnsum: faithful Vietnamese<->English translation of government and news articles.

    from vnsum import Translator
    tr = Translator(model="opus-mt", glossary="vn-gov")
    print(tr.translate("Bộ Công an tổ chức hội nghị.", src="vi", tgt="en"))
"""

from .errors import VnsumError
from .glossary import Glossary
from .layout import TranslatedFile, translate_docx, translate_file, translate_html
from .pipeline import ArticleResult, Pipeline
from .translator import Segment, Translation, Translator

__all__ = ["ArticleResult", "Glossary", "Pipeline", "Segment", "TranslatedFile", "Translation", "Translator",
           "VnsumError", "translate_docx", "translate_file", "translate_html"]
__version__ = "0.3.0"
