"""Downloading a model repository into a folder so that a half-done download never loads.

The files go to a hidden staging folder beside the target (``opus-mt/.vi-en.<commit>.partial``).
A file an earlier run did not finish is continued where it stopped (an HTTP Range
request): huggingface_hub's own download deletes its partial file when interrupted, so
a second try of a 300 MB model would start over. Each file is checked against the size
and hash the hub lists, the folder as a whole against what a loader needs (a readable
``config.json``, weights, safetensors headers that match their files), and only then is
it renamed into place, in one step. A lock file beside the target makes a second
process wait for the first instead of downloading the same files again.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import shutil
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import quote

from .errors import DownloadError

log = logging.getLogger(__name__)

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")
# Configuration and tokenizer files; the weights are chosen by _weights().
_SIDE_FILES = ("*.json", "*.model", "*.spm", "*.txt")
# A hub that has not answered in this time is treated as unreachable: a user without
# internet access waits no longer than this before the bundled model runs.
PROBE_TIMEOUT_S = 2.0
_DOWNLOAD_TIMEOUT_S = 30.0  # to connect, and between two pieces of a file
_ATTEMPTS = 3  # per file, each continuing where the last stopped
_FREE_SPACE = "Free some space there, or set VNSUM_MODELS to a folder on a larger disk."
# Endpoints this process could not reach: the longest timeout each was given and why.
# A process that needs both directions (a server, a round trip) waits for a silent hub
# once, not once per repository; a longer timeout asked on purpose still tries.
_unreachable: dict[str, tuple[float, str]] = {}


def has_weights(folder: Path) -> bool:
    """True when ``folder`` has what a loader needs: ``config.json`` and a weights file."""
    return (folder / "config.json").is_file() and any((folder / f).is_file() for f in WEIGHT_FILES)


@dataclass(frozen=True)
class RemoteFile:
    """One file of a repository, with what the hub says it must be."""

    name: str
    size: int
    sha256: str | None  # for LFS files (the weights)
    git_sha1: str | None  # for the others: git's blob id

    def intact(self, path: Path) -> bool:
        if path.stat().st_size != self.size:
            return False
        if self.sha256:
            return _digest(path, hashlib.sha256()) == self.sha256
        if self.git_sha1:
            return _digest(path, hashlib.sha1(f"blob {self.size}\0".encode())) == self.git_sha1
        return True


@dataclass(frozen=True)
class Listing:
    """The files a model folder needs from one commit of a hub repository."""

    repo: str
    commit: str
    endpoint: str
    files: tuple[RemoteFile, ...]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    def url(self, file: RemoteFile) -> str:
        return f"{self.endpoint}/{self.repo}/resolve/{self.commit}/{quote(file.name)}"


@dataclass
class Progress:
    """How far a download is: the bar on stderr draws it, a server's /health reports it."""

    repo: str = ""
    done: int = 0
    total: int = 0
    model: str = ""  # the preset it belongs to, set by its caller: what a page names


def human_size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def list_repo(repo: str, *, timeout: float = PROBE_TIMEOUT_S) -> Listing:
    """The files to download from ``repo``'s newest commit, in one call to the hub's API.

    It is also the check that the hub answers at all, hence the short timeout. It is
    asked with httpx, not huggingface_hub's client: that client's first request in a
    process first fetches a telemetry list from the same hub, with a 3 s timeout of its
    own, which would double the wait on a machine whose network drops the packets.
    A hub that could not be reached is not asked again in this process with the same
    timeout or a shorter one (:data:`_unreachable`).
    """
    import httpx
    from huggingface_hub import constants

    endpoint = constants.ENDPOINT  # HF_ENDPOINT, or huggingface.co
    waited, reason = _unreachable.get(endpoint, (0.0, ""))
    if timeout <= waited:
        raise DownloadError(reason)
    try:
        response = httpx.get(f"{endpoint}/api/models/{repo}", params={"blobs": "true"}, headers=_headers(),
                             timeout=timeout, follow_redirects=True)
        response.raise_for_status()
        info = response.json()
        siblings = {f["rfilename"]: f for f in info["siblings"] if "/" not in f["rfilename"]}
        commit = info["sha"]
    except httpx.TimeoutException:
        raise _remember_unreachable(endpoint, timeout, f"did not answer within {timeout:g} s") from None
    except httpx.TransportError as exc:  # refused, no route, no name: a longer timeout would not help
        raise _remember_unreachable(endpoint, float("inf"), f"could not be reached: {_first_line(exc)}") from None
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        raise DownloadError(f"the model hub {endpoint} could not be used for {repo}: {_first_line(exc)}") from None
    wanted = [name for name in siblings if any(fnmatch(name, p) for p in _SIDE_FILES)] + _weights(siblings)
    return Listing(repo, commit, endpoint, tuple(_remote(siblings[name]) for name in wanted))


