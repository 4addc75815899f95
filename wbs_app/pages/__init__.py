"""One module per route; each exposes `PAGE`, collected by wbs_app.wbs_app."""
