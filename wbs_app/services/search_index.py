"""Whole-word search over encrypted reports: a keyed token index.

Each distinct word of a report's title, description and accused names is stored as the first 8 bytes of its
HMAC-SHA256 under the system key "search" (one row per report and word, indexed), never as text; a search
computes the same tokens for the words typed and asks the index. Words are compared lower-case and without
accents; very common words are not indexed. What a database reader learns: which reports share a word, not
the word (a plaintext full-text index would undo the encryption at rest).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import and_, delete, exists, func, insert
from sqlmodel import Session, select

from wbs_app.models import SearchToken
from wbs_app.services import vault

KEY_NAME = "search"
MAX_QUERY_WORDS = 8
# Words in nearly every report: indexing them would cost rows and find everything.
STOPWORDS = frozenset(
    "yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan oleh atau juga ada sudah telah "
    "saya kami kita mereka ia dia tersebut sebagai karena bahwa para secara se nya pun lah kah agar maka "
    "namun serta bagi tanpa hingga sampai setelah sebelum kepada terhadap antara yaitu yakni the of and".split()
)
_WORD = re.compile(r"[0-9a-z]+")


def words(text: str) -> set[str]:
    """The indexable words of a text: lower-case, accents removed, at least 2 characters, no stopwords."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return {word for word in _WORD.findall(plain) if len(word) >= 2 and word not in STOPWORDS}


def token(key: bytes, word: str) -> int:
    """A signed 64-bit integer: the first 8 bytes of HMAC-SHA256(key, word)."""
    return int.from_bytes(hmac.new(key, word.encode(), hashlib.sha256).digest()[:8], "big", signed=True)


def index_report(*, session: Session, report_id: int, texts: Iterable[str], replace: bool = True) -> None:
    """(Re)write the report's tokens in the caller's transaction, from its texts in clear (`replace=False`: a new
    report, which has none to delete)."""
    key = vault.system_key(session=session, name=KEY_NAME)
    if replace:
        session.exec(delete(SearchToken).where(SearchToken.report_id == report_id))
    found = set()
    for text in texts:
        found |= words(text or "")
    if found:  # one INSERT of plain rows: a report has dozens of words, an ORM object each cost more than the SQL
        session.execute(insert(SearchToken), [{"token": token(key, word), "report_id": report_id} for word in found])


# A word found in more reports than this is "common": matches are then checked report by report while the list
# is read in its own order (dense, so a page fills fast), not gathered first.
RARE_ENOUGH = 20_000


def matching_condition(*, session: Session, term: str, report_id):
    """SQL condition on `report_id` (a column): the report holds every indexable word of `term`; None when the
    term has none. The rarest word leads: its reports are gathered through the token index and the other words
    are checked on each of them; when even the rarest word is common, every word is checked on each report the
    list reads (`EXISTS` on the token index), which a page of a sorted list stops early."""
    wanted = sorted(words(term))[:MAX_QUERY_WORDS]
    if not wanted:
        return None
    key = vault.system_key(session=session, name=KEY_NAME)
    tokens = [token(key, word) for word in wanted]
    frequency = {value: _bounded_count(session=session, value=value) for value in tokens}
    rarest = min(tokens, key=frequency.get)
    checks = [_holds(value, report_id) for value in tokens if value != rarest or frequency[rarest] > RARE_ENOUGH]
    if frequency[rarest] <= RARE_ENOUGH:
        checks.insert(0, report_id.in_(select(SearchToken.report_id).where(SearchToken.token == rarest)))
    return and_(*checks)


def _holds(value: int, report_id):
    return exists().where(SearchToken.token == value, SearchToken.report_id == report_id)


def _bounded_count(*, session: Session, value: int) -> int:
    """How many reports hold this token, counted up to just past RARE_ENOUGH (enough to choose a strategy)."""
    found = select(SearchToken.report_id).where(SearchToken.token == value).limit(RARE_ENOUGH + 1).subquery()
    return session.exec(select(func.count()).select_from(found)).one()
