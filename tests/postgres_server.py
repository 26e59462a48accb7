"""A throwaway PostgreSQL server for the tests: found (or installed with apt-get), initialised in a
temporary folder, started on a free local port, and removed at the end of the session.

The server binaries are looked for on PATH and in Debian's ``/usr/lib/postgresql/*/bin``; when
there are none, Debian's ``postgresql`` package is installed with apt-get (as root, not
interactively). ``initdb`` refuses to run as root, so as root the cluster is owned by and run as
the ``postgres`` system user (created when missing). Connections need a password over TCP
(scram-sha-256), so the URLs the tests use carry one, as real ones do.

When none of that is possible the PostgreSQL tests are skipped with the reason, never failed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

USER = "storyline"
PASSWORD = "test-only-p4ss"
#: The system user that owns and runs the cluster when the tests run as root.
SYSTEM_USER = "postgres"
_names = count(1)


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def _run(*args: str, user: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = ["runuser", "-u", user, "--", *args] if user else list(args)
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def find_binaries() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``: PATH first, then the newest of
    Debian's versioned folders."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        folder = Path(initdb).resolve().parent
        if (folder / "pg_ctl").exists() and (folder / "postgres").exists():
            return folder
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in versions:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def install() -> None:
    """Install Debian's postgresql package (server binaries, no cluster is started)."""
    if os.geteuid() != 0:
        raise Unavailable("the PostgreSQL server binaries are missing and installing them needs root")
    if not shutil.which("apt-get"):
        raise Unavailable("the PostgreSQL server binaries are missing and there is no apt-get to install them")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # the package's own cluster must not start: the tests make theirs (policy-rc.d refuses services)
    policy = Path("/usr/sbin/policy-rc.d")
    made_policy = not policy.exists()
    if made_policy:
        policy.write_text("#!/bin/sh\nexit 101\n", encoding="utf-8")
        policy.chmod(0o755)
    try:
        for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "--no-install-recommends",
                                                       "postgresql"]):  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900, check=False)
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
                raise Unavailable(f"`{' '.join(command)}` failed: {tail[0]}")
    finally:
        if made_policy:
            policy.unlink(missing_ok=True)


