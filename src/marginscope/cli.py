"""The ``marginscope`` command line.

Exit codes: 0 success; 1 a file was rejected or a command failed (the message says
why); 2 wrong usage; 3 a file loaded, but some of its rows were quarantined.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, cast

import pyarrow.csv as pv
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from marginscope.config import get_settings
from marginscope.ingest import (
    Bundle,
    IngestError,
    LoadResult,
    Mapping,
    MappingError,
    Policy,
    load_bundle,
    load_file,
    load_query,
)
from marginscope.ingest.presets import bundle_names, bundle_path, catalogue
from marginscope.ingest.presets import preset as preset_mapping
from marginscope.schema import TABLES
from marginscope.warehouse import Warehouse, WarehouseError

EXIT_FAILED, EXIT_QUARANTINED = 1, 3
PROBLEMS_SHOWN = 20

app = typer.Typer(help="marginscope: B2B sales and customer-profitability analytics.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
console = Console()
errors = Console(stderr=True)

WarehouseOption = Annotated[
    str | None,
    typer.Option("--warehouse", "-w", envvar="MARGINSCOPE_WAREHOUSE",
                 help="Warehouse URL (default duckdb://marginscope.duckdb in the working directory)."),
]
AppDbOption = Annotated[
    str | None,
    typer.Option("--app-db", envvar="MARGINSCOPE_APP_DB",
                 help="SQLite file of users, sessions, tokens and saved views (default marginscope-app.sqlite3)."),
]
PolicyOption = Annotated[
    Policy, typer.Option("--policy", help="reject: load nothing from a file with bad rows; "
                                          "quarantine: load the good rows, keep the bad ones aside.")
]


def _fail(message: str) -> typer.Exit:
    # soft wrap: the terminal folds long lines, so a path in the message copies whole
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_FAILED)


@contextmanager
def _open(url: str | None):
    url = url or get_settings().warehouse
    try:
        warehouse = Warehouse.connect(url)
    except WarehouseError as exc:
        raise _fail(_locked_by_another_process(url, exc) or str(exc)) from None
    try:
        yield warehouse
    finally:
        warehouse.close()


_LOCK_HOLDER = re.compile(r"Could not set lock on file .*\(PID (\d+)\)")
_THROUGH_THE_SERVER = ("push rows to POST /api/v1/ingest/{table} (invoice_lines, opportunities, payments), or "
                       "serve with --refresh FILE to reload files on a schedule")


def _locked_by_another_process(url: str, exc: WarehouseError) -> str | None:
    """What to do when another process (most often `marginscope serve`) holds a DuckDB warehouse's lock,
    or ``None`` for any other failure to open it."""
    found = _LOCK_HOLDER.search(str(exc))
    if found is None:
        return None
    pid = found.group(1)
    command = _command_line(pid)
    rule = "DuckDB lets one process at a time write to it"
    if command and "serve" in command[1:] and any("marginscope" in part for part in command):
        return (f"cannot open warehouse {url!r}: the marginscope server (PID {pid}) has the file open, and {rule}. "
                f"Load through the server while it runs: {_THROUGH_THE_SERVER}; or stop the server and run this "
                "command again.")
    shown = f": {' '.join(command)}" if command else ""
    return (f"cannot open warehouse {url!r}: another process (PID {pid}{shown}) has the file open, and {rule}. "
            f"Close it and run this command again (to load while a marginscope server runs: {_THROUGH_THE_SERVER}).")


def _command_line(pid: str) -> list[str]:
    """A process's command line, where the system shows it (Linux's /proc); empty elsewhere."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


@contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A bar per stage: bytes for reading a file, a running clock for the other stages."""
    with Progress(TextColumn("{task.description:>24}"), BarColumn(), TextColumn("{task.fields[amount]:>20}"),
                  TimeElapsedColumn(), console=errors, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            in_bytes = stage.endswith(" read")
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total if in_bytes else None, amount="")
            amount = f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB" if in_bytes else ""
            finished = done >= total
            bar.update(tasks[stage], completed=done if in_bytes else (1 if finished else 0),
                       total=total if in_bytes or finished else None, amount=amount)

        yield update


def _after_loads(wh: Warehouse, results: list[LoadResult], app_db: str | None = None):
    """What follows every load (:class:`marginscope.load_service.LoadService`): the audit entries, then,
    when rows changed, the quality checks and the alert rules. Returns the checks that found something
    (None when nothing changed)."""
    from marginscope.alerts import AlertEvaluator
    from marginscope.auth import Auth
    from marginscope.load_service import LoadService
    from marginscope.metrics.engine import Metrics

    metrics, auth = Metrics(wh), Auth.open(app_db)
    user = get_settings().user or getpass.getuser()
    done = LoadService(metrics, auth, AlertEvaluator(metrics, auth)).after(results, user, "cli")
    if done is None:
        return None
    _print_alerts(done.alerts)
    return done.flagged


def _evaluate_alerts(wh: Warehouse, trigger: str, app_db: str | None = None, as_of: dt.date | None = None) -> list:
    """Evaluate the alert rules (new conditions are sent and recorded) and say what fired."""
    from marginscope.alerts import AlertEvaluator
    from marginscope.auth import Auth
    from marginscope.metrics.engine import Metrics

    outcomes = AlertEvaluator(Metrics(wh), Auth.open(app_db)).run(trigger, as_of)
    _print_alerts(outcomes)
    return outcomes


def _print_alerts(outcomes: list) -> None:
    for outcome in outcomes:
        if outcome.error:
            errors.print(f"[yellow]alert rule {outcome.rule.name!r} failed:[/] {outcome.error}", highlight=False)
        elif outcome.fired:
            sent = ", ".join(f"{channel} {state}" for channel, state in outcome.delivery.items()) or "recorded only"
            console.print(f"alert {outcome.rule.name!r} ({outcome.rule.owner}): {len(outcome.fired)} new ({sent})",
                          highlight=False)


def _print_quality(flagged) -> None:
    if flagged is None:
        return
    if flagged.empty:
        console.print("quality checks: nothing to look at", highlight=False)
        return
    console.print(f"quality checks: {len(flagged)} to look at (the Data page lists the rows):", highlight=False)
    for row in flagged.itertuples():
        console.print(f"  - {row.check}: {row.rows:,} rows, e.g. {row.examples}", highlight=False)


def _report(result: LoadResult, report: Path | None) -> None:
    if result.ok:
        console.print(
            f"[green]loaded[/] {result.table} from {result.source}: {result.rows_read:,} read, "
            f"{result.rows_loaded:,} loaded ({result.rows_inserted:,} new, {result.rows_updated:,} updated, "
            f"{result.rows_unchanged:,} unchanged), {result.rows_rejected:,} quarantined; "
            f"data version {result.data_version}; {result.duration_s:.1f} s",
            highlight=False,
        )
    else:
        errors.print(
            f"[bold red]rejected[/] {result.source} ({result.table}): {result.problems.num_rows:,} problems "
            f"in {result.rows_read:,} rows; nothing was loaded (use --policy quarantine to load the good rows)",
            highlight=False,
        )
    for note in result.notes:
        console.print(f"  note: {note}", highlight=False)
    problems = result.problems
    if problems.num_rows:
        grid = RichTable("row", "column", "value", "reason", title=f"problems in {result.source}")
        for row in problems.slice(0, PROBLEMS_SHOWN).to_pylist():
            grid.add_row(str(row["row"]), row["column"], str(row["value"] or ""), row["reason"])
        errors.print(grid)
        if problems.num_rows > PROBLEMS_SHOWN:
            errors.print(f"... and {problems.num_rows - PROBLEMS_SHOWN:,} more", highlight=False)
        if report:
            pv.write_csv(problems, report)
            errors.print(f"all problems written to {report}", highlight=False)


def _exit_code(results: list[LoadResult]) -> int:
    if any(not r.ok for r in results):
        return EXIT_FAILED
    return EXIT_QUARANTINED if any(r.rows_rejected for r in results) else 0


@app.command()
def load(
    targets: Annotated[list[str], typer.Argument(metavar="[TABLE] FILE",
                                                 help=f"Table ({', '.join(TABLES)}) and a CSV, Excel (.xlsx) or "
                                                      "Parquet file; with --preset, just the file.")],
    mapping: Annotated[Path | None, typer.Option("--mapping", "-m", help="YAML column mapping.")] = None,
    preset: Annotated[str | None, typer.Option(help="A shipped mapping (see `mappings list`).")] = None,
    policy: PolicyOption = Policy.REJECT,
    report: Annotated[Path | None, typer.Option(help="Write every problem found to this CSV file.")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Load one file into a canonical table (validated, atomic, upsert by key)."""
    try:
        if preset and mapping:
            raise MappingError("give --mapping or --preset, not both")
        rules = preset_mapping(preset) if preset else Mapping.from_yaml(mapping) if mapping else None
        if rules and len(targets) == 1:
            table, file = rules.table, Path(targets[0])
        elif len(targets) == 2:
            table, file = targets[0], Path(targets[1])
        else:
            raise MappingError("expected TABLE FILE (or FILE with --preset or --mapping)")
        if table not in TABLES:
            raise MappingError(f"unknown table {table!r}; the tables are: {', '.join(TABLES)}")
        with _open(warehouse) as wh:
            with _progress_bar() as progress:
                result = load_file(wh, table, file, rules, policy=policy, progress=progress)
            flagged = _after_loads(wh, [result])
    except (IngestError, MappingError, ValueError) as exc:
        raise _fail(str(exc)) from None
    _report(result, report)
    _print_quality(flagged)
    raise typer.Exit(_exit_code([result]))


