"""Sheets whose body is written as XML into the package after openpyxl has saved: openpyxl is
too slow for the Incidents sheet's hundreds of thousands of rows."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter


@dataclass
class Stream:
    rows: Callable[[], Iterator[str]]
    last_row: int
    last_column: int


def write_package(buffer: io.BytesIO, target: Path, streams: dict[str, Stream]) -> None:
    """Copy openpyxl's package to ``target``, splicing each streamed sheet's rows in."""
    with zipfile.ZipFile(buffer) as src:
        parts = _sheet_parts(src)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as out:
            for info in src.infolist():
                data = src.read(info.filename)
                title = parts.get(info.filename)
                if title not in streams:
                    out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                    continue
                stream = streams[title]
                text = data.decode("utf-8")
                cut = text.index("</sheetData>")
                ref = f"A1:{get_column_letter(stream.last_column)}{max(stream.last_row, 1)}"
                head = re.sub(
                    r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', text[:cut]
                )
                part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                part.compress_type = zipfile.ZIP_DEFLATED
                with out.open(part, "w", force_zip64=True) as sink:
                    sink.write(head.encode("utf-8"))
                    chunk: list[str] = []
                    for row in stream.rows():
                        chunk.append(row)
                        if len(chunk) >= 2000:
                            sink.write("".join(chunk).encode("utf-8"))
                            chunk.clear()
                    sink.write("".join(chunk).encode("utf-8"))
                    sink.write(text[cut:].encode("utf-8"))


def _sheet_parts(src: zipfile.ZipFile) -> dict[str, str]:
    """Package part name of each worksheet -> the sheet's title."""
    book = src.read("xl/workbook.xml").decode("utf-8")
    rels = src.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        ident = re.search(r'Id="([^"]+)"', rel.group(0))
        target = re.search(r'Target="([^"]+)"', rel.group(0))
        if ident and target:
            path = target.group(1).lstrip("/")
            targets[ident.group(1)] = path if path.startswith("xl/") else "xl/" + path
    out = {}
    for sheet in re.finditer(r"<sheet\b[^>]*>", book):
        name = re.search(r'name="([^"]+)"', sheet.group(0))
        rid = re.search(r'r:id="([^"]+)"', sheet.group(0)) or re.search(
            r'\bid="([^"]+)"', sheet.group(0)
        )
        if name and rid and rid.group(1) in targets:
            out[targets[rid.group(1)]] = name.group(1)
    return out
