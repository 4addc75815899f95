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

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

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


def index_report(*, session: Session, report_id: int, texts: Iterable[str]) -> None:
    """(Re)write the report's tokens in the caller's transaction, from its texts in clear."""
    key = vault.system_key(session=session, name=KEY_NAME)
    session.exec(delete(SearchToken).where(SearchToken.report_id == report_id))
    found = set()
    for text in texts:
        found |= words(text or "")
    session.add_all(SearchToken(token=token(key, word), report_id=report_id) for word in found)


def matching_reports(*, session: Session, term: str):
    """A subquery of the ids of reports holding every indexable word of `term`; None when it has none."""
    wanted = sorted(words(term))[:MAX_QUERY_WORDS]
    if not wanted:
        return None
    key = vault.system_key(session=session, name=KEY_NAME)
    tokens = [token(key, word) for word in wanted]
    query = select(SearchToken.report_id).where(col(SearchToken.token).in_(tokens))
    if len(tokens) > 1:
        query = query.group_by(SearchToken.report_id).having(func.count() == len(tokens))
    return query
