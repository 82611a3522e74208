"""Files kimu writes (`--output` of export and summary weekly, `db backup`): where it may write, and how.

A target is refused when it is the database in use or one of its -wal/-shm/-journal files (compared
as files, so a relative path, a symbolic link or a hard link to them is caught), a symbolic link (kimu
never writes through one: give the real path), a directory, a device, a FIFO or a socket. The new
content is written to a private (0600) temporary file in the target's folder and put in place with one
rename only when complete, so a full disk or a killed process leaves the old file exactly as it was.
Where the filesystem allows, the temporary file has no name at all until it is complete (O_TMPFILE),
so nothing is left behind even after SIGKILL.
"""

import errno
import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from kimu_cli import labels
from kimu_cli.errors import KimuError

STDOUT = "-"


def check_target(given: str | os.PathLike[str], database: Path | None, what: str = "output") -> Path:
    """given, as a Path, if kimu may write a file there; else KimuError naming why (nothing is touched).
    given as typed: a trailing '/' (which Path drops) names a folder, never the file of that name."""
    from kimu_cli.db import names_folder

    path = Path(given).expanduser()
    if names_folder(given):
        raise KimuError("outputs_path_names_folder", what=what, path=given)
    if path.name in ("", ".", ".."):
        raise KimuError("outputs_path_folder_give_file", what=what, path=path)
    try:
        info = path.lstat()
    except (FileNotFoundError, NotADirectoryError):  # the folder is checked below
        info = None
    except OSError as e:
        raise KimuError("outputs_cannot_path_strerror", what=what, path=path, strerror=e.strerror) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise KimuError("outputs_path_symbolic_link_kimu", what=what, path=path)
        if stat.S_ISDIR(info.st_mode):
            raise KimuError("outputs_path_folder_give_file", what=what, path=path)
        if not stat.S_ISREG(info.st_mode):
            raise KimuError("outputs_path_regular_file_device", what=what, path=path)
    if not path.parent.is_dir():
        missing = labels.later("folder_not_a_folder" if path.parent.exists() else "folder_missing")
        raise KimuError("outputs_folder_parent_missing", what=what, parent=path.parent, missing=missing)
    if database is not None and _is_database(path, info, Path(database)):
        raise KimuError("outputs_path_database_one_its", what=what, path=path)
    return path


def _is_database(path: Path, info: os.stat_result | None, database: Path) -> bool:
    where = path.parent.resolve() / path.name
    from kimu_cli.db import SIDECARS, with_sidecars

    for suffix in SIDECARS:  # the -wal of another name of the file (a hard link): SQLite's, for who opens that
        if path.name.endswith(suffix) and _same_file(path.with_name(path.name.removesuffix(suffix)), database):
            return True
    for file in with_sidecars(database):
        if where == file.parent.resolve() / file.name:
            return True
        try:
            other = file.stat()
        except OSError:
            continue
        if info is not None and (info.st_dev, info.st_ino) == (other.st_dev, other.st_ino):
            return True
    return False


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


@contextmanager
def written_whole(path: str | os.PathLike[str], database: Path | None, what: str = "output") -> Iterator[BinaryIO]:
    """A private temporary file (binary, write) in path's folder, put on path when the block ends
    well and discarded when it fails, so path is never half-written and never anything else."""
    with _partial(path, database, what, named=False) as partial:
        yield partial.file


@contextmanager
def written_whole_by_name(path: str | os.PathLike[str], database: Path | None,
                          what: str = "output") -> Iterator[Path]:
    """The same for a writer that needs a file name (SQLite's backup): a hidden private file beside
    path. A process killed while writing it leaves it behind; the next call in that folder removes
    such leftovers of processes no longer running."""
    with _partial(path, database, what, named=True) as partial:
        partial.file.close()
        assert partial.named is not None  # named=True always gives the file a name
        yield partial.named


@contextmanager
def _partial(given: str | os.PathLike[str], database: Path | None, what: str, named: bool) -> Iterator["_Partial"]:
    path = check_target(given, database, what)
    try:
        partial = _Partial(path, named)
    except OSError as e:
        raise KimuError("outputs_cannot_write_path_e", what=what, path=path, e=_cause(e)) from None
    try:
        yield partial
        partial.finish()
    except OSError as e:
        raise KimuError("outputs_cannot_write_path_e_2", what=what, path=path, e=_cause(e)) from None
    finally:
        partial.discard()


def _cause(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return "the disk is full (or the file too large)"
    return error.strerror or str(error)


_TEMPORARY = ".kimu-"
_LEFTOVER = re.compile(r"\.kimu-(\d+)(-journal)?$")


class _Partial:
    """The temporary file: unnamed (O_TMPFILE) where the filesystem has it and no name is needed,
    else a hidden name `.<name>.kimu-<pid>`."""

    def __init__(self, path: Path, named: bool):
        self.path, self.named = path, None
        _remove_leftovers(path.parent)
        fd = None if named else _unnamed(path.parent)
        if fd is None:
            self.named = path.with_name(f".{path.name}{_TEMPORARY}{os.getpid()}")
            self.named.unlink(missing_ok=True)
            fd = os.open(self.named, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
        self.file = os.fdopen(fd, "wb")

    def finish(self) -> None:
        if not self.file.closed:
            self.file.flush()
            os.fsync(self.file.fileno())
        if self.named is None:  # an unnamed file gets its name only now, complete
            self.named = self.path.with_name(f".{self.path.name}{_TEMPORARY}{os.getpid()}")
            self.named.unlink(missing_ok=True)
            _name(self.file.fileno(), self.named)
        os.replace(self.named, self.path)
        self.named = None

    def discard(self) -> None:
        try:
            self.file.close()
        except OSError:  # flushing what a full disk did not take: the file is discarded anyway
            pass
        if self.named is not None:
            self.named.unlink(missing_ok=True)
            Path(f"{self.named}-journal").unlink(missing_ok=True)  # SQLite's, when it wrote there


def _unnamed(folder: Path) -> int | None:
    """A file in folder with no name (Linux O_TMPFILE), or None where the filesystem has none."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o600)
    except OSError as e:
        if e.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None
        raise


def _name(fd: int, path: Path) -> None:
    """Give the unnamed file fd the name path: linkat(2) following /proc/self/fd/<fd>, as open(2)
    documents for O_TMPFILE (os.link takes the linkat path only with a directory fd)."""
    proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(str(fd), path, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _remove_leftovers(folder: Path) -> None:
    """Temporary files of kimu processes that were killed while writing here."""
    for leftover in folder.glob(f".*{_TEMPORARY}*"):
        pid = _LEFTOVER.search(leftover.name)  # SQLite's -journal of one too
        if pid and not _running(int(pid[1])):
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def stream(output: Path | str | None, database: Path | None, what: str = "output") -> Iterator[BinaryIO]:
    """Standard output for None or '-', else written_whole(output)."""
    if output is None or str(output) == STDOUT:
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with written_whole(output, database, what) as file:
        yield file


def is_stdout(output: Path | str | None) -> bool:
    return output is None or str(output) == STDOUT
