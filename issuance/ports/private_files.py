"""Files that carry personal data (names, NIDs, passports, keys, printed cards): readable by
this user alone, whatever the umask. The core and every adapter that writes such a file (the
folder printer) use these."""

from __future__ import annotations

import os
from pathlib import Path

# Names, NIDs, passports, addresses, password hashes, keys: what the desk writes is for this
# user alone, whatever the umask (an umask only takes permissions away; these set them).
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """Create ``path`` and any missing parent as folders only this user may enter (0700); a
    folder that already exists is left as it is. Raises the ``OSError`` of the first folder
    that cannot be made (``FileExistsError`` when a file or a dangling link holds the name)."""
    try:
        os.mkdir(path, PRIVATE_FOLDER_MODE)
    except FileNotFoundError:
        if path.parent == path:
            raise
        private_folder(path.parent)
        return private_folder(path)
    except FileExistsError:
        if path.is_dir():
            return path
        raise
    os.chmod(path, PRIVATE_FOLDER_MODE)  # whatever the umask took away
    return path


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC) -> int:
    """A descriptor on ``path`` opened with ``flags``, the file readable and writable by this
    user only (0600) even when it existed before with wider permissions."""
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (created or replaced in place), mode 0600."""
    with os.fdopen(open_private(path), "wb") as out:
        out.write(data)
