"""Finding model weights: a folder, the project's ``models/``, the Hugging Face cache, the hub.

Most users of this tool work on machines that cannot reach the hub, so every place
that was searched is remembered and, when none had the weights, the error lists them
with the one command that fixes it. On a machine that can reach it, ``--model auto``
downloads a better model than the bundled one on first use, as transformers and Argos
Translate do, and falls back to the bundled one when the hub does not answer.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import DownloadError, ModelNotFoundError, UnknownModelError, VnsumError
from .fetch import Progress, fetch, has_weights, human_size, list_repo
from .paths import project_dir
from .presets import AUTO, BUNDLED, PRESETS, Preset, auto_candidates

log = logging.getLogger(__name__)

_PULL_TIMEOUT_S = 10.0  # a model named on purpose may wait for a slow hub


@dataclass(frozen=True)
class Located:
    """A folder with a model's files, and where it was found."""

    path: Path
    origin: str  # "folder", "project", "cache" or "hub"


def models_dir() -> Path:
    """``$VNSUM_MODELS`` or the project's ``models/`` folder."""
    return Path(os.environ.get("VNSUM_MODELS") or project_dir() / "models")


def offline() -> bool:
    """True when the user asked not to touch the network (HF_HUB_OFFLINE / VNSUM_OFFLINE)."""
    return any(os.environ.get(v, "").lower() in ("1", "true", "yes") for v in ("HF_HUB_OFFLINE", "VNSUM_OFFLINE"))


def locate(spec: str, src: str, tgt: str, *, download: bool | None = None) -> tuple[Located, Preset | None]:
    """Find the weights for model ``spec`` (preset name, folder or hub id) for src->tgt.

    ``download=None`` tries the hub unless the user is offline; ``False`` never does.
    """
    if spec == AUTO:
        spec = resolve_auto(src, tgt, download=not offline() if download is None else download)
    preset = PRESETS.get(spec)
    looked: list[str] = []
    if preset is not None and preset.bundled:
        return _locate_bundled(preset, src, tgt), preset
    if preset is None and (Path(spec).exists() or spec.startswith((".", "/", "~"))):
        folder = Path(spec).expanduser()
        if has_weights(folder):
            return Located(folder, "folder"), None
        missing = "no such folder" if not folder.is_dir() else "no config.json and weights file in it"
        raise ModelNotFoundError(f"Model folder {folder}: {missing}.")
    check_name(spec)
    if preset is not None and (src, tgt) not in preset.repos:
        raise ModelNotFoundError(f"Model '{spec}' does not translate {src}->{tgt}.")
    repo_id = preset.repo(src, tgt) if preset else spec
    local = models_dir() / (preset.local_subdir(src, tgt) if preset else repo_id.replace("/", "--"))
    if has_weights(local):
        return Located(local, "project"), preset
    looked.append(f"{local}  (project folder, $VNSUM_MODELS): {'no weights' if local.is_dir() else 'not there'}")

    from huggingface_hub import snapshot_download
    from huggingface_hub.constants import HF_HUB_CACHE

    try:
        return Located(Path(snapshot_download(repo_id, local_files_only=True)), "cache"), preset
    except Exception:  # noqa: BLE001 - any failure means "not in the cache"
        looked.append(f"{HF_HUB_CACHE}  (Hugging Face cache): {repo_id} not cached")
    if download is False or (download is None and offline()):
        looked.append("Hugging Face hub: not tried (offline: HF_HUB_OFFLINE or VNSUM_OFFLINE is set)"
                      if download is None else "Hugging Face hub: not tried")
    else:
        try:
            return Located(_download_named(spec, repo_id, src, tgt, local), "hub"), preset
        except DownloadError as exc:
            looked.append(f"Hugging Face hub ({repo_id}): {exc}")
    raise ModelNotFoundError(_missing_message(spec, repo_id, src, tgt, looked, preset, local))


def _download_named(spec: str, repo_id: str, src: str, tgt: str, target: Path) -> Path:
    """Download a model named with ``--model`` into ``target`` the way ``auto`` and ``pull``
    do (:func:`~vnsum.fetch.fetch`), with one stderr line saying what, how large and where."""
    listing = list_repo(repo_id, timeout=_PULL_TIMEOUT_S)
    log.warning("vnsum: model %s %s->%s: downloading %s (%s) into %s, once", spec, src, tgt, listing.repo,
                human_size(listing.size), target)
    return fetch(listing, target)


