"""Export files: CSV as the app's other exports, or JSON with the filters used.

CSV (as `jcpp.boards.export` and `jcpp.trends.export`): UTF-8 with a byte-order mark, one
header row of the stable column names, CRLF line ends, lists joined with "; ", and a leading
apostrophe on any cell a spreadsheet would take for a formula (= + - @, tab, carriage return):
titles, concerns and names come from people and from pasted minutes.

JSON: one object, {"export", "generated_at", "filters", "columns", "rows": [...]}, rows keyed by
the same column names, with numbers as numbers and lists as lists.

The file is written a batch of rows at a time into a temporary file (kept in memory up to
SPOOL_BYTES, on disk past that), then sent in chunks: a state-wide export holds one batch in
memory, and a failure while reading is an error page, never a cut-off file.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from jcpp.boards.export import neutralise

SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


def csv_cell(value: object) -> str:
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    return neutralise(value)


def write_csv(
    out: IO[bytes], columns: Sequence[str], batches: Iterable[list[dict[str, Any]]]
) -> None:
    out.write(b"\xef\xbb\xbf")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    out.write(buffer.getvalue().encode("utf-8"))
    for rows in batches:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows([csv_cell(row[column]) for column in columns] for row in rows)
        out.write(buffer.getvalue().encode("utf-8"))


def write_json(
    out: IO[bytes],
    head: dict[str, Any],
    columns: Sequence[str],
    batches: Iterable[list[dict[str, Any]]],
) -> None:
    opening = json.dumps({**head, "columns": list(columns)}, ensure_ascii=False, indent=1)
    out.write(opening.removesuffix("\n}").encode("utf-8") + b',\n "rows": [')
    first = True
    for rows in batches:
        for row in rows:
            text = json.dumps({column: row[column] for column in columns}, ensure_ascii=False)
            out.write((("\n  " if first else ",\n  ") + text).encode("utf-8"))
            first = False
    out.write(b"\n ]\n}\n")


def spooled() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")  # noqa: SIM115


def chunks(out: IO[bytes]) -> Iterator[bytes]:
    """The file from its start, in chunks; closed (and its disk space freed) at the end."""
    try:
        out.seek(0)
        while chunk := out.read(CHUNK_BYTES):
            yield chunk
    finally:
        out.close()
