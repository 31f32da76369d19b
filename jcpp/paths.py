"""Where the templates, static files and migrations live, in a checkout and when installed."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_ROOT = PACKAGE_DIR.parent


def _resource(name: str) -> Path:
    """`<checkout>/<name>`, or `jcpp/_<name>` inside an installed wheel."""
    in_checkout = _ROOT / name
    return in_checkout if in_checkout.is_dir() else PACKAGE_DIR / f"_{name}"


TEMPLATES_DIR = _resource("templates")
MIGRATIONS_DIR = _resource("alembic")
STATIC_DIR = PACKAGE_DIR / "web" / "static"
