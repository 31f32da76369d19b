"""Unsubscribe links: a signed token naming a user and a kind of notice.

The link works without signing in (the signature is the proof) and never expires: an e-mail
read months later must still let its reader stop that kind. A changed secret key makes old
links invalid, as it ends sessions.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import escape
from sqlmodel import Session

from jcpp.config import Settings
from jcpp.errors import NotFound
from jcpp.mail.preferences import KINDS, NoticeKind, turn_off
from jcpp.models import User

SALT = "jcpp.mail.unsubscribe"


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.effective_secret_key(), salt=SALT)


def make_token(settings: Settings, *, user_id: int, kind: str) -> str:
    """The token for (user, kind); the same every time, so a message's body and its
    List-Unsubscribe header, made at different moments, carry the same link."""
    return str(_serializer(settings).dumps({"u": user_id, "k": kind}))


def read_token(settings: Settings, token: str) -> tuple[int, str] | None:
    """(user id, kind) from a token this app signed; None for anything else."""
    try:
        data = _serializer(settings).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind


def unsubscribe_url(settings: Settings, *, user_id: int, kind: str) -> str:
    token = make_token(settings, user_id=user_id, kind=kind)
    return f"{settings.base_url.rstrip('/')}/unsubscribe/{token}"


def preferences_url(settings: Settings) -> str:
    return f"{settings.base_url.rstrip('/')}/account/notifications"


def footers(settings: Settings, *, user_id: int, kind: str) -> tuple[str, str]:
    """What ends every e-mail of `kind` to the user, as text and as HTML: why it came, the link
    that stops its kind, the link to choose."""
    about = KINDS[kind].about_words
    stop, choose = unsubscribe_url(settings, user_id=user_id, kind=kind), preferences_url(settings)
    text = (
        "\n\n-- \nYou get this e-mail because of your notice choices in JCPP.\n"
        f"Stop e-mails about {about}: {stop}\n"
        f"Choose which e-mails you get: {choose}\n"
    )
    html = (
        '<hr><p style="font-size:small;color:#555">You get this e-mail because of your '
        "notice choices in JCPP. "
        f'<a href="{escape(stop)}">Stop e-mails about {escape(about)}</a> · '
        f'<a href="{escape(choose)}">Choose which e-mails you get</a></p>'
    )
    return text, html


def with_footer(html: str, footer: str) -> str:
    """`footer` at the end of the HTML's body (or of the HTML, if it has no </body>)."""
    at = html.lower().rfind("</body>")
    return html + footer if at < 0 else html[:at] + footer + html[at:]


def resolve(session: Session, settings: Settings, token: str) -> tuple[User, NoticeKind]:
    """The user and kind a link names; NotFound for a link this app did not sign, or whose
    user or kind no longer exists."""
    found = read_token(settings, token)
    user = session.get(User, found[0]) if found else None
    if found is None or user is None or found[1] not in KINDS:
        raise NotFound("This unsubscribe link is not valid. Sign in to choose your e-mails.")
    return user, KINDS[found[1]]


def unsubscribe(session: Session, settings: Settings, token: str) -> tuple[User, NoticeKind]:
    """Turn the link's kind off for its user (following the link twice changes nothing)."""
    user, kind = resolve(session, settings, token)
    assert user.id is not None
    turn_off(session, user_id=user.id, kind=kind.key)
    return user, kind
