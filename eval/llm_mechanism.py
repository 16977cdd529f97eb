"""What the two ways of enforcing a glossary with an LLM cost, against scripted models.

No real model: the scripted chat-completions server of the tests (``tests/llmserver.py``)
plays four models, from one that writes the listed renderings and copies ``ZZ0`` codes
to one that does neither, and the example article is translated with the terms listed
in the prompt (the default) and behind placeholders (``--llm-placeholders``). The table
gives requests, tokens (the server counts 4 characters as a token) and term statuses.
It shows the mechanism (what each mode does when a model follows or ignores it), not
which mode a real model needs: measure that with ``vnsum eval terms`` (eval/README.md
section 6).

    .venv/bin/python eval/llm_mechanism.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from vnsum import Translator
from vnsum.backends.openai import LLMOptions

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from llmserver import FakeLLM, ignores_renderings, obedient  # noqa: E402


def drops_codes(translate):
    return lambda line, renderings: re.sub(r"\s*ZZ\d+", "", translate(line, renderings))


MODELS = {"follows the list, copies codes": obedient, "ignores the list, copies codes": ignores_renderings,
          "follows the list, drops codes": drops_codes(obedient),
          "ignores the list, drops codes": drops_codes(ignores_renderings)}


def main() -> None:
    text = (ROOT / "examples" / "bo-cong-an-hoi-nghi.vi.txt").read_text(encoding="utf-8")
    print("| scripted model | terms | requests | prompt tokens | completion tokens | applied | repaired | missed |")
    print("|---|---|---|---|---|---|---|---|")
    for label, behaviour in MODELS.items():
        for placeholders in (False, True):
            with FakeLLM() as server:
                server.translate_line = behaviour
                translator = Translator("openai:fake-llm", memory=None,
                                        llm=LLMOptions(api_base=server.url, placeholders=placeholders))
                result = translator.translate_document(text)
                usage = translator.backend("vi", "en").usage
            counts = Counter(t.status for t in result.terms)
            print(f"| {label} | {'placeholders' if placeholders else 'listed'} | {usage.requests} | "
                  f"{usage.prompt_tokens} | {usage.completion_tokens} | {counts['applied']} | {counts['repaired']} | "
                  f"{counts['missed']} |")


if __name__ == "__main__":
    main()
