"""Which text encoding a CSV file is in, told from its first bytes: a BOM, UTF-8 that decodes, UTF-16 without a BOM, or the legacy encoding whose text looks most like words (GB18030, Big5, Windows-1251, Windows-1252)."""

from __future__ import annotations

import codecs
import re
import unicodedata

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LINE_BREAK = re.compile("[\r\n]")


# Legacy encodings tried when a file has no BOM and is not UTF-8, in the order ties go:
# Chinese (simplified, which GB18030 extends to all of Unicode, and traditional), Russian, and
# Western European Excel. Trying every codec there is makes short files guess wildly.
LEGACY_ENCODINGS = ("gb18030", "big5", "cp1251", "cp1252")


_WORD = re.compile(r"[^\W\d_]{2,}")


def detect_encoding(sample: bytes, *, complete: bool) -> str | None:
    """The Python codec that decodes `sample` (the start of a file), or None when unsure.

    `complete` says the sample is the whole file (else its last character may be cut).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None  # UTF-32: no spreadsheet writes it and the UTF-16 test below would misread it
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16" if _decodes(sample, "utf-16", complete) else None
    if b"\x00" in sample:
        return _utf16_without_bom(sample, complete)
    if _decodes(sample, "utf-8", complete):
        return "utf-8"
    return _legacy_encoding(sample, complete)


def _decodes(sample: bytes, encoding: str, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(sample: bytes, complete: bool) -> str | None:
    # In UTF-16 text of a CSV the delimiters, digits and line ends are ASCII: one zero byte in
    # their pair, on the odd side for little-endian and the even side for big-endian. The
    # decoded text must then hold a line break and no other control characters, which a
    # binary file or a UTF-8 file with a stray NUL never does.
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros and others <= zeros // 10:
            data = sample if complete else sample[: len(sample) // 2 * 2]
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                text = decoder.decode(data, final=complete)
            except UnicodeDecodeError:
                return None
            if _CONTROL.search(text) or not _LINE_BREAK.search(text):
                return None
            return encoding
    return None


def _legacy_encoding(sample: bytes, complete: bool) -> str | None:
    """The legacy codec whose reading of `sample` looks most like real text, or None.

    Every candidate must decode the sample strictly and pass `_plausible`; among those the
    one whose non-ASCII characters are most often the common ones of its language wins
    (ties go to the earlier of LEGACY_ENCODINGS). GB18030 and Big5 both accept many of each
    other's byte pairs, and a general-purpose guesser took short GB18030 files for Big5.
    """
    if not complete and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # no cut multibyte character at the end
    best: tuple[float, int, str] | None = None
    for order, encoding in enumerate(LEGACY_ENCODINGS):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _plausible(text):
            continue
        score = _common_share(text, encoding)
        if score >= 0.6 and (best is None or (score, -order) > (best[0], best[1])):
            best = (score, -order, encoding)
    return best[2] if best else None


def _common_share(text: str, encoding: str) -> float:
    """The share of non-ASCII characters that are everyday ones for `encoding`'s language:
    GB2312's frequent characters and symbol rows for GB18030 (simplified Chinese, with
    Cyrillic and Greek), Big5's frequent characters and symbols for Big5, Cyrillic words for
    Windows-1251, Latin ones for Windows-1252."""
    wide = [char for char in text if ord(char) > 127 and not char.isspace()]
    if not wide:
        return 1.0
    if encoding == "gb18030":
        # a GB18030 file may hold traditional characters too: those are frequent in Big5
        good = sum(1 for char in wide if _gb2312_frequent(char) or _big5_frequent(char))
    elif encoding == "big5":
        good = sum(1 for char in wide if _big5_frequent(char))
    else:
        script = "CYRILLIC" if encoding == "cp1251" else "LATIN"
        good = sum(1 for char in wide if char in _EVERYDAY_SYMBOLS)
        for word in _WORD.findall(text):
            scripts = {unicodedata.name(c, "").split(" ")[0] for c in word}
            # a word of one script, cased as words are (no "йtй" from French read as 1251,
            # no "ЋМ" from Chinese read as 1251)
            if scripts == {script} and (word.islower() or word.istitle() or word.isupper()):
                good += sum(1 for c in word if ord(c) > 127)
    return good / len(wide)


_EVERYDAY_SYMBOLS = set("«»–—…№“”‘’„€₽£°±×·")


def _gb2312_frequent(char: str) -> bool:
    """In GB2312's symbol, Cyrillic, Greek and kana rows (A1A1-A9FE) or its 3,755 frequent
    characters (B0A1-D7F9). Russian read from Windows-1251 as GB18030 lands in the less
    frequent characters (lead bytes D8-F7), real Chinese text seldom does."""
    try:
        code = int.from_bytes(char.encode("gb2312"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA1A1 <= code <= 0xA9FE or 0xB0A1 <= code <= 0xD7F9


def _big5_frequent(char: str) -> bool:
    """In Big5's symbols (A140-A3BF), frequent characters (A440-C67E) or its Cyrillic and
    kana rows (C6A1-C8FE); not in the less frequent characters, which GB18030 bytes read
    as Big5 land in half the time."""
    try:
        code = int.from_bytes(char.encode("big5"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA140 <= code <= 0xA3BF or 0xA440 <= code <= 0xC67E or 0xC6A1 <= code <= 0xC8FE


def _pairs(word: str):
    return zip(word, word[1:], strict=False)


def _plausible(text: str) -> bool:
    """Text decoded with the right legacy codec is mostly letters where it is not ASCII;
    the wrong codec (Shift-JIS read as Windows-1251) gives runs of quotes, daggers and
    dashes, which a scorer alone may let through on short, mostly ASCII files."""
    wide = [char for char in text if ord(char) > 127]
    if not wide:
        return True
    letters = sum(1 for char in wide if unicodedata.category(char)[0] == "L")
    if letters / len(wide) < 0.75:
        return False
    # Chinese bytes read as Windows-1251 give words like "ДгєГ": lower then upper case inside
    # a word, which real Russian (or French) text almost never has.
    words = [w for w in _WORD.findall(text) if any(ord(c) > 127 for c in w)]
    odd = sum(1 for w in words if any(a.islower() and b.isupper() for a, b in _pairs(w)))
    return not words or odd / len(words) <= 0.2
