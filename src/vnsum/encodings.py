"""Decoding documents: Unicode, Windows-1258 and the legacy Vietnamese font encodings.

Government offices still hold text typed in TCVN3 (ABC, ".VnTime" fonts) and VNI
("VNI-Times" fonts). Read as if it were Unicode, such text is mojibake — "Bé C«ng an"
or "Boä Coâng an" for "Bộ Công an" — that a model turns into confident nonsense. So
every decoding is judged by whether its words are Vietnamese syllables: bytes that are
not UTF-8 are decoded with each plausible legacy encoding and the one that reads as
Vietnamese is kept, with a notice; UTF-8 text that reads as a legacy encoding seen
through Windows-1252 (what Word and browsers show) is converted the same way; anything
no encoding explains is refused with the byte offset where UTF-8 failed, never guessed.

All legacy encodings are handled as mappings of the *Windows-1252 view* of the bytes:
the characters one sees when such a file is opened as Windows text. That single view
serves files on disk, runs of a Word document set in a .VnTime font, and text that
was pasted into a Unicode editor long ago.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .errors import InputError
from .text import nfc

# --- the Windows-1252 view ------------------------------------------------------------

# Windows-1252 leaves five bytes undefined; they keep their Latin-1 code point.
codecs.register_error("vnsum-latin1", lambda exc: (exc.object[exc.start:exc.end].decode("latin-1"), exc.end))
_VIEW = bytes(range(256)).decode("cp1252", errors="vnsum-latin1")
_VIEW_TO_BYTE = {ch: b for b, ch in enumerate(_VIEW)}
_VIEW_RUN = re.compile("[" + re.escape(_VIEW[0x80:]) + "]+")


def windows_view(data: bytes) -> str:
    """``data`` as Windows-1252 shows it (undefined bytes as their Latin-1 code point)."""
    return data.decode("cp1252", errors="vnsum-latin1")


def _view_bytes(view: str) -> bytes:
    """The bytes behind a Windows-1252 view; ValueError for a character outside it."""
    try:
        return bytes(_VIEW_TO_BYTE[ch] for ch in view)
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} has no single-byte form") from None


# --- TCVN3 (TCVN 5712:1993, the ABC ".VnTime" fonts) -----------------------------------

# Bytes 0xA1-0xFF, written from the TCVN 5712:1993 table. The ".VnTime" fonts (VN3)
# use the lower-case letters and Ă Â Ê Ô Ơ Ư Đ; the other capitals (VN1) and the five
# combining tone marks (0xB0-0xB4) fill positions VN3 leaves empty. Bytes 0x80-0x9F
# stay Windows punctuation (“ ” – …), which is what Word writes into such files.
_TCVN3_HIGH = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ"                               # A1-AF
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"    # B0-BF
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"                              # C0-CF
    "éẹềểễếệìỉỄẾỒĩíịò"                              # D0-DF
    "Ổỏõóọồổỗốộờởỡớợù"                              # E0-EF
    "ỖủũúụừửữứựỳỷỹýỵỐ"                              # F0-FF
)
TCVN3: dict[str, str] = {chr(0xA1 + i): ch for i, ch in enumerate(_TCVN3_HIGH)}
_TCVN3_TABLE = str.maketrans({k: v for k, v in TCVN3.items() if k != v})
_TCVN3_BACK = {v: k for k, v in TCVN3.items()}


def _from_tcvn3(view: str) -> str:
    return nfc(view.translate(_TCVN3_TABLE))


def _to_tcvn3(text: str) -> str:
    """Unicode to the TCVN3 view; capitals VN3 lacks become base letter + tone mark."""
    out = []
    for ch in nfc(text):
        if ch in _TCVN3_BACK:
            out.append(_TCVN3_BACK[ch])
        elif ch in _VIEW_TO_BYTE and ch not in TCVN3:
            out.append(ch)
        else:
            base, tone = _split_tone(ch)
            if not tone or base not in _TCVN3_BACK and base not in _VIEW_TO_BYTE:
                raise ValueError(f"{ch!r} has no TCVN3 form")
            out.append(_TCVN3_BACK.get(base, base) + _TCVN3_BACK[tone])
    return "".join(out)


# --- VNI (the "VNI-Times" fonts) -----------------------------------------------------

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
TONES = (_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)
# VNI writes a base letter followed by a diacritic character, written here from the
# VNI Windows table in lower case; after a capital the upper-case form is used.
VNI_MARKS: dict[str, str] = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRCUMFLEX, "á": _CIRCUMFLEX + _ACUTE, "à": _CIRCUMFLEX + _GRAVE,
    "å": _CIRCUMFLEX + _HOOK, "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE,
    "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
# Letters VNI writes as one character: i with a tone, ỵ, ơ, ư, đ.
VNI_LETTERS: dict[str, str] = {
    "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ô": "ơ", "ö": "ư", "ñ": "đ"}
_VNI_SINGLE = VNI_LETTERS | {k.upper(): v.upper() for k, v in VNI_LETTERS.items()}
_VNI_MARK = VNI_MARKS | {k.upper(): v for k, v in VNI_MARKS.items()}
_VNI_SEQUENCE = re.compile(f"([aeiouyôöAEIOUYÔÖ])([{''.join(_VNI_MARK)}])|([{''.join(_VNI_SINGLE)}])")
_TAKES = {_CIRCUMFLEX: "aeo", _BREVE: "a"}  # which bases take the circumflex and the breve
_VNI_MARK_BACK = {v: k for k, v in VNI_MARKS.items()}
_VNI_SINGLE_BACK = {v: k for k, v in _VNI_SINGLE.items()}


def _vni_letter(match: re.Match) -> str:
    if match.group(3):
        return _VNI_SINGLE[match.group(3)]
    base, marks = match.group(1), _VNI_MARK[match.group(2)]
    if marks[0] in _TAKES and base.lower() not in _TAKES[marks[0]]:
        return match.group(0)
    return nfc(_VNI_SINGLE.get(base, base) + marks)


def _from_vni(view: str) -> str:
    return _VNI_SEQUENCE.sub(_vni_letter, view)


def _to_vni(text: str) -> str:
    out = []
    for ch in nfc(text):
        if ch in _VNI_SINGLE_BACK:
            out.append(_VNI_SINGLE_BACK[ch])
            continue
        base, tone = _split_tone(ch)
        decomposed = unicodedata.normalize("NFD", base)
        letter, modifier = decomposed[0], decomposed[1:]
        if modifier in (_CIRCUMFLEX, _BREVE):
            mark = _VNI_MARK_BACK[modifier + tone]
        elif base in _VNI_SINGLE_BACK:  # ơ, ư with a tone
            letter, mark = _VNI_SINGLE_BACK[base], _VNI_MARK_BACK[tone] if tone else ""
        elif tone:
            mark = _VNI_MARK_BACK[tone]
        elif ch in _VIEW_TO_BYTE and ch not in _VNI_MARK and ch not in _VNI_SINGLE:
            out.append(ch)
            continue
        else:
            raise ValueError(f"{ch!r} has no VNI form")
        out.append(letter + (mark.upper() if letter.isupper() else mark))
    return "".join(out)


def _split_tone(ch: str) -> tuple[str, str]:
    """A letter without its tone mark, and the tone mark ("" if none)."""
    decomposed = unicodedata.normalize("NFD", ch)
    tones = [c for c in decomposed if c in TONES]
    return nfc("".join(c for c in decomposed if c not in TONES)), "".join(tones)


# --- Windows-1258 and double-encoded UTF-8 --------------------------------------------


def _cp1258_table() -> dict[int, str]:
    table = {}
    for b in range(0x80, 0x100):
        try:
            ch = bytes([b]).decode("cp1258")
        except UnicodeDecodeError:
            continue
        if ch != _VIEW[b]:
            table[ord(_VIEW[b])] = ch
    return table


_CP1258_TABLE = _cp1258_table()


def _from_cp1258(view: str) -> str:
    return nfc(view.translate(_CP1258_TABLE))


def _undo_double_utf8(view: str) -> str:
    """UTF-8 that was once read as Windows-1252 and saved again ("Bá»™" for "Bộ")."""

    def decode(match: re.Match) -> str:
        try:
            return _view_bytes(match.group()).decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            return match.group()

    return nfc(_VIEW_RUN.sub(decode, view))


@dataclass(frozen=True)
class Legacy:
    """A legacy encoding, as a conversion of the Windows-1252 view to Unicode."""

    name: str
    description: str
    convert: Callable[[str], str]
    encode: Callable[[str], str] | None = None  # Unicode -> view, where it is defined


LEGACY: dict[str, Legacy] = {
    "TCVN3": Legacy("TCVN3", "TCVN3 (ABC, .VnTime fonts)", _from_tcvn3, _to_tcvn3),
    "VNI": Legacy("VNI", "VNI (VNI-Times fonts)", _from_vni, _to_vni),
    "Windows-1258": Legacy("Windows-1258", "Windows-1258", _from_cp1258),
    "double UTF-8": Legacy("double UTF-8", "double-encoded UTF-8 (UTF-8 once read as Windows-1252)",
                           _undo_double_utf8),
}
# Which conversions can explain bytes that are not UTF-8, and text that is.
_FOR_BYTES = ("TCVN3", "VNI", "Windows-1258")
_FOR_TEXT = ("TCVN3", "VNI", "Windows-1258", "double UTF-8")


def conversion_notice(encoding: str) -> str:
    """What to tell the user after converting text from a legacy ``encoding``."""
    return f"converted from {LEGACY[encoding].description} to Unicode (check names and capitals)"


def from_legacy(text: str, encoding: str) -> str:
    """Convert ``text`` (the Windows-1252 view of ``encoding``, e.g. a .VnTime run) to Unicode."""
    return LEGACY[encoding].convert(text)


def encode_legacy(text: str, encoding: str) -> bytes:
    """Unicode ``text`` as bytes in TCVN3 or VNI: for test data, and for offices that still
    need such files. ValueError for a character the encoding cannot write."""
    legacy = LEGACY[encoding]
    if legacy.encode is None:
        raise ValueError(f"vnsum does not write {encoding}")
    return _view_bytes(legacy.encode(text))


# --- judging a decoding: do its words read as Vietnamese? ------------------------------

_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[ckmnpt])?")
_PARTS = re.compile(r"[-/–—.,:;()]")
_EDGES = "\"'()[]{}<>.,;:!?…“”‘’–—-/*_#%&+=|~`^$@\\"
_TOKEN = re.compile(r"\S+")
# Enough text to judge a document by; longer ones are judged on evenly spaced windows.
_SAMPLE_CHARS, _WINDOWS = 200_000, 20
# A decoding is accepted when at least this share of its non-ASCII words are syllables.
MIN_SHARE = 0.8


@dataclass(frozen=True)
class Reading:
    """How a text reads as Vietnamese.

    ``judged`` counts the words with a non-ASCII letter (ASCII words prove nothing),
    ``valid`` those that are Vietnamese syllables (onset, vowels, final, one tone), and
    ``beyond_latin1`` the valid ones with a letter such as ơ, ư or ộ that Western text
    never has: what separates real Vietnamese from a lucky Latin-1 reading.
    """

    judged: int = 0
    valid: int = 0
    beyond_latin1: int = 0

    @property
    def share(self) -> float:
        return self.valid / self.judged if self.judged else 1.0


@lru_cache(maxsize=65536)
def _judge(token: str) -> tuple[bool, bool, bool]:
    """(judged, valid syllable(s), uses a letter beyond Latin-1) for one word."""
    word = token.strip(_EDGES)
    if word.isascii():
        return False, False, False
    parts = [p for p in _PARTS.split(word) if not p.isascii()]
    valid = all(_is_syllable(p) for p in parts)
    return True, valid, valid and any(ord(c) > 0xFF for c in word)


def _is_syllable(part: str) -> bool:
    decomposed = unicodedata.normalize("NFD", part.lower())
    if sum(c in TONES for c in decomposed) > 1:
        return False
    bare = nfc("".join(c for c in decomposed if c not in TONES))
    return _SYLLABLE.fullmatch(bare) is not None


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE_CHARS:
        return text
    size, step = _SAMPLE_CHARS // _WINDOWS, len(text) // _WINDOWS
    return "\n".join(text[i * step:i * step + size] for i in range(_WINDOWS))


def reading(text: str) -> Reading:
    """Judge ``text`` (or an even sample of it) as Vietnamese: see :class:`Reading`."""
    judged = valid = beyond = 0
    for token in _TOKEN.findall(_sample(text)):
        j, v, b = _judge(token)
        judged, valid, beyond = judged + j, valid + v, beyond + b
    return Reading(judged, valid, beyond)


def _best(view: str, names: tuple[str, ...]) -> tuple[str, Reading] | None:
    """The conversion under which ``view`` reads best as Vietnamese, if any reads well."""
    sample = _sample(view)
    best: tuple[str, Reading] | None = None
    for name in names:
        r = reading(LEGACY[name].convert(sample))
        if r.judged and r.share >= MIN_SHARE and (
                best is None or (r.share, r.beyond_latin1) > (best[1].share, best[1].beyond_latin1)):
            best = (name, r)
    return best


def repair_text(text: str) -> tuple[str, str | None]:
    """``text`` converted to Unicode if it is legacy-encoded text seen through Windows-1252,
    with the encoding's name; unchanged with None when it already reads well (or no
    conversion reads better, e.g. because it is not Vietnamese at all)."""
    raw = reading(text)
    if raw.share >= MIN_SHARE:
        return text, None
    best = _best(text, _FOR_TEXT)
    if best is None or best[1].share <= raw.share:
        return text, None
    return LEGACY[best[0]].convert(text), best[0]


# --- bytes to text -------------------------------------------------------------------

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
# Formats that are never text, by their first bytes, so the refusal can name them.
_MAGIC = {
    b"%PDF": "a PDF file: export its text (or save it as .docx) first",
    b"PK\x03\x04": "a ZIP archive (if it is a Word document, give it the .docx extension)",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc or .xls): save it as .docx or plain text",
    b"{\\rtf": "an RTF file: save it as .docx or plain text",
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"\x7fELF": "a program",
}
# Control bytes text files may hold: tab, line ends, form feed, vertical tab, DOS EOF, ESC.
_TEXT_CONTROLS = set(b"\t\n\r\x0b\x0c\x1a\x1b")
_CONTROL_SHARE = 0.1


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the encoding it was found in, and what the user should know."""

    text: str
    encoding: str
    notices: tuple[str, ...] = ()


