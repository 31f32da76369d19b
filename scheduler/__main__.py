"""`python -m scheduler`: the same as `jcpp scheduler`."""

from __future__ import annotations

import typer

from jcpp.cli_scheduler import scheduler

if __name__ == "__main__":
    typer.run(scheduler)
