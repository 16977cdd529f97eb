"""Evaluation metrics, each score printed with a signature saying how it was computed.

- :mod:`.translation`: BLEU, chrF++, TER and paired bootstrap through sacrebleu, and
  readers for line-aligned test sets (FLORES-200, NTREX, Tatoeba, IWSLT);
- :mod:`.terms`: term success rate in the WMT terminology modes, and consistency;
- :mod:`.rouge`: ROUGE-1/2/L F1 with a tokenizer that keeps Vietnamese syllables;
- :mod:`.summaries`: ViMs and paired summarization test sets, summarizers vs Lead-3;
- :mod:`.speed`: sentences/s, tokens/s, seconds per article, memory, the machine.

``vnsum eval …`` is the command-line face of these modules.
"""
