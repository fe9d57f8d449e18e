"""Shipped mapping presets for exports users already have (Salesforce, HubSpot, ERPs).

A preset is a mapping YAML in ``marginscope/presets``; a bundle (several files, such
as the Maven CRM sample) is one in ``marginscope/bundles``. ``marginscope mappings
list`` shows both.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml

from marginscope.ingest.mapping import Mapping, MappingError


def _folder(kind: str) -> Path:
    return Path(str(files("marginscope") / kind))


def preset_names() -> list[str]:
    return sorted(p.stem for p in _folder("presets").glob("*.yaml"))


def bundle_names() -> list[str]:
    return sorted(p.stem for p in _folder("bundles").glob("*.yaml"))


def preset(name: str) -> Mapping:
    """The mapping of a shipped preset, by name."""
    path = _folder("presets") / f"{name}.yaml"
    if not path.is_file():
        raise MappingError(f"no preset {name!r}; the presets are: {', '.join(preset_names())}")
    return Mapping.from_yaml(path)


def bundle_path(name: str) -> Path:
    path = _folder("bundles") / f"{name}.yaml"
    if not path.is_file():
        raise MappingError(f"no bundle {name!r}; the bundles are: {', '.join(bundle_names())}")
    return path


def catalogue() -> list[dict]:
    """Every preset and bundle: name, kind, target table(s) and description."""
    entries = [{"name": name, "kind": "preset", "tables": preset(name).table, "description": preset(name).description}
               for name in preset_names()]
    for name in bundle_names():
        raw = yaml.safe_load(bundle_path(name).read_text())
        tables = ", ".join(entry["mapping"]["table"] for entry in raw["loads"] if isinstance(entry["mapping"], dict))
        entries.append({"name": name, "kind": "bundle", "tables": tables, "description": raw.get("description", "")})
    return entries