@app.command("load-sql")
def load_sql(
    table: Annotated[str, typer.Argument(help=f"Table to load: {', '.join(TABLES)}.")],
    source: Annotated[str, typer.Option("--source", "-s", envvar="MARGINSCOPE_SOURCE",
                                        help="URL of the database to read, e.g. postgresql://user:password@host/db.")],
    query: Annotated[str | None, typer.Option("--query", "-q", help="The SELECT whose rows are loaded.")] = None,
    query_file: Annotated[Path | None, typer.Option(help="A file holding the SELECT.")] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", "-m", help="YAML column mapping.")] = None,
    policy: PolicyOption = Policy.REJECT,
    report: Annotated[Path | None, typer.Option(help="Write every problem found to this CSV file.")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Load the rows of a SQL query on another database (validated, atomic, upsert by key)."""
    try:
        if (query is None) == (query_file is None):
            raise MappingError("give the query with --query or --query-file (one of them)")
        if table not in TABLES:
            raise MappingError(f"unknown table {table!r}; the tables are: {', '.join(TABLES)}")
        sql = query if query is not None else cast(Path, query_file).read_text()  # one of them, checked above
        rules = Mapping.from_yaml(mapping) if mapping else None
        with _open(warehouse) as wh:
            with _progress_bar() as progress:
                result = load_query(wh, table, source, sql, rules, policy=policy, progress=progress)
            flagged = _after_loads(wh, [result])
    except (IngestError, MappingError, ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    _report(result, report)
    _print_quality(flagged)
    raise typer.Exit(_exit_code([result]))


mappings_app = typer.Typer(help="Shipped mapping presets and bundles.", no_args_is_help=True)
app.add_typer(mappings_app, name="mappings")


@mappings_app.command("suggest")
def mappings_suggest(
    file: Annotated[Path, typer.Argument(help="The file to map (CSV, Excel or Parquet).")],
    table: Annotated[str, typer.Argument(help="The canonical table it feeds.")],
    delimiter: Annotated[str | None, typer.Option(
        help="CSV delimiter (default: a comma, or the one the header splits on).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the mapping to this YAML file.")] = None,
) -> None:
    """Propose a mapping from the file's header and sample values, to review and save."""
    from marginscope.ingest.readers import DelimiterError
    from marginscope.ingest.suggest import suggest

    try:
        try:
            suggestion = suggest(file, table, delimiter or ",")
        except DelimiterError as wrong:
            if delimiter is not None:
                raise
            suggestion = suggest(file, table, wrong.delimiter)
            errors.print(f"note: {file} is read with the delimiter {json.dumps(wrong.delimiter)}, which its header "
                         "splits on", highlight=False, soft_wrap=True)
    except (IngestError, KeyError) as exc:
        raise _fail(str(exc).strip('"')) from None
    text = suggestion.to_yaml()
    if out:
        out.write_text(text)
        console.print(f"mapping written to {out}; review it, then: marginscope load {file} --mapping {out}",
                      highlight=False)
    else:
        console.print(text, markup=False, highlight=False)
    if suggestion.unmatched_required:
        errors.print(f"[yellow]review:[/] no column found for {', '.join(suggestion.unmatched_required)}",
                     highlight=False)


@mappings_app.command("list")
def mappings_list() -> None:
    """List the shipped presets (one file) and bundles (several files)."""
    grid = RichTable("name", "kind", "loads into", "what it reads", title="mappings")
    for entry in catalogue():
        first_sentence = " ".join(entry["description"].split()).split(". ")[0]
        grid.add_row(entry["name"], entry["kind"], entry["tables"], first_sentence)
    console.print(grid)


def _bundle_path(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.is_dir():
        raise _fail(_not_a_bundle_file(path))
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    try:
        return bundle_path(name_or_path)
    except MappingError as exc:
        raise _fail(str(exc)) from None


def _not_a_bundle_file(folder: Path) -> str:
    """The message for a folder given as a bundle: the bundle files in it, if any (`generate` writes one)."""
    found = _bundles_in(folder)
    if not found:
        return (f"{folder}: is a directory, not a bundle file, and holds none; give a bundle YAML file or the name "
                f"of a shipped bundle ({', '.join(bundle_names())})")
    if len(found) == 1:
        return (f"{folder}: is a directory, not a bundle file; the bundle file in it is {found[0]}: "
                f"marginscope load-bundle {found[0]}")
    return f"{folder}: is a directory, not a bundle file; the bundle files in it are {', '.join(map(str, found))}"


def _bundles_in(folder: Path) -> list[Path]:
    """The YAML files of a folder that are bundles (hold a list of loads)."""
    import yaml

    found = []
    for candidate in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            raw = yaml.safe_load(candidate.read_text(encoding="utf-8"))
        except (OSError, UnicodeError, yaml.YAMLError):
            continue
        if isinstance(raw, dict) and isinstance(raw.get("loads"), list):
            found.append(candidate)
    return found


@app.command("load-bundle")
def load_bundle_command(
    bundle: Annotated[str, typer.Argument(help="Bundle YAML file, or the name of a shipped bundle (maven_crm).")],
    data_dir: Annotated[Path | None, typer.Option("--dir", "-d", help="Folder holding the bundle's files "
                                                     "(default: the bundle file's folder).")] = None,
    policy: PolicyOption = Policy.REJECT,
    warehouse: WarehouseOption = None,
) -> None:
    """Load several files, each with its mapping, as a bundle file lists them."""
    path = _bundle_path(bundle)
    try:
        spec = Bundle.from_yaml(path, data_dir)
        with _open(warehouse) as wh:
            with _progress_bar() as progress:
                results = load_bundle(wh, spec, policy=policy, progress=progress)
            flagged = _after_loads(wh, results)
    except (IngestError, MappingError) as exc:
        raise _fail(str(exc)) from None
    for result in results:
        _report(result, None)
    _print_quality(flagged)
    raise typer.Exit(_exit_code(results))


@app.command()
def refresh(
    config: Annotated[Path, typer.Argument(
        help="Refresh file: the sources to reload (see README, Scheduled refresh).")],
    warehouse: WarehouseOption = None,
    app_db: AppDbOption = None,
) -> None:
    """Reload every source a refresh file names, then run the quality checks and the alert rules."""
    from marginscope.ingest.refresh import RefreshError, RefreshPlan, run_refresh

    try:
        plan = RefreshPlan.from_yaml(config)
    except RefreshError as exc:
        raise _fail(str(exc)) from None
    with _open(warehouse) as wh:
        with _progress_bar() as progress:
            runs = run_refresh(wh, plan, user=get_settings().user or getpass.getuser(), progress=progress)
        results = [result for run in runs for result in run.results]
        flagged = _after_loads(wh, results, app_db)
    for run in runs:
        if run.error:
            errors.print(f"[bold red]failed[/] {run.label}: {run.error}", highlight=False)
        for result in run.results:
            _report(result, None)
    _print_quality(flagged)
    raise typer.Exit(EXIT_FAILED if any(run.error for run in runs) else _exit_code(results))


alerts_app = typer.Typer(help="Alert rules: evaluate them now, list them and their history.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("run")
def alerts_run(warehouse: WarehouseOption = None, app_db: AppDbOption = None,
               as_of: Annotated[dt.datetime | None, typer.Option(
                   formats=["%Y-%m-%d"], help="Evaluate as of this day (default: the latest invoice date).")] = None,
               ) -> None:
    """Evaluate every enabled rule now; new conditions are sent and recorded, as after a load."""
    with _open(warehouse) as wh:
        outcomes = _evaluate_alerts(wh, "command line", app_db, as_of.date() if as_of else None)
    fired = sum(len(outcome.fired) for outcome in outcomes)
    console.print(f"{len(outcomes)} rules evaluated, {fired} new alerts", highlight=False)
    raise typer.Exit(EXIT_FAILED if any(outcome.error for outcome in outcomes) else 0)


@alerts_app.command("list")
def alerts_list(app_db: AppDbOption = None,
                history: Annotated[int, typer.Option(help="Alerts of the history to show.")] = 20) -> None:
    """List every rule and the latest alerts."""
    from marginscope.alerts import AlertStore

    store = AlertStore(_auth(app_db).store)
    grid = RichTable("id", "owner", "name", "watches", "filters", "channels", "enabled", title="alert rules")
    for rule in store.rules():
        channels = ", ".join([*rule.channels.emails, *(["slack"] if rule.channels.slack else []),
                              *(["teams"] if rule.channels.teams else [])])
        grid.add_row(str(rule.rule_id), rule.owner, rule.name, rule.description, rule.search or "-",
                     channels or "-", "yes" if rule.enabled else "no")
    console.print(grid)
    events = RichTable("fired", "rule", "subject", "message", title="latest alerts")
    for event in store.events(limit=history):
        events.add_row(event.fired_at, event.rule_name, event.subject, event.message)
    console.print(events)


@app.command()
def status(warehouse: WarehouseOption = None, loads: Annotated[int, typer.Option(help="Loads to list.")] = 10) -> None:
    """Show the tables, their row counts, the data version and the last loads."""
    with _open(warehouse) as wh:
        console.print(f"warehouse [bold]{wh.url}[/]  data version [bold]{wh.data_version}[/]", highlight=False)
        counts = RichTable("table", "rows", "required", title="tables")
        for name, count in wh.row_counts().items():
            counts.add_row(name, f"{count:,}", "yes" if TABLES[name].required else "")
        console.print(counts)
        log = wh.load_log(loads)
        grid = RichTable("id", "when (UTC)", "table", "status", "read", "loaded", "rejected", "ver", "file",
                         title="last loads")
        for row in log.itertuples():
            grid.add_row(str(row.load_id), f"{row.started_at:%Y-%m-%d %H:%M}", row.table_name, row.status,
                         f"{row.rows_read:,}", f"{row.rows_loaded:,}", f"{row.rows_rejected:,}",
                         str(row.data_version), Path(row.source).name)
        console.print(grid if len(log) else "no loads yet")


@app.command()
def quarantine(
    load_id: Annotated[int | None, typer.Option("--load", help="Only this load's rows (ids: see status).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the rows to this CSV file.")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Show the rows kept aside by loads, with their reasons and original values."""
    with _open(warehouse) as wh:
        rows = wh.quarantine(load_id)
    if out:
        rows.to_csv(out, index=False)
        console.print(f"{len(rows):,} quarantined rows written to {out}", highlight=False)
        return
    grid = RichTable("load", "table", "row", "problems", "record", title="quarantined rows")
    for row in rows.head(PROBLEMS_SHOWN).itertuples():
        grid.add_row(str(row.load_id), row.table_name, str(row.row_number), row.problems, row.record)
    console.print(grid if len(rows) else "no quarantined rows")
    if len(rows) > PROBLEMS_SHOWN:
        console.print(f"... and {len(rows) - PROBLEMS_SHOWN:,} more; use --out to export them all", highlight=False)


@app.command()
def schema(table: Annotated[str | None, typer.Argument(help="One table; default all.")] = None) -> None:
    """Print the data contract: every canonical table with its columns."""
    from marginscope.docs import data_contract_markdown

    if table and table not in TABLES:
        raise _fail(f"unknown table {table!r}; the tables are: {', '.join(TABLES)}")
    console.print(data_contract_markdown([table] if table else None), markup=False, highlight=False)


def _generate(out: Path, seed: int, customers: int, years: int, lines: int | None, as_of: dt.datetime | None) -> Path:
    from marginscope.demo import generate as generate_demo

    with _progress_bar() as progress:
        bundle = generate_demo(out, seed=seed, customers=customers, years=years, lines=lines,
                               as_of=as_of.date() if as_of else None,
                               progress=lambda stage, fraction: progress(stage, int(fraction * 100), 100))
    console.print(f"demo data written to {out} (bundle {bundle})", highlight=False)
    return bundle


OutOption = Annotated[Path, typer.Option("--out", "-o", help="Folder for the generated source files.")]
SeedOption = Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")]
CustomersOption = Annotated[int, typer.Option(help="Number of customers.")]
YearsOption = Annotated[int, typer.Option(help="Calendar years of history, the current one included.")]
LinesOption = Annotated[int | None, typer.Option(help="Target number of invoice lines (scales the company).")]
AsOfOption = Annotated[dt.datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"],
                                                           help="Last day of data (default today).")]


@app.command()
def generate(out: OutOption = Path("demo-data"), seed: SeedOption = 7, customers: CustomersOption = 1500,
             years: YearsOption = 3, lines: LinesOption = None, as_of: AsOfOption = None) -> None:
    """Write a synthetic B2B company's ERP, CRM and finance exports (and their bundle file)."""
    _generate(out, seed, customers, years, lines, as_of)


@app.command()
def demo(out: OutOption = Path("demo-data"), seed: SeedOption = 7, customers: CustomersOption = 1500,
         years: YearsOption = 3, lines: LinesOption = None, as_of: AsOfOption = None,
         warehouse: WarehouseOption = None, app_db: AppDbOption = None) -> None:
    """Generate the demo company and load it through the normal loading path.

    When there are no users yet, an admin is created with a random password, printed once.
    """
    bundle = _generate(out, seed, customers, years, lines, as_of)
    with _open(warehouse) as wh:
        with _progress_bar() as progress:
            results = load_bundle(wh, Bundle.from_yaml(bundle), progress=progress)
        flagged = _after_loads(wh, results, app_db)
    for result in results:
        _report(result, None)
    _print_quality(flagged)
    code = _exit_code(results)
    if code == 0:
        console.print(f"demo loaded into {warehouse or get_settings().warehouse}; "
                      "`marginscope status` shows what is there", highlight=False)
        _demo_admin(app_db)
    raise typer.Exit(code)


def _demo_admin(app_db: str | None) -> None:
    """Give a fresh demo a way in: an admin with a random password, shown once (never a default one)."""
    from marginscope.auth import Auth, Role

    auth = Auth.open(app_db)
    if auth.users.count():
        return
    password = secrets.token_urlsafe(12)
    auth.users.add("admin", password, Role.ADMIN)
    auth.audit.record("user_added", "admin", role="admin", by="marginscope demo")
    console.print(f"sign in as [bold]admin[/] with password [bold]{password}[/] (shown only now; "
                  "`marginscope users passwd admin` changes it)", highlight=False)


@app.command()
def serve(warehouse: WarehouseOption = None,
          host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")] = None,
          port: Annotated[int | None, typer.Option(help="Port to listen on (default 8050).")] = None,
          app_db: AppDbOption = None,
          refresh: Annotated[Path | None, typer.Option(
              envvar="MARGINSCOPE_REFRESH_CONFIG",
              help="Refresh file: reload its sources every every_minutes while serving.")] = None) -> None:
    """Start the web dashboard and REST API (default http://127.0.0.1:8050); every route needs a signed-in user."""
    from marginscope.server import serve as run_server  # the web stack loads only when serving

    settings = get_settings()
    try:
        with _open(warehouse):
            pass  # fail here, with a clear message, if the warehouse cannot be opened
    except typer.Exit:
        raise
    console.print(f"marginscope on http://{host or settings.host}:{port or settings.port} "
                  f"(warehouse {warehouse or settings.warehouse}); Ctrl+C stops it", highlight=False)
    if refresh:
        from marginscope.ingest.refresh import RefreshError, RefreshPlan
        try:
            plan = RefreshPlan.from_yaml(refresh)
        except RefreshError as exc:
            raise _fail(str(exc)) from None
        console.print(f"reloading {len(plan.sources)} sources of {refresh} every {plan.every_minutes:g} minutes",
                      highlight=False)
    run_server(warehouse, host, port, app_db, str(refresh) if refresh else None)


users_app = typer.Typer(help="Users of the dashboard and API: add, remove, list, change a password.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")


def _auth(app_db: str | None):
    from marginscope.auth import Auth
    return Auth.open(app_db)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="The user name to sign in with.")],
    role: Annotated[str, typer.Option(help="admin, manager, analyst or rep.")],
    rep_id: Annotated[str | None, typer.Option(
        help="For a rep: their rep_id (they see the customers they own).")] = None,
    manager: Annotated[str | None, typer.Option(help="For a manager: their name as in the reps table's manager "
                                                        "column (they see their team's customers).")] = None,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
    app_db: AppDbOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Add a user; the password is asked for (twice) unless --password-stdin is given.

    A rep's --rep-id must be in the warehouse's reps table (load the reps first).
    """
    from marginscope.auth import Role, UserError

    if role not in {r.value for r in Role}:
        raise _fail(f"unknown role {role!r}: use admin, manager, analyst or rep")
    if role == Role.REP.value and rep_id:
        _check_rep_id(warehouse, rep_id)
    auth = _auth(app_db)
    try:
        user = auth.users.add(username, _read_password(password_stdin), role, rep_id=rep_id, manager=manager)
    except UserError as exc:
        raise _fail(str(exc)) from None
    auth.audit.record("user_added", user.username, role=user.role.value, by="marginscope users add")
    console.print(f"added {user.username} ({user.role.value})", highlight=False)


def _check_rep_id(url: str | None, rep_id: str) -> None:
    """Refuse a rep id the warehouse's reps table does not hold: such a rep would see no customers.

    A warehouse that cannot be opened (a DuckDB file the running server holds) cannot be asked:
    then the user is added with a warning, so that users can still be managed beside the server.
    """
    url = url or get_settings().warehouse
    try:
        warehouse = Warehouse.connect(url, create=False)
    except WarehouseError as exc:
        errors.print(f"[yellow]warning:[/] rep_id {rep_id!r} not checked: {exc}. Make sure it is a rep_id of the "
                     "reps table; the user sees no customers otherwise.", highlight=False, soft_wrap=True)
        return
    with warehouse:
        known = _rep_ids(warehouse)
    if not known:
        raise _fail(f"the warehouse holds no reps yet ({url}): load the reps (and customers) first, e.g. "
                    "`marginscope load reps reps.csv`, then add rep users")
    if rep_id not in known:
        shown = ", ".join(sorted(known)[:PROBLEMS_SHOWN]) + (", ..." if len(known) > PROBLEMS_SHOWN else "")
        raise _fail(f"there is no rep_id {rep_id!r} in the reps table (it has {shown}) of {url}: give the rep_id "
                    "whose customers the user owns (rep ids are case-sensitive)")


def _rep_ids(warehouse: Warehouse) -> set[str]:
    if "reps" not in warehouse.con.list_tables():
        return set()
    return set(warehouse.table("reps").rep_id.execute())


@users_app.command("remove")
def users_remove(username: Annotated[str, typer.Argument()], app_db: AppDbOption = None) -> None:
    """Remove a user with their sessions, API tokens and saved views."""
    from marginscope.auth import UserError

    auth = _auth(app_db)
    try:
        auth.users.remove(username)
    except UserError as exc:
        raise _fail(str(exc)) from None
    auth.audit.record("user_removed", username, by="marginscope users remove")
    console.print(f"removed {username}", highlight=False)


@users_app.command("list")
def users_list(app_db: AppDbOption = None) -> None:
    """Every user with their role and what they see."""
    table = RichTable("user", "role", "sees")
    for user in _auth(app_db).users.all():
        sees = {"rep": f"customers owned by rep {user.rep_id}",
                "manager": f"customers of {user.manager}'s team"}.get(user.role.value, "everything")
        table.add_row(user.username, user.role.value, sees)
    console.print(table)


@users_app.command("passwd")
def users_passwd(username: Annotated[str, typer.Argument()],
                 password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
                 app_db: AppDbOption = None) -> None:
    """Set a user's password: their sessions end and their API tokens are revoked."""
    from marginscope.auth import UserError

    auth = _auth(app_db)
    try:
        change = auth.users.set_password(username, _read_password(password_stdin))
    except UserError as exc:
        raise _fail(str(exc)) from None
    auth.audit.record("password_changed", username, "cli", by="marginscope users passwd",
                      sessions_ended=change.sessions_ended, tokens_revoked=change.tokens_revoked)
    console.print(f"password of {username} changed; revoked {_count(change.tokens_revoked, 'API token')} and "
                  f"ended {_count(change.sessions_ended, 'session')}", highlight=False)


def _count(number: int, thing: str) -> str:
    """``1 session``, ``2 sessions``."""
    return f"{number} {thing}{'' if number == 1 else 's'}"


tokens_app = typer.Typer(help="API tokens of a user: create, list, revoke.", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")


@tokens_app.command("create")
def tokens_create(username: Annotated[str, typer.Argument()], name: Annotated[str, typer.Argument()],
                  app_db: AppDbOption = None) -> None:
    """Make an API token for a user; it is printed once and scoped like the user."""
    auth = _auth(app_db)
    if auth.users.get(username) is None:
        raise _fail(f"there is no user {username!r}")
    info, token = auth.tokens.create(username, name)
    auth.audit.record("token_created", username, "cli", token_id=info.token_id, name=info.name)
    console.print(f"token {info.token_id} for {username} (shown only now):", highlight=False)
    console.print(token, markup=False, highlight=False, soft_wrap=True)


@tokens_app.command("list")
def tokens_list(username: Annotated[str, typer.Argument()], app_db: AppDbOption = None) -> None:
    """A user's tokens (never the secrets)."""
    table = RichTable("id", "name", "created", "last used", "revoked")
    for info in _auth(app_db).tokens.list(username):
        table.add_row(info.token_id, info.name, info.created_at, info.last_used_at or "", info.revoked_at or "")
    console.print(table)


@tokens_app.command("revoke")
def tokens_revoke(username: Annotated[str, typer.Argument()], token_id: Annotated[str, typer.Argument()],
                  app_db: AppDbOption = None) -> None:
    """Revoke one of a user's tokens; it is refused from then on."""
    auth = _auth(app_db)
    if not auth.tokens.revoke(username, token_id):
        raise _fail(f"{username} has no live token {token_id}")
    auth.audit.record("token_revoked", username, "cli", token_id=token_id)
    console.print(f"revoked {token_id}", highlight=False)


if __name__ == "__main__":
    app()
