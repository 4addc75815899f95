"""Administrasi in English: the audit chain's stored summaries and action labels read back in the viewer's language,
while what is stored (and hashed) stays the Indonesian text."""

from wbs_app import language
from wbs_app.services import audit, audit_chain
from wbs_app.services.audit_chain import ChainReport


def test_a_stored_summary_is_shown_in_the_current_language():
    intact = ChainReport(3, 3, "ab12").summary()
    broken = ChainReport(1, 4, "cd34", audit_chain.MISSING.format(rows="2..3"), broken_seq=4, broken_id=9).summary()
    assert intact == "utuh: 3 baris, kepala seq=3 hash=ab12"  # as stored and hashed, whatever the language
    assert audit_chain.shown_summary(intact) == intact
    with language.use(language.ENGLISH):
        assert ChainReport(3, 3, "ab12").summary() == intact
        assert audit_chain.shown_summary(intact) == "intact: 3 rows, head seq=3 hash=ab12"
        assert audit_chain.shown_summary(broken) == "BROKEN at row seq=4 id=9: row seq=2..3 missing (deleted)"
        assert audit_chain.shown_summary("something else") == "something else"


def test_every_action_has_its_label_in_both_languages():
    assert audit.label("pengguna") == "Kelola pengguna"
    with language.use(language.ENGLISH):
        assert audit.label("pengguna") == "User management"
        assert all(audit.label(action) != label for action, label in audit.ACTIONS.items())
        assert audit.label("tak_dikenal") == "tak_dikenal"