def check_name(spec: str) -> None:
    """Raise :class:`UnknownModelError` if ``spec`` can name no model (not auto, a preset,
    a folder or an org/name id): called before any document is read, a typo is one
    wrong command, not a failure per document."""
    if spec != AUTO and spec not in PRESETS and "/" not in spec and not (
            Path(spec).exists() or spec.startswith((".", "/", "~"))):
        _no_such_preset(spec)


def _no_such_preset(spec: str) -> None:
    """A name with no ``/`` is not a hub id (those are ``org/name``): say which preset was meant."""
    import difflib

    names = [AUTO, *PRESETS]
    close = difflib.get_close_matches(spec, names, n=1, cutoff=0.5) or [n for n in names if n.startswith(spec)][:1]
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise UnknownModelError(f"No model '{spec}': {hint}Presets: {', '.join(names)}; or give a Hugging Face id "
                             "(org/name) or a model folder.")


def resolve_auto(src: str, tgt: str, *, download: bool = False) -> str:
    """The preset ``--model auto`` runs for src->tgt: the best one whose weights are on
    this machine (project folder or cache); when that is the bundled model and
    ``download`` is set, the best preset it may download (:func:`download_for_auto`),
    fetched now; else the bundled model.

    Says which, in one line on stderr (a logging warning): what runs, and when it is
    the bundled model, why and how to get a better one.
    """
    here = _best_here(src, tgt)
    if here is not None and not here[0].bundled:
        log.warning("vnsum: model auto -> %s (%s, %s)", here[0].name, here[1].path, src + "->" + tgt)
        return here[0].name
    if download:
        try:
            fetched = download_for_auto(src, tgt)
        except DownloadError as exc:
            return _bundled(here, src, tgt, f"Could not download a better model: {str(exc).rstrip('.')}. "
                                            "It is tried again next time; VNSUM_OFFLINE=1 stops trying.")
        if fetched is not None:
            return fetched
    return _bundled(here, src, tgt, None)


def download_for_auto(src: str, tgt: str, progress: Progress | None = None) -> str | None:
    """Download the best preset ``auto`` may download for src->tgt into models/, unless a
    model better than the bundled one is already here; the preset's name, or None.

    The hub is asked first with a short timeout (:data:`~vnsum.fetch.PROBE_TIMEOUT_S`),
    then one stderr line says what is downloaded, how large, where and how to opt out.
    Raises DownloadError (hub unreachable, full disk, corrupted file).
    """
    here = _best_here(src, tgt)
    wanted = next((p for p in auto_candidates(src, tgt) if p.auto_download), None)
    if wanted is None or (here is not None and not here[0].bundled):
        return None
    target = models_dir() / wanted.local_subdir(src, tgt)
    progress = progress or Progress()
    progress.model = wanted.name
    listing = list_repo(wanted.repo(src, tgt))
    log.warning("vnsum: model auto -> %s %s->%s: downloading %s (%s, %s) into %s, once; set VNSUM_OFFLINE=1 to "
                "keep to the bundled %s", wanted.name, src, tgt, listing.repo, wanted.licence,
                human_size(listing.size), target, BUNDLED)
    fetch(listing, target, progress)
    return wanted.name


def _best_here(src: str, tgt: str) -> tuple[Preset, Located] | None:
    """The best preset ``auto`` may run whose weights are on this machine (never downloaded)."""
    for preset in auto_candidates(src, tgt):
        try:
            return preset, locate(preset.name, src, tgt, download=False)[0]
        except VnsumError:
            continue
    return None


def _bundled(here: tuple[Preset, Located] | None, src: str, tgt: str, why: str | None) -> str:
    """Name the bundled model, saying why it runs (``why``, or how to get a better one)."""
    if here is None:
        return BUNDLED  # not found either: locate() explains where it looked
    if why is None:
        best, *others = [p.name for p in auto_candidates(src, tgt) if not p.bundled]
        also = f" (or {', '.join(others)})" if others else ""
        why = (f"Better translations: run `vnsum models pull {best}`{also} on a connected machine and copy "
               f"models/{best}/ here (models/README.md).")
    log.warning("vnsum: model auto -> %s (bundled, small; %s). %s", here[0].name, here[0].licence, why)
    return here[0].name


