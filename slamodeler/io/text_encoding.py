"""Decode a CSV export in the encoding it was saved in: chosen, or detected from a byte-order
mark, else UTF-8, else Windows-1252 (Excel's "CSV (Comma delimited)" on Western Windows).

Detection never guesses past an error: every candidate is decoded strictly, and Windows-1252
leaves five bytes undefined (0x81 0x8D 0x8F 0x90 0x9D), so a file valid in none is refused with
the byte and line at fault rather than read as mojibake."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from slamodeler.domain.errors import UndecodableTextError
from slamodeler.domain.import_mapping import AUTO_ENCODING, ENCODINGS

_PYTHON_CODEC = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "windows-1252": "cp1252"}
_HOW_TO_FIX = (
    "give the encoding it was saved in with --encoding ({names}), or save it again as 'CSV UTF-8'"
)


@dataclass(frozen=True)
class TextEncoding:
    """The encoding a text was read in: ``name`` a key of ENCODINGS, detected or chosen."""

    name: str
    detected: bool

    @property
    def label(self) -> str:
        return ENCODINGS[self.name]

    def describe(self) -> str:
        """As the import report names it, e.g. "Windows-1252 (detected)"."""
        return f"{self.label} ({'detected' if self.detected else 'chosen'})"

    @property
    def unusual(self) -> bool:
        """Worth a line in the import report: anything but UTF-8 found as expected."""
        return not (self.detected and self.name == "utf-8")


@dataclass(frozen=True)
class DecodedText:
    """A file's text and the encoding it was read as (named in the import report)."""

    text: str
    encoding: TextEncoding


def decode_text(data: bytes, source: str, encoding: str = AUTO_ENCODING) -> DecodedText:
    """``data`` decoded as ``encoding`` (a key of ENCODINGS, or "auto" to detect it). Bytes that
    are not valid raise UndecodableTextError naming ``source``, the byte and its line."""
    if encoding == AUTO_ENCODING:
        return _detect(data, source)
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}")
    try:
        return DecodedText(_decode(data, encoding), TextEncoding(encoding, detected=False))
    except UnicodeDecodeError as exc:
        problem = f"{source}: not valid {ENCODINGS[encoding]}: {_where(data, encoding, exc)}"
        raise _refused(problem) from None


def as_utf8(data: bytes, encoding: str = AUTO_ENCODING) -> tuple[TextEncoding, int] | None:
    """How ``decode_text`` reads ``data`` when it reads it as UTF-8: the encoding it reports and
    where the text starts (after a byte-order mark); None when it would read another encoding
    first. Whether the bytes are valid UTF-8 is left to the caller (not valid: ``decode_text``
    refuses them, or reads them as Windows-1252)."""
    mark = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if encoding == AUTO_ENCODING:
        name = _candidates(data)[0]
        return (TextEncoding(name, detected=True), mark) if name.startswith("utf-8") else None
    if encoding in ("utf-8", "utf-8-sig"):
        return TextEncoding(encoding, detected=False), mark
    return None


def _candidates(data: bytes) -> list[str]:
    """The encodings detection tries, in order."""
    if data.startswith(codecs.BOM_UTF8):
        return ["utf-8-sig"]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_order(data):
        return ["utf-16"]
    return ["utf-8", "windows-1252"]


def _detect(data: bytes, source: str) -> DecodedText:
    candidates = _candidates(data)
    failures = []
    for name in candidates:
        try:
            return DecodedText(_decode(data, name), TextEncoding(name, detected=True))
        except UnicodeDecodeError as exc:
            failures.append(f"not {ENCODINGS[name]} ({_where(data, name, exc)})")
    raise _refused(f"{source}: not readable as text: {' and '.join(failures)}")


def _decode(data: bytes, encoding: str) -> str:
    return data.decode(_codec(data, encoding))


def _codec(data: bytes, encoding: str) -> str:
    """Python's codec for ``encoding``: UTF-16 in the byte order its mark (or its zero bytes)
    shows, little-endian (as Windows writes it) when nothing shows it; UTF-8 without its mark."""
    if encoding == "utf-16":
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        return f"utf-16-{_utf16_order(data) or 'le'}"
    return _PYTHON_CODEC[encoding]


def _utf16_order(data: bytes) -> str | None:
    """'le' or 'be' for UTF-16 without a byte-order mark (a zero byte beside each character of
    at least every other character of the start, which text in UTF-8 never has); None
    otherwise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    head = data[:200] if len(data) % 2 == 0 else b""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    low, high = head[0::2], head[1::2]
    for order, zeros, others in (("le", high, low), ("be", low, high)):
        if zeros.count(0) * 2 >= pairs and others.count(0) * 8 < pairs:
            return order
    return None


def _where(data: bytes, encoding: str, exc: UnicodeDecodeError) -> str:
    """ "byte 0x81 at offset 40, line 2": the first bytes that do not decode, counted from the
    start of the file (a UTF-8 mark is not in ``exc.object``)."""
    offset = exc.start + len(data) - len(exc.object)
    line = data[:offset].decode(_codec(data, encoding), errors="replace").count("\n") + 1
    bad = exc.object[exc.start : exc.end]
    if exc.end >= len(exc.object) and "truncated" in exc.reason:
        return f"the file ends inside a character at offset {offset}, line {line}"
    shown = " ".join(f"0x{b:02X}" for b in bad)
    return f"{'byte' if len(bad) == 1 else 'bytes'} {shown} at offset {offset}, line {line}"


def _refused(problem: str) -> UndecodableTextError:
    fix = _HOW_TO_FIX.format(names=", ".join(ENCODINGS))
    return UndecodableTextError(f"{problem}; {fix}", problem)
