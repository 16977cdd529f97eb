"""Finding model weights: a folder, the project's ``models/``, the Hugging Face cache, the hub.

Most users of this tool work on machines that cannot reach the hub, so every place
that was searched is remembered and, when none had the weights, the error lists them
with the one command that fixes it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelNotFoundError, VnsumError
from .paths import project_dir
from .presets import AUTO, BUNDLED, PRESETS, Preset, auto_candidates

log = logging.getLogger(__name__)

# Files a usable seq2seq folder must have besides its weights.
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")
_HUB_PATTERNS = ["*.json", "*.model", "*.spm", "*.txt", "model.safetensors", "model*.safetensors*"]


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


def has_weights(folder: Path) -> bool:
    return (folder / "config.json").is_file() and any((folder / f).is_file() for f in _WEIGHT_FILES)


def locate(spec: str, src: str, tgt: str, *, download: bool | None = None) -> tuple[Located, Preset | None]:
    """Find the weights for model ``spec`` (preset name, folder or hub id) for src->tgt.

    ``download=None`` tries the hub unless the user is offline; ``False`` never does.
    """
    if spec == AUTO:
        spec = resolve_auto(src, tgt)
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
    if preset is None and "/" not in spec:
        _no_such_preset(spec)
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
            path = snapshot_download(repo_id, allow_patterns=_HUB_PATTERNS, etag_timeout=10)
            return Located(Path(path), "hub"), preset
        except Exception as exc:  # noqa: BLE001 - network, auth and missing repos all end here
            reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
            looked.append(f"Hugging Face hub ({repo_id}): unreachable or refused: {reason}")
    raise ModelNotFoundError(_missing_message(spec, repo_id, src, tgt, looked, preset, local))


def _no_such_preset(spec: str) -> None:
    """A name with no ``/`` is not a hub id (those are ``org/name``): say which preset was meant."""
    import difflib

    names = [AUTO, *PRESETS]
    close = difflib.get_close_matches(spec, names, n=1, cutoff=0.5) or [n for n in names if n.startswith(spec)][:1]
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise ModelNotFoundError(f"No model '{spec}': {hint}Presets: {', '.join(names)}; or give a Hugging Face id "
                             "(org/name) or a model folder.")


def resolve_auto(src: str, tgt: str) -> str:
    """The preset ``--model auto`` runs for src->tgt: the best one whose weights are on
    this machine (project folder or cache; never downloaded), else the bundled model.

    Says which, in one line on stderr (a logging warning), with how to get a better one.
    """
    for preset in auto_candidates(src, tgt):
        try:
            located, _ = locate(preset.name, src, tgt, download=False)
        except VnsumError:
            continue
        if preset.bundled:
            best, *others = [p.name for p in auto_candidates(src, tgt) if not p.bundled]
            also = f" (or {', '.join(others)})" if others else ""
            log.warning("vnsum: model auto -> %s (bundled, small; %s). Better translations: run "
                        "`vnsum models pull %s`%s on a connected machine and copy models/%s/ here "
                        "(models/README.md).", preset.name, preset.licence, best, also, best)
        else:
            log.warning("vnsum: model auto -> %s (%s, %s)", preset.name, located.path, src + "->" + tgt)
        return preset.name
    return BUNDLED  # not found either: locate() explains where it looked


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
    from huggingface_hub import snapshot_download

    base = target_dir or models_dir()
    preset = PRESETS.get(spec)
    if preset is not None and preset.bundled:
        raise ModelNotFoundError(f"'{spec}' is bundled with vnsum (models/{spec}/), not downloaded.")
    jobs = (
        {preset.local_subdir(s, t): repo for (s, t), repo in preset.repos.items()}
        if preset else {spec.replace("/", "--"): spec}
    )
    done = []
    for subdir, repo in jobs.items():
        try:
            done.append(Path(snapshot_download(repo, allow_patterns=_HUB_PATTERNS, local_dir=base / subdir)))
        except Exception as exc:  # noqa: BLE001
            reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            raise ModelNotFoundError(
                f"Could not download {repo} into {base / subdir}: {reason}\n"
                "This needs access to huggingface.co; run it on a connected machine and copy the folder."
            ) from None
    return done
