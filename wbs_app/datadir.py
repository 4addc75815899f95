"""The data folder (database, evidence, drafts, outbox, keys) is readable by the WBS user only.

Every WBS process (the app, `reflex db`, the CLI) calls prepare_data_dir() first: from then on the files it
creates are 0600 and its folders 0700 (umask 077), and a data folder left by an older version is tightened
once. A log line never names a person either; see README, "Security notes".
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wbs_app.settings import get_settings

PRIVATE_UMASK = 0o077


def prepare_data_dir() -> Path:
    os.umask(PRIVATE_UMASK)
    data_dir = get_settings().data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    if stat.S_IMODE(data_dir.stat().st_mode) != 0o700:  # first start after an upgrade: tighten what exists
        for folder, folders, files in os.walk(data_dir):
            for name in folders:
                os.chmod(os.path.join(folder, name), 0o700)
            for name in files:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    os.chmod(path, 0o600)
        data_dir.chmod(0o700)
    return data_dir


def create_secret_file(path: Path, content: bytes) -> None:
    """Write `content` to a new file readable by this user only (0600), unless the file exists already: of several
    processes starting at once exactly one writes it, and nobody ever overwrites a key."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # there already, or another process made it meanwhile
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
