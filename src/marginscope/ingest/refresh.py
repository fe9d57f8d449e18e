"""Scheduled refresh: a file naming the sources to reload, run by ``marginscope refresh`` or the server.

A refresh file is YAML::

    every_minutes: 60            # how often the server reloads (marginscope serve --refresh FILE)
    sources:
      - table: customers
        file: exports/customers.csv        # relative to this file; a glob loads every match in name order
        mapping: mappings/customers.yaml   # or preset: NAME, or neither for canonical column names
      - table: invoice_lines
        file: exports/invoice_lines_*.csv
        policy: quarantine                 # keep bad rows aside instead of rejecting the file
      - table: opportunities
        source: ${CRM_URL}                 # a database URL; ${VARIABLES} come from the environment
        query: SELECT * FROM deals
      - bundle: maven_crm                  # a bundle file or a shipped bundle's name
        dir: ../shared/data/maven_crm

Every source loads as a file does (validated, one transaction, upsert by key, load log,
quarantine), in the order given. A source that fails is reported and the next one
still runs. Reloading a file that has not changed changes nothing, not even the data
version, so a frequent schedule costs only the reading.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from marginscope.ingest.errors import IngestError
from marginscope.ingest.load import LoadResult, Policy, Progress, load_bundle, load_file, load_query
from marginscope.ingest.mapping import Bundle, Mapping, MappingError
from marginscope.ingest.presets import bundle_path, preset
from marginscope.schema import TABLES
from marginscope.warehouse import Warehouse

_VARIABLE = re.compile(r"\$\{(\w+)\}")


class RefreshError(ValueError):
    """A refresh file that cannot be used; the message names the file, the source and the field."""


class RefreshSource(BaseModel):
    """One source: a file (or glob), a SQL query on another database, or a bundle."""

    model_config = ConfigDict(extra="forbid")

    table: str | None = Field(None, description="The canonical table (may come from the mapping or preset)")
    file: str | None = Field(None, description="A CSV, Excel or Parquet file, or a glob of them")
    mapping: str | None = Field(None, description="A YAML column mapping")
    preset: str | None = Field(None, description="A shipped mapping preset")
    source: str | None = Field(None, description="URL of the database the query runs on")
    query: str | None = Field(None, description="The SELECT whose rows are loaded")
    bundle: str | None = Field(None, description="A bundle file, or a shipped bundle's name")
    dir: str | None = Field(None, description="The folder of the bundle's files")
    policy: Policy = Policy.REJECT

    @model_validator(mode="after")
    def _one_kind(self) -> RefreshSource:
        kinds = [name for name in ("file", "query", "bundle") if getattr(self, name)]
        if len(kinds) != 1:
            raise ValueError("give exactly one of file, query or bundle")
        if self.query and not self.source:
            raise ValueError("a query needs the source database's URL in 'source'")
        if self.mapping and self.preset:
            raise ValueError("give mapping or preset, not both")
        if self.table is not None and self.table not in TABLES:
            raise ValueError(f"unknown table {self.table!r}; the tables are: {', '.join(TABLES)}")
        if not self.bundle and not (self.table or self.mapping or self.preset):
            raise ValueError("name the table (or give a mapping or preset that names it)")
        return self

    @property
    def label(self) -> str:
        if self.file:
            return self.file
        if self.bundle:
            return f"bundle {self.bundle}"
        host = urlsplit(self.source or "").hostname or "the source database"
        return f"query on {host} into {self.table or 'the mapped table'}"  # never the URL: it may hold a password


class RefreshPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    every_minutes: float = Field(60.0, gt=0, description="Minutes between scheduled refreshes in the server")
    sources: list[RefreshSource] = Field(min_length=1)
    base: Path = Field(Path("."), exclude=True, description="The refresh file's folder; relative paths start here")

    @classmethod
    def from_yaml(cls, path: str | Path) -> RefreshPlan:
        """Read and check a refresh file.

        Examples
        --------
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "refresh.yaml").write_text("sources:\\n  - table: customers\\n    query: SELECT 1\\n")
        >>> RefreshPlan.from_yaml(folder / "refresh.yaml")
        Traceback (most recent call last):
        ...
        marginscope.ingest.refresh.RefreshError: ...refresh.yaml: sources[1]: a query needs the source database's
        URL in 'source'
        """
        path = Path(path)
        try:
            raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise RefreshError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        except yaml.YAMLError as exc:
            raise RefreshError(f"{path}: not valid YAML ({exc})") from None
        if not isinstance(raw, dict):
            raise RefreshError(f"{path}: expected 'every_minutes' and a 'sources' list")
        try:
            return cls(**raw, base=path.resolve().parent)
        except (ValidationError, TypeError) as exc:
            raise RefreshError(f"{path}: {_explain(exc)}") from None


def _explain(exc: Exception) -> str:
    if not isinstance(exc, ValidationError):
        return str(exc)
    parts = []
    for error in exc.errors():
        where = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in error["loc"]).lstrip(".")
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _expand(text: str) -> str:
    missing = [name for name in _VARIABLE.findall(text) if name not in os.environ]
    if missing:
        raise RefreshError(f"the environment has no {', '.join(missing)}")
    return _VARIABLE.sub(lambda m: os.environ[m.group(1)], text)


@dataclass
class SourceRun:
    """What refreshing one source did: its loads, or why it could not run."""

    label: str
    results: list[LoadResult] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(result.ok for result in self.results)


def _mapping(plan: RefreshPlan, source: RefreshSource) -> Mapping | None:
    if source.preset:
        return preset(source.preset)
    if source.mapping:
        return Mapping.from_yaml(plan.base / source.mapping)
    return None


def _run_source(wh: Warehouse, plan: RefreshPlan, source: RefreshSource, user: str | None,
                progress: Progress | None) -> list[LoadResult]:
    options: dict[str, Any] = {"policy": source.policy, "user": user, "progress": progress}
    if source.bundle:
        path = Path(source.bundle)
        path = plan.base / path if path.suffix in (".yaml", ".yml") else bundle_path(source.bundle)
        data_dir = plan.base / source.dir if source.dir else None
        return load_bundle(wh, Bundle.from_yaml(path, data_dir), **options)
    rules = _mapping(plan, source)
    # RefreshSource checks these: a table or a mapping (or preset) naming it, a query's source, a file otherwise.
    table = source.table or cast(Mapping, rules).table
    if source.query:
        assert source.source is not None
        return [load_query(wh, table, _expand(source.source), source.query, rules, **options)]
    assert source.file is not None
    pattern = str(plan.base / source.file)
    files = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
    if not files:
        raise RefreshError(f"no file matches {source.file} (in {plan.base})")
    return [load_file(wh, table, file, rules, **options) for file in files]


def run_refresh(wh: Warehouse, plan: RefreshPlan, *, user: str | None = None,
                progress: Progress | None = None) -> list[SourceRun]:
    """Reload every source of ``plan`` in order; one failing source does not stop the others."""
    runs = []
    for source in plan.sources:
        run = SourceRun(source.label)
        try:
            run.results = _run_source(wh, plan, source, user, progress)
        except (IngestError, MappingError, RefreshError, OSError) as exc:
            run.error = str(exc)
        runs.append(run)
    return runs