def _system_user() -> str | None:
    """Who runs the server: nobody else when not root; as root, the postgres user (made if missing)."""
    if os.geteuid() != 0:
        return None
    if not shutil.which("runuser"):
        raise Unavailable("running as root without runuser: initdb cannot run as root")
    if _run("id", "-u", SYSTEM_USER).returncode != 0:
        made = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if made.returncode != 0:
            raise Unavailable(f"cannot create the {SYSTEM_USER} user to run PostgreSQL: {made.stderr.strip()}")
    return SYSTEM_USER


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One running throwaway cluster. :meth:`database` makes an empty database and gives its URL."""

    def __init__(self, bin_dir: Path, root: Path, user: str | None) -> None:
        self.bin_dir, self.root, self.user = bin_dir, root, user
        self.data = root / "data"
        self.port = 0

    def _own(self, path: Path) -> None:
        if self.user:
            shutil.chown(path, self.user, self.user)

    def start(self) -> None:
        self._own(self.root)
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
        self._own(pwfile)
        done = _run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", USER, f"--pwfile={pwfile}",
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            user=self.user,
        )  # fmt: skip
        if done.returncode != 0:
            # an older initdb may not know C.UTF-8: plain C keeps UTF-8 as the encoding
            shutil.rmtree(self.data, ignore_errors=True)
            done = _run(
                str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", USER, f"--pwfile={pwfile}",
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
                user=self.user,
            )  # fmt: skip
        if done.returncode != 0:
            raise Unavailable(f"initdb failed: {(done.stderr or done.stdout).strip()[-400:]}")
        for _ in range(5):  # a free port may be taken between finding and binding it
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            log = self.root / "server.log"
            done = _run(
                str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-o", options, "-w", "-t", "60",
                "start", user=self.user,
            )  # fmt: skip
            if done.returncode == 0:
                return
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else done.stderr
            if "could not bind" not in text and "already in use" not in text:
                raise Unavailable(f"pg_ctl start failed: {text.strip()[-400:]}")
        raise Unavailable("pg_ctl start failed: no free port")

    def stop(self) -> None:
        _run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", user=self.user)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", *, password: str | None = PASSWORD) -> str:
        secret = f":{password}" if password is not None else ""
        return f"postgresql://{USER}{secret}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``, which nobody may be connected to): its URL."""
        name = f"t{os.getpid()}_{next(_names)}"
        copy = f" TEMPLATE {template}" if template else " TEMPLATE template0"
        self.execute(f"CREATE DATABASE {name}{copy} STRATEGY FILE_COPY")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(Exception):
            self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_server() -> PostgresServer:
    """Start a throwaway server (installing PostgreSQL first when it is missing), or raise
    :class:`Unavailable` saying why not."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise Unavailable("psycopg is not installed (pip install 'storyline[postgres]')") from None
    bin_dir = find_binaries()
    if bin_dir is None:
        install()
        bin_dir = find_binaries()
        if bin_dir is None:
            raise Unavailable("the postgresql package installed no initdb/pg_ctl")
    user = _system_user()
    # not under pytest's temporary folder: as root that is closed to the postgres user
    root = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
    server = PostgresServer(bin_dir, root, user)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server; the tests that need it skip, saying why, where none can run."""
    try:
        server = start_server()
    except (Unavailable, subprocess.TimeoutExpired, OSError) as exc:
        pytest.skip(f"no PostgreSQL server for these tests: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty database of the session's server (dropped after the test)."""
    url = postgres_server.database()
    yield url
    postgres_server.drop(url)


class Backend:
    """One store backend for a test: fresh store locations (a file path or a URL) by name, and raw
    reads of a store's tables for checks the protocol does not offer."""

    def __init__(self, name: str, tmp: Path, server: PostgresServer | None = None) -> None:
        self.name, self._tmp, self.server = name, tmp, server
        self._made: dict[str, str] = {}

    def location(self, name: str = "s") -> str:
        """Where the store ``name`` of this test lives (the same name, the same store)."""
        if name not in self._made:
            self._made[name] = str(self._tmp / f"{name}.db") if self.server is None else self.server.database()
        return self._made[name]

    def copy(self, location: str, name: str = "copy") -> str:
        """A new store holding what the store at ``location`` holds (nobody may have it open)."""
        if self.server is None:
            self._made[name] = str(self._tmp / f"{name}.db")
            shutil.copy(location, self._made[name])
        else:
            self._made[name] = self.server.database(template=location.rsplit("/", 1)[1])
        return self._made[name]

    @property
    def module(self) -> ModuleType:
        """The backend's store module (its RANK_WINDOW, its store class)."""
        import storyline.store.postgres.store as postgres_store
        import storyline.store.sqlite.store as sqlite_store

        return postgres_store if self.server else sqlite_store

    @property
    def store_class(self) -> type:
        return self.module.PostgresStore if self.server else self.module.SQLiteStore  # type: ignore[no-any-return]

    def rows(self, store: Any, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a query (without parameters) on the store's own tables."""
        if self.server is None:
            return [tuple(r) for r in store._db.execute(sql)]
        return list(store._all(sql))

    def cleanup(self) -> None:
        if self.server is not None:
            for url in self._made.values():
                self.server.drop(url)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Each store backend in turn: SQLite always, PostgreSQL where a server can run."""
    server = request.getfixturevalue("postgres_server") if request.param == "postgres" else None
    made = Backend(request.param, tmp_path, server)
    yield made
    made.cleanup()


@pytest.fixture(scope="session")
def analyzed_postgres(postgres_server: PostgresServer) -> str:
    """The sample corpus analyzed once per test run into a PostgreSQL database that nobody opens
    afterwards: the template of the copies tests read and write."""
    import storyline

    from .conftest import CORPUS

    url = postgres_server.database()
    with storyline.open(url) as sl:
        sl.analyze(CORPUS)
    return url


class Analyzed:
    """The analyzed sample corpus in one backend: ``location`` to read (not to change), and
    :meth:`copy` for a test that writes."""

    def __init__(self, name: str, location: str, template: str, server: PostgresServer | None) -> None:
        self.name, self.location, self.template, self.server = name, location, template, server

    def backend(self, tmp: Path) -> Backend:
        return Backend(self.name, tmp, self.server)

    def copy(self, tmp: Path) -> str:
        """A store of its own holding the analyzed corpus (a file copy, or a database made from
        the template nobody has open)."""
        return self.backend(tmp).copy(self.template)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def analyzed_store(request: pytest.FixtureRequest) -> Analyzed:
    """The analyzed sample corpus in each backend, SQLite always, PostgreSQL where a server can run."""
    if request.param == "sqlite":
        path = str(request.getfixturevalue("analyzed_corpus"))
        return Analyzed("sqlite", path, path, None)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template: str = request.getfixturevalue("analyzed_postgres")
    return Analyzed("postgres", server.database(template=template.rsplit("/", 1)[1]), template, server)