def _remember_unreachable(endpoint: str, timeout: float, why: str) -> DownloadError:
    """The error for a hub that could not be reached, remembered for this process."""
    _unreachable[endpoint] = (timeout, f"the model hub {endpoint} {why}")
    return DownloadError(_unreachable[endpoint][1])


def _remote(entry: dict) -> RemoteFile:
    """A file as the hub's API lists it (``?blobs=true``: size, git blob id, LFS sha256)."""
    lfs = entry.get("lfs")
    return RemoteFile(entry["rfilename"], entry.get("size") or 0, lfs["sha256"] if lfs else None,
                      None if lfs else entry.get("blobId"))


def _headers() -> dict[str, str]:
    """Who asks, and the user's hub token when they have one (gated or private models)."""
    from huggingface_hub import get_token

    from . import __version__

    token = get_token()
    return {"User-Agent": f"vnsum/{__version__}"} | ({"Authorization": f"Bearer {token}"} if token else {})


def _weights(names) -> list[str]:
    """Safetensors when the repository has them, else PyTorch's files: the main branches
    of Helsinki-NLP/opus-mt-* have long held only ``pytorch_model.bin`` (their safetensors
    sat in an unmerged pull request)."""
    safetensors = [n for n in names if fnmatch(n, "model*.safetensors")]
    return safetensors or [n for n in names if fnmatch(n, "pytorch_model*.bin")]


