"""The institution's profile as every page shows it (footer, Kontak, home, FAQ, /lapor): loaded with each page.

Its default is the profile of the environment (WBS_ORG_*), so the pre-rendered pages already say something
sensible; the page's load replaces it with the saved profile (services/institution.current: cached in the
process, checked against the database's version every few seconds), off the event loop.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app.services import institution


class InstitutionState(rx.State):
    profile: institution.Profile = rx.field(default_factory=institution.defaults)

    @rx.event(background=True)
    async def load(self):
        profile = await asyncio.to_thread(institution.current)
        async with self:
            if profile != self.profile:
                self.profile = profile

    @rx.var
    def has_offline_channels(self) -> bool:
        return bool(self.profile.letter_address or self.profile.phone_line or self.profile.walk_in_desk)