def bom_encoding(data: bytes) -> tuple[str, str, int] | None:
    """(Python codec, name, length of the mark) for data starting with a byte-order mark."""
    for mark, codec, name in _BOMS:
        if data.startswith(mark):
            return codec, name, len(mark)
    return None


class BomMismatch(ValueError):
    """Bytes that start with a byte-order mark but are not valid in its encoding."""

    def __init__(self, name: str, offset: int, line: int):
        super().__init__(f"starts with a {name} byte-order mark but is not valid {name} (byte offset {offset})")
        self.name, self.offset, self.line = name, offset, line


def decode_bom(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) of data that starts with a byte-order mark, None without
    one; :class:`BomMismatch` (with the byte offset and line) when the rest is not valid."""
    bom = bom_encoding(data)
    if bom is None:
        return None
    codec, name, skip = bom
    try:
        return data[skip:].decode(codec), name
    except UnicodeDecodeError as exc:
        line = data[skip:skip + exc.start].decode(codec, errors="replace").count("\n") + 1
        raise BomMismatch(name, exc.start + skip, line) from None


def known_binary(data: bytes) -> str | None:
    """What ``data`` is, if its first bytes name a format that is never text."""
    return next((what for magic, what in _MAGIC.items() if data.startswith(magic)), None)


def decode(data: bytes, label: str) -> Decoded:
    """Decode a text file's bytes; an InputError naming ``label`` when they are not text.

    Order: byte-order mark; known binary formats; UTF-16 without a mark; binary
    content (NUL bytes, many control bytes); UTF-8 (then checked for legacy text seen
    through Windows-1252); and for bytes that are not UTF-8, the legacy encodings.
    """
    try:
        marked = decode_bom(data)
    except BomMismatch as exc:
        raise InputError(f"{label}: {exc}") from None
    if marked:
        text, name = marked
        return _repaired(text, name, () if name == "UTF-8" else (f"decoded from {name} (byte-order mark)",))
    what = known_binary(data)
    if what:
        raise InputError(f"{label}: not a text document: it is {what}")
    if b"\x00" in data:
        return _utf16_without_bom(data, label)
    head = data[:65536]
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    if controls > _CONTROL_SHARE * len(head):
        raise InputError(f"{label}: looks like a binary file ({controls} control bytes in the first "
                         f"{len(head)}), not text")
    try:
        return _repaired(data.decode("utf-8"), "UTF-8", ())
    except UnicodeDecodeError as exc:
        return _legacy_bytes(data, exc.start, label)


def _repaired(text: str, encoding: str, notices: tuple[str, ...]) -> Decoded:
    text, legacy = repair_text(nfc(text))
    if legacy is None:
        return Decoded(text, encoding, notices)
    return Decoded(text, legacy, (*notices, conversion_notice(legacy)))


def _utf16_without_bom(data: bytes, label: str) -> Decoded:
    """UTF-16 without a byte-order mark shows as a NUL in every other byte of ASCII text."""
    head = data[:4096]
    even, odd, half = head[0::2].count(0), head[1::2].count(0), len(head) / 2
    codec = ("utf-16-le" if odd > 0.3 * half and even * 10 < odd else
             "utf-16-be" if even > 0.3 * half and odd * 10 < even else None)
    if codec:
        try:
            return _repaired(data.decode(codec), "UTF-16", (f"decoded as {codec.upper()} (it has no byte-order "
                                                            "mark; save it as UTF-8 to be sure)",))
        except UnicodeDecodeError:
            pass
    raise InputError(f"{label}: looks like a binary file (it contains NUL bytes), not text")


def guess_legacy(data: bytes) -> str | None:
    """The legacy encoding (TCVN3, VNI, Windows-1258) under which ``data`` reads as Vietnamese."""
    best = _best(windows_view(data), _FOR_BYTES)
    return best[0] if best else None


def _legacy_bytes(data: bytes, offset: int, label: str) -> Decoded:
    view = windows_view(data)
    name = guess_legacy(data)
    if name:
        return Decoded(LEGACY[name].convert(view), name,
                       (f"not UTF-8 (invalid byte at offset {offset}); {conversion_notice(name)}",))
    if reading(_from_cp1258(view)).judged == 0:  # only punctuation (“ ” – …) outside ASCII
        return Decoded(_from_cp1258(view), "Windows-1258", (
            f"not UTF-8 (invalid byte at offset {offset}); read as Windows-1258, which has no "
            f"Vietnamese letters here to confirm it",))
    raise InputError(
        f"{label}: not valid UTF-8 (byte offset {offset}), and it does not read as Vietnamese in "
        f"Windows-1258, TCVN3 or VNI either; convert it to UTF-8 first") from None
