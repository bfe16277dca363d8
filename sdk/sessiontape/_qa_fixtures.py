"""The fixtures and report hooks of the pytest plugin; registered only when pytest-playwright
is in use (see ``pytest_plugin``)."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from sessiontape import _qa_capture, _qa_upload
from sessiontape._qa_artifacts import EVENTS_FILE, REPLAY_FILE, write_events, write_replay
from sessiontape.codec import decode_events
from sessiontape.events import Event
from sessiontape.recording import Recording

_CAPTURE_KEY = pytest.StashKey["_qa_capture.Capture"]()
_FOLDER_KEY = pytest.StashKey[Path]()
_FAILED_KEY = pytest.StashKey[bool]()

BROWSER_FIXTURES = frozenset(
    {"page", "context", "new_context", "browser", "browser_type", "playwright"}
)


class LiveRecording(Recording):
    """What the test's pages have recorded so far: every read of ``events`` flushes them first."""

    def __init__(self, session_id: str, capture: _qa_capture.Capture) -> None:
        super().__init__(session_id, [])
        self._capture = capture
        self._decoded: list[Event | dict[str, Any]] = []

    @property
    def events(self) -> list[Event | dict[str, Any]]:
        self._capture.flush_all()
        raw = self._capture.events
        if len(self._decoded) < len(raw):
            self._decoded.extend(decode_events(raw[len(self._decoded) :]))
        return list(self._decoded)

    @events.setter
    def events(self, _value: list[Event | dict[str, Any]]) -> None:
        """Set by Recording's constructor only; the events come from the capture."""


class QAPlugin:
    def __init__(self, mode: str, endpoint: str | None, key: str | None) -> None:
        self.mode = mode
        self.endpoint = endpoint
        self.key = key
        self._script: str | None = None
        self.uploads: list[str] = []
        """One line per kept recording sent to the collector (or that failed to go)."""

    @pytest.fixture(autouse=True)
    def _sessiontape_capture(self, request: pytest.FixtureRequest) -> Iterator[None]:
        wanted = self.mode != "off" or "sessiontape_recording" in request.fixturenames
        if not wanted or BROWSER_FIXTURES.isdisjoint(request.fixturenames):
            yield
            return
        output_path: str = request.getfixturevalue("output_path")
        if self._script is None:
            self._script = _qa_capture.init_script()
        capture = _qa_capture.Capture(self._script)
        request.node.stash[_CAPTURE_KEY] = capture
        request.node.stash[_FOLDER_KEY] = Path(output_path)
        _qa_capture.start_test(capture)
        try:
            yield
        finally:
            _qa_capture.end_test()

    @pytest.fixture
    def sessiontape_recording(
        self, request: pytest.FixtureRequest, _sessiontape_capture: None
    ) -> Recording:
        """What the test's pages have recorded so far, read afresh at every use."""
        capture = request.node.stash.get(_CAPTURE_KEY, None)
        if capture is None:
            raise pytest.UsageError(
                "sessiontape_recording needs a Playwright fixture (page, context, browser...) "
                "in the same test"
            )
        return LiveRecording(request.node.nodeid, capture)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if report.when == "setup":
            item.stash[_FAILED_KEY] = False  # a rerun starts afresh
        if report.failed and _CAPTURE_KEY in item.stash:
            if not item.stash.get(_FAILED_KEY, False) and self.mode != "off":
                self._announce(item, report)
            item.stash[_FAILED_KEY] = True
        if report.when == "teardown" and _CAPTURE_KEY in item.stash:
            self._keep(item, report)
        return report

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.uploads:
            terminalreporter.section("sessiontape uploads")
            for line in self.uploads:
                terminalreporter.line(line)

    def pytest_unconfigure(self) -> None:
        _qa_capture.uninstall()

    def _announce(self, item: pytest.Item, report: pytest.TestReport) -> None:
        """On the first failing report: where the replay of this failure will be (it is
        written once the test's contexts are closed, after teardown)."""
        folder = item.stash[_FOLDER_KEY]
        paths = [_for_report(item.config, folder / name) for name in (REPLAY_FILE, EVENTS_FILE)]
        report.sections.append(("sessiontape", f"replay: {paths[0]}\nevents: {paths[1]}"))

    def _keep(self, item: pytest.Item, report: pytest.TestReport) -> None:
        capture = item.stash[_CAPTURE_KEY]
        del item.stash[_CAPTURE_KEY]
        failed = item.stash.get(_FAILED_KEY, False)
        if not (self.mode == "on" or (self.mode == "retain-on-failure" and failed)):
            return
        folder = item.stash[_FOLDER_KEY]
        events = write_events(folder, capture.events)
        replay = write_replay(folder, capture.events, item.nodeid)
        shown = [_for_report(item.config, path) for path in (replay, events)]
        lines = [f"replay: {shown[0]}", f"events: {shown[1]} ({len(capture.events)} events)"]
        report.user_properties.append(("sessiontape", shown[0]))
        report.user_properties.append(("sessiontape_events", shown[1]))
        if self.endpoint and self.key and capture.events:
            try:
                session = _qa_upload.upload(
                    self.endpoint, self.key, capture.events, capture.user_agent
                )
            except _qa_upload.UploadError as exc:
                lines.append(f"upload failed: {exc}")
                self.uploads.append(f"{item.nodeid}: upload failed: {exc}")
            else:
                link = _qa_upload.viewer_link(self.endpoint, session)
                lines.append(f"uploaded: {link}")
                report.user_properties.append(("sessiontape_session", session))
                self.uploads.append(f"{item.nodeid}: {link}")
        report.sections.append(("sessiontape", "\n".join(lines)))


def _for_report(config: pytest.Config, path: Path) -> str:
    try:
        return str(path.relative_to(config.invocation_params.dir))
    except ValueError:
        return os.fspath(path)
