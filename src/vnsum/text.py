"""Unicode handling shared by segmentation, glossary matching and name rendering.

Vietnamese text arrives in several equivalent byte forms: composed or decomposed
diacritics (NFC/NFD) and two conventions for where the tone mark sits in "oa", "oe",
"uy" ("hoà" vs "hòa", "Uỷ" vs "Ủy"). Readers treat them as the same word, so matching
must too, while the text the user sees keeps the form they wrote.
"""

from __future__ import annotations

import unicodedata

# Old-style ("hoà", "thuỷ") to new-style ("hòa", "thủy") tone placement. Only the
# rhymes where the two conventions differ are listed; everything else is unchanged.
_TONE_MOVES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}


# Invisible format characters: the soft hyphen, zero-width spaces and joiners, direction
# marks, embeddings, overrides and isolates, word joiners and the byte-order mark. Text
# pasted from web pages and PDFs carries them inside words, where a reader sees nothing.
INVISIBLE = ("\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
             "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff")
_NO_INVISIBLE = str.maketrans("", "", INVISIBLE)
# Letters that look like đ/Đ: the Icelandic eth, which a Western keyboard layout or a
# Windows-1252 reading of byte 0xD0 (Đ in Windows-1258) puts in Vietnamese text.
_LOOKALIKES = str.maketrans({"ð": "đ"})


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form every vnsum module works in."""
    return unicodedata.normalize("NFC", text)


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only whitespace and invisible format characters
    (zero-width spaces and joiners, direction marks), which ``str.strip`` keeps."""
    return all(unicodedata.category(ch) == "Cf" or ch.isspace() for ch in text.strip())


def match_key(text: str) -> str:
    """Fold ``text`` for glossary comparison: NFC, lower case, one tone-mark convention,
    "ð" read as "đ".

    Diacritics stay significant ("công an" and "công án" differ); only case and the
    position of the tone mark are ignored. The result has the same length as the NFC
    input, so offsets found in the key are offsets in the text.
    """
    key = nfc(text).lower()
    if len(key) != len(nfc(text)):  # a few exotic code points change length when lowered
        key = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in nfc(text))
    key = key.translate(_LOOKALIKES)
    for old, new in _TONE_MOVES.items():
        if old in key:
            key = key.replace(old, new)
    return key


def without_invisible(text: str) -> str:
    """``text`` without the :data:`INVISIBLE` characters."""
    return text.translate(_NO_INVISIBLE)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics the way the English-language press writes names.

    "Bùi Thị Minh Hoài" -> "Bui Thi Minh Hoai"; "Đ"/"đ" become "D"/"d".
    """
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return nfc(bare.replace("Đ", "D").replace("đ", "d"))


def capitalize_first(text: str) -> str:
    """Upper-case the first letter of ``text`` and leave the rest as it is; a text that
    opens with a number ("14th National Party Congress") is left as it is."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
        if ch.isdigit():
            return text
    return text
