"""Architecture rules that matter, as tests (after Polar's custom linters)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_services_do_not_speak_http() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "jcpp").rglob("service.py")
        if _top_level(_imports(path)) & {"fastapi", "starlette"}
    ]
    assert offenders == []


def test_only_the_nlp_package_imports_spacy() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "jcpp").rglob("*.py")
        if "spacy" in _top_level(_imports(path))
    ]
    assert offenders == []


def test_templates_never_mark_text_safe() -> None:
    """Minutes and names are user text: `|safe` in a template would let it run as HTML."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "|safe" in path.read_text().replace(" ", "")
    ]
    assert offenders == []


def test_pages_load_nothing_from_other_hosts() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if any(marker in path.read_text() for marker in ('src="http', 'href="http', 'src="//'))
    ]
    assert offenders == []
