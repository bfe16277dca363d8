"""Developer tasks: ``nox -s serve | tests | lint | bench``."""

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"


@nox.session
def serve(session: nox.Session) -> None:
    """The collector with the demo shop, on SQLite in .sessiontape/."""
    session.install("-e", ".[server]")
    session.run("sessiontape", "serve", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Every test: unit, integration (real collector), end-to-end (real Chromium); then the
    integration suite again with the collectors on PostgreSQL (tests/postgres_cluster.py)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)
    if not session.posargs:
        session.run("python", "-m", "pytest", "tests/integration", "--database=postgresql")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict on the package, tsc --noEmit on the recorder."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", "sdk", "tests", "benchmarks", "noxfile.py", "hatch_build.py")
    session.run("ruff", "format", "--check", "sdk", "tests", "benchmarks")
    session.run("mypy", "--strict", "sdk/sessiontape")
    session.run("npm", "--prefix", "recorder_js", "run", "typecheck", external=True)


@nox.session
def bench(session: nox.Session) -> None:
    """Recorder vs rrweb in one Chromium, collector ingest, SDK decode (``-- --quick``)."""
    session.install("-e", ".[bench]")
    session.run("python", "-m", "benchmarks", *session.posargs)
