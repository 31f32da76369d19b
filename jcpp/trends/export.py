"""Every view of the dashboard as CSV and JSON, with the filters it was drawn with.

CSV as the other exports (`jcpp.boards.export`): UTF-8 with a byte-order mark, one header row,
a leading apostrophe on any cell a spreadsheet would take for a formula (city, committee and
topic names, and evidence sentences, come from people). Grids are wide: a row per topic or
city, a column per month or topic, then the total; the county total is the last row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from jcpp import clock
from jcpp.boards.export import neutralise
from jcpp.trends.evidence import Evidence
from jcpp.trends.service import MEASURES, Grid, TrendFilters, month_key

COUNTY_TOTAL = "County total"


def _csv(rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _filters(filters: TrendFilters) -> dict[str, Any]:
    return {
        "from": month_key(filters.first),
        "to": month_key(filters.last),
        "cities": [city.slug for city in filters.cities],
        "topics": [topic.slug for topic in filters.topics],
        "confirmed_only": filters.confirmed_only,
        "measure": filters.measure,
        "measure_label": MEASURES[filters.measure],
    }


def grid_csv(grid: Grid, *, row_title: str) -> bytes:
    header = [row_title, *(column.name for column in grid.columns), "Total"]
    rows: list[Sequence[object]] = [header]
    rows += [
        [label.name, *values, total]
        for label, values, total in zip(grid.rows, grid.values, grid.row_totals, strict=True)
    ]
    if grid.total_row is not None:
        rows.append([COUNTY_TOTAL, *grid.total_row, sum(grid.total_row)])
    return _csv(rows)


def grid_json(grid: Grid, *, view: str, filters: TrendFilters, **extra: Any) -> bytes:
    data: dict[str, Any] = {
        "view": view,
        **extra,
        "filters": _filters(filters),
        "columns": [{"key": c.key, "name": c.name} for c in grid.columns],
        "rows": [
            {"key": label.key, "name": label.name, "values": values, "total": sum(values)}
            for label, values in zip(grid.rows, grid.values, strict=True)
        ],
        "county_total": grid.total_row,
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


EVIDENCE_HEADER = ("Date", "City", "Committee", "Topic", "State", "Evidence", "Concerns", "Link")


def _evidence_rows(evidence: Evidence, base_url: str) -> Iterable[Sequence[object]]:
    for row in evidence.meetings:
        yield (
            clock.local_date(row.meeting.start_at).isoformat(),
            row.city.name,
            row.committee.name,
            evidence.topic.name,
            row.state,
            " | ".join(passage.text for passage in row.passages),
            " | ".join(concern.shown_text for concern in row.concerns),
            f"{base_url}/meetings/{row.meeting.id}/minutes",
        )


def evidence_csv(evidence: Evidence, *, base_url: str) -> bytes:
    return _csv([EVIDENCE_HEADER, *_evidence_rows(evidence, base_url)])


def evidence_json(evidence: Evidence, *, filters: TrendFilters, base_url: str) -> bytes:
    data = {
        "view": "evidence",
        "topic": evidence.topic.slug,
        "filters": _filters(filters),
        "meetings_shown": evidence.shown,
        "meetings_counted": evidence.counted,
        "meetings": [
            {
                "meeting_id": row.meeting.id,
                "start_at": row.meeting.start_at.isoformat(),
                "city": row.city.slug,
                "committee": row.committee.slug,
                "state": row.state,
                "evidence": [passage.text for passage in row.passages],
                "highlights": [
                    [text for text, marked in passage.pieces if marked] for passage in row.passages
                ],
                "concerns": [concern.shown_text for concern in row.concerns],
                "link": f"{base_url}/meetings/{row.meeting.id}/minutes",
            }
            for row in evidence.meetings
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