def fetch(listing: Listing, target: Path, progress: Progress | None = None) -> Path:
    """Download ``listing`` into ``target`` (which must not hold a model yet) and return it.

    Raises DownloadError with what went wrong and where; ``target`` then does not exist,
    and the staging folder keeps what was downloaded for the next try (except after a
    full disk, when it is removed to give the space back).
    """
    from filelock import FileLock, Timeout

    progress = progress or Progress()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(target.parent / f".{target.name}.lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            log.warning("vnsum: another process is downloading %s into %s; waiting for it", listing.repo, target)
            lock.acquire()
    except OSError as exc:
        raise DownloadError(f"cannot write in {target.parent}: {exc.strerror or exc}") from None
    staging = target.parent / f".{target.name}.{listing.commit[:12]}.partial"
    try:
        if has_weights(target):  # another process finished it while this one waited
            return target
        have = sum(min((staging / f.name).stat().st_size, f.size) for f in listing.files
                   if (staging / f.name).is_file())
        _check_space(listing, target.parent, listing.size - have)
        _fresh_staging(staging, target)
        progress.repo, progress.total, progress.done = listing.repo, listing.size, have
        _download_all(listing, staging, progress)
        _check_folder(staging, listing)
        _install(staging, target)
        return target
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise DownloadError(f"downloading {listing.repo} into {target} failed: {exc}") from None
        shutil.rmtree(staging, ignore_errors=True)
        raise DownloadError(f"the disk filled up while downloading {listing.repo} ({human_size(listing.size)}) "
                            f"into {target.parent}; the partial download was removed. {_FREE_SPACE}") from None
    finally:
        lock.release()


def _fresh_staging(staging: Path, target: Path) -> None:
    """Create ``staging``, removing any left by a download of another commit."""
    for stale in target.parent.glob(f".{target.name}.*.partial"):
        if stale != staging:
            shutil.rmtree(stale, ignore_errors=True)
    staging.mkdir(exist_ok=True)


def _check_space(listing: Listing, folder: Path, need: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < need:
        raise DownloadError(f"not enough disk space for {listing.repo}: it needs {human_size(need)} more in "
                            f"{folder}, where {human_size(free)} is free. {_FREE_SPACE}")


def _download_all(listing: Listing, staging: Path, progress: Progress) -> None:
    from tqdm import tqdm

    with tqdm(total=listing.size, initial=progress.done, unit="B", unit_scale=True, desc=listing.repo,
              file=sys.stderr, mininterval=0.5) as bar:
        def advance(n: int) -> None:
            progress.done += n
            bar.update(n)

        for file in listing.files:
            path = staging / file.name
            if not (path.is_file() and path.stat().st_size == file.size):
                _download(listing, file, path, advance)
            if not file.intact(path):
                path.unlink()
                raise DownloadError(f"{file.name} of {listing.repo} does not match the size and checksum the hub "
                                    "lists (a corrupted download); it was removed and is downloaded again next time")


def _download(listing: Listing, file: RemoteFile, path: Path, advance: Callable[[int], None]) -> None:
    """Download one file into ``path``, continuing a partial one, trying again when the
    connection breaks (each try continues where the last stopped)."""
    import httpx

    url = listing.url(file)
    for attempt in range(1, _ATTEMPTS + 1):
        have = path.stat().st_size if path.is_file() else 0
        if have > file.size:  # not this file: start again
            advance(-have)
            path.unlink()
            have = 0
        headers = _headers() | {"Accept-Encoding": "identity"} | ({"Range": f"bytes={have}-"} if have else {})
        try:
            with httpx.stream("GET", url, headers=headers, follow_redirects=True,
                              timeout=_DOWNLOAD_TIMEOUT_S) as response:
                response.raise_for_status()
                start = have if response.status_code == 206 else 0  # a server that ignores Range sends it all
                advance(start - have)
                # unbuffered: what arrived is on disk even if the process is killed the next moment
                with path.open("r+b" if path.is_file() else "wb", buffering=0) as out:
                    out.seek(start)
                    out.truncate()
                    for piece in response.iter_bytes():
                        out.write(piece)
                        advance(len(piece))
            return
        except httpx.HTTPError as exc:
            if attempt == _ATTEMPTS or isinstance(exc, httpx.HTTPStatusError):
                raise DownloadError(f"downloading {file.name} of {listing.repo} from {listing.endpoint} failed: "
                                    f"{_first_line(exc)}; what arrived is kept and the next try continues it") from None
            log.info("download of %s broke off (%s); continuing", file.name, exc)


def _check_folder(staging: Path, listing: Listing) -> None:
    """What a loader needs is there and readable: config.json, weights, safetensors headers."""
    try:
        json.loads((staging / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DownloadError(f"{listing.repo} has no readable config.json: {exc}") from None
    if not has_weights(staging):
        raise DownloadError(f"{listing.repo} has no weights vnsum can load (one of {', '.join(WEIGHT_FILES)})")
    for path in staging.glob("*.safetensors"):
        if not _safetensors_readable(path):
            path.unlink()
            raise DownloadError(f"{path.name} of {listing.repo} is not a readable safetensors file; "
                                "it was removed and is downloaded again next time")


def _safetensors_readable(path: Path) -> bool:
    """The header parses and its tensors end exactly where the file does."""
    size = path.stat().st_size
    try:
        with path.open("rb") as f:
            (length,) = struct.unpack("<Q", f.read(8))
            if length > size - 8:
                return False
            header = json.loads(f.read(length))
        end = max((t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"), default=0)
    except (OSError, ValueError, struct.error, KeyError, TypeError, IndexError, AttributeError):
        return False
    return 8 + length + end == size


def _install(staging: Path, target: Path) -> None:
    """Rename the verified folder into place; an empty leftover target is replaced."""
    if target.exists():
        if any(target.iterdir()):
            raise DownloadError(f"{target} exists but holds no complete model (no config.json and weights); "
                                "remove it, and the next run downloads the model there")
        target.rmdir()
    staging.rename(target)


def _digest(path: Path, hasher) -> str:
    with path.open("rb") as f:
        while piece := f.read(1 << 23):
            hasher.update(piece)
    return hasher.hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
