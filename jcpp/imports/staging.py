"""Uploaded files kept between the review page and the confirmation.

Each upload is a folder `ROOT/<token>` (token: 32 random URL-safe characters, the only thing a
request names; checked against a pattern before it touches a path) holding the files as `0.bin`,
`1.bin`… and `manifest.json`: the committee and user it belongs to, when it was made, and each
file's name as uploaded (kept for display, never used in a path), size and SHA-256. A file over
the size limit is refused while it is copied and not kept. The folder is removed once the
files are imported, and any folder older than MAX_AGE is removed whenever someone opens the
import page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import shutil
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from jcpp.config import VAR_DIR
from jcpp.imports.extract import MAX_FILE_BYTES, Refused, check_name, check_size
from jcpp.models.base import utcnow

ROOT = VAR_DIR / "imports"
MAX_AGE = dt.timedelta(days=1)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_CHUNK = 1024 * 1024


@dataclass
class StagedFile:
    index: int
    name: str
    size: int
    content_hash: str
    refusal: str | None = None


@dataclass
class Batch:
    token: str
    committee_id: int
    user_id: int
    created_at: str
    files: list[StagedFile] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return ROOT / self.token

    def path(self, staged: StagedFile) -> Path:
        return self.folder / f"{staged.index}.bin"


def clean_name(name: str | None) -> str:
    """The file's own name (no folders), printable, at most 200 characters: for display only."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[-200:] or "unnamed file"


def new_batch(committee_id: int, user_id: int) -> Batch:
    token = secrets.token_urlsafe(24)
    batch = Batch(token, committee_id, user_id, utcnow().isoformat())
    ROOT.mkdir(parents=True, exist_ok=True, mode=0o700)
    batch.folder.mkdir(mode=0o700)
    return batch


def stage(batch: Batch, name: str | None, source: BinaryIO, size: int | None) -> StagedFile:
    """Copy one uploaded file (of `size` bytes, when known) into the batch, refusing a wrong
    extension or too many bytes (then nothing of it is kept)."""
    staged = StagedFile(len(batch.files), clean_name(name), size or 0, "")
    batch.files.append(staged)
    try:
        check_name(staged.name)
        check_size(staged.size if size is not None else 1)
    except Refused as refused:
        staged.refusal = refused.reason
        return staged
    digest = hashlib.sha256()
    target = batch.path(staged)
    copied = 0
    with target.open("xb") as out:
        while chunk := source.read(_CHUNK):
            copied += len(chunk)
            if copied > MAX_FILE_BYTES:
                break
            digest.update(chunk)
            out.write(chunk)
    staged.size = copied
    try:
        check_size(copied)
    except Refused as refused:
        staged.refusal = refused.reason
        target.unlink()
        return staged
    staged.content_hash = digest.hexdigest()
    return staged


def save(batch: Batch) -> None:
    (batch.folder / "manifest.json").write_text(json.dumps(asdict(batch)), encoding="utf-8")


def load(token: str, *, committee_id: int, user_id: int) -> Batch | None:
    """The batch, if the token is well formed and names a batch of this committee and user
    that has not expired."""
    if not _TOKEN.fullmatch(token):
        return None
    try:
        raw = json.loads((ROOT / token / "manifest.json").read_text(encoding="utf-8"))
        files = [StagedFile(**item) for item in raw.pop("files")]
        batch = Batch(**raw, files=files)
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if (batch.token, batch.committee_id, batch.user_id) != (token, committee_id, user_id):
        return None
    if _expired(batch.created_at):
        discard(batch)
        return None
    return batch


def read(batch: Batch, staged: StagedFile) -> bytes | None:
    """The file's bytes, if they are still those that were uploaded."""
    try:
        data = batch.path(staged).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == staged.content_hash else None


def discard(batch: Batch) -> None:
    shutil.rmtree(batch.folder, ignore_errors=True)


def _expired(created_at: str) -> bool:
    try:
        created = dt.datetime.fromisoformat(created_at)
    except ValueError:
        return True
    return utcnow() - created > MAX_AGE


def purge_stale() -> int:
    """Remove the uploads older than MAX_AGE (by the folder's time); how many were removed."""
    if not ROOT.is_dir():
        return 0
    removed = 0
    limit = (utcnow() - MAX_AGE).timestamp()
    for folder in ROOT.iterdir():
        if folder.is_dir() and _TOKEN.fullmatch(folder.name) and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