class AutoDownload:
    """``auto``'s first-use download for a server, in a background thread: the server
    answers with the bundled model meanwhile, and ``status()`` is what /health shows.

    ``on_ready`` runs in that thread once every direction is downloaded, to load the new
    model and make it the default.
    """

    def __init__(self, on_ready: Callable[[], None]):
        self.progress = Progress()
        self.state = "waiting"  # then "offline", or "downloading" then "ready", "not needed" or "failed"
        self.error: str | None = None
        self._on_ready = on_ready

    def start(self) -> None:
        if offline():
            self.state = "offline"
            return
        threading.Thread(target=self._run, name="vnsum-model-download", daemon=True).start()

    def _run(self) -> None:
        self.state = "downloading"
        try:
            fetched = [download_for_auto(src, tgt, self.progress) for src, tgt in PRESETS[BUNDLED].repos]
            if not any(fetched):
                self.state = "not needed"
                return
            self._on_ready()
        except VnsumError as exc:
            self.state, self.error = "failed", str(exc)
            log.warning("vnsum: the server keeps the bundled model: %s", exc)
            return
        self.state = "ready"

    def status(self) -> dict:
        return {"state": self.state, "model": self.progress.model or None, "repo": self.progress.repo or None,
                "done_bytes": self.progress.done, "total_bytes": self.progress.total, "error": self.error}


def _locate_bundled(preset: Preset, src: str, tgt: str) -> Located:
    """The bundled model's folder: ``$VNSUM_MODELS/<name>``, else the checkout's ``models/<name>``."""
    places = list(dict.fromkeys([models_dir() / preset.name, project_dir() / "models" / preset.name]))
    for place in places:
        if has_weights(place):
            return Located(place, "project")
    looked = "\n".join(f"  {i}. {place}: {'no weights' if place.is_dir() else 'not there'}"
                       for i, place in enumerate(places, 1))
    raise ModelNotFoundError(
        f"No weights for the bundled model '{preset.name}' ({src}->{tgt}).\nLooked in:\n{looked}\n"
        f"It ships with the vnsum repository as models/{preset.name}/: use a full clone (not a copy "
        f"without models/), or train it: vnsum train --config models/{preset.name}-cpu.toml "
        f"-o models/{preset.name}")


def _missing_message(spec: str, repo_id: str, src: str, tgt: str, looked: list[str],
                     preset: Preset | None, local: Path) -> str:
    places = "\n".join(f"  {i}. {place}" for i, place in enumerate(looked, 1))
    pull = f"vnsum models pull {spec}" if preset else f"vnsum models pull {repo_id}"
    return (
        f"No weights for model '{spec}' ({repo_id}, {src}->{tgt}).\n"
        f"Looked in:\n{places}\n"
        f"To fix: on a machine with internet access run\n"
        f"  {pull}\n"
        f"then copy {models_dir() / (preset.name if preset else local.name)} to this machine's "
        f"{models_dir()} (or point VNSUM_MODELS at it), or pass --model with a local folder."
    )


def pull(spec: str, target_dir: Path | None = None) -> list[Path]:
    """Download a preset (every direction) or a hub id into ``models/`` for offline use."""
    base = target_dir or models_dir()
    preset = PRESETS.get(spec)
    if preset is not None and preset.bundled:
        raise ModelNotFoundError(f"'{spec}' is bundled with vnsum (models/{spec}/), not downloaded.")
    if offline():
        raise DownloadError(f"Not downloading {spec}: HF_HUB_OFFLINE or VNSUM_OFFLINE is set. Unset it, or run "
                            "this on a connected machine and copy the folder.")
    jobs = (
        {preset.local_subdir(s, t): repo for (s, t), repo in preset.repos.items()}
        if preset else {spec.replace("/", "--"): spec}
    )
    done = []
    for subdir, repo in jobs.items():
        try:
            done.append(fetch(list_repo(repo, timeout=_PULL_TIMEOUT_S), base / subdir))
        except DownloadError as exc:
            raise DownloadError(f"Could not download {repo} into {base / subdir}: {exc}\n"
                                "This needs access to huggingface.co; run it on a connected machine and copy "
                                "the folder.") from None
    return done
