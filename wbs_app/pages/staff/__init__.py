"""Pages for verifiers and administrators, under /verifikator."""
