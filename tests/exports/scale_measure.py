"""Time every export over the state-scale benchmark's SQLite database (benchmarks/scale.py makes
it), as county staff sees it: all of it, each kind as CSV and as JSON. Not a test; run by hand:

    .venv/bin/python -m tests.exports.scale_measure var/scale/<database>.sqlite3 [KIND…]
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator

from sqlmodel import Session

from jcpp.auth.permissions import Viewer
from jcpp.db import make_engine
from jcpp.exports import files, service
from jcpp.exports.forms import KINDS, ExportSpec
from jcpp.models import User


def main(path: str, kinds: list[str]) -> None:
    engine = make_engine(f"sqlite:///{path}")
    staff = User(id=0, email="staff@example.org", name="Staff", role="county_staff")
    viewer = Viewer(user=staff, city_ids=frozenset(), committee_ids=frozenset())
    for key in kinds or list(KINDS):
        for fmt in ("csv", "json"):
            spec = ExportSpec(KINDS[key], fmt, None, None, (), (), (), (), False)
            count = 0

            def counted(batches: Iterator[list[service.Row]]) -> Iterator[list[service.Row]]:
                nonlocal count
                for rows in batches:
                    count += len(rows)
                    yield rows

            with Session(engine) as session, files.spooled() as out:
                start = time.perf_counter()
                batches = counted(service.export_rows(session, spec, viewer=viewer, base_url=""))
                if fmt == "csv":
                    files.write_csv(out, service.COLUMNS[key], batches)
                else:
                    files.write_json(out, {}, service.COLUMNS[key], batches)
                took, size = time.perf_counter() - start, out.tell()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(
                f"{key:13} {fmt:4} {count:>9,} rows {size / 1e6:7.1f} MB {took:7.1f} s"
                f"  peak RSS {peak} MB",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
