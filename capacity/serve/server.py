"""Start the what-if page: a session, its token, a socket on a free port, uvicorn."""

from __future__ import annotations

import contextlib
import secrets
import socket
import tempfile
import threading
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from capacity.domain.estimate import PointRule
from capacity.domain.work import BidMode
from capacity.plan_cache import PlanCache
from capacity.serve.app import LOCAL_NAMES, create_app
from capacity.serve.session import Session
from capacity.solver import SolverSettings

LOCAL_HOST = "127.0.0.1"


@dataclass(frozen=True)
class Page:
    """A running page: its address (with the token) and its session."""

    url: str
    session: Session
    server: uvicorn.Server


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host`` on ``port`` (0: a free one the system picks)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    return sock


@contextlib.contextmanager
def running_page(
    scenario: Path,
    settings: SolverSettings,
    host: str = LOCAL_HOST,
    port: int = 0,
    point_rule: PointRule | None = None,
    bids: BidMode = BidMode.EXPECTED,
    persistent: PlanCache | None = None,
    log: Callable[[str], None] | None = None,
    in_thread: bool = True,
    base_settings: SolverSettings | None = None,
) -> Iterator[Page]:
    """Serve the page for ``scenario`` until the block ends (``in_thread``) or, without it,
    serve in the caller's thread once the block has been entered and left (see :func:`serve`).

    Raises
    ------
    ScenarioError
        If the scenario is bad (before anything is served).
    """
    with tempfile.TemporaryDirectory(prefix="capacity-serve-") as folder:  # the workspace
        session = Session.start(
            scenario, Path(folder), settings, point_rule, bids, persistent, log, base_settings
        )
        with contextlib.closing(session):
            yield from _served(session, host, port, in_thread)


def _served(session: Session, host: str, port: int, in_thread: bool) -> Iterator[Page]:
    """Serve the session's page (see :func:`running_page`)."""
    token = secrets.token_urlsafe(24)
    sock = listening_socket(host, port)
    bound = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    # Listening on every address: other machines use names of their own for this one.
    hosts = None if host in ("0.0.0.0", "::") else {*LOCAL_NAMES, host}
    app = create_app(session, token, hosts)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    page = Page(f"http://{shown_host}:{bound}/?token={token}", session, server)
    if in_thread:
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            yield page
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()
    else:
        yield page
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:  # uvicorn has shut down; Ctrl-C is how the page is closed
            pass
        finally:
            sock.close()


def serve(
    scenario: Path,
    settings: SolverSettings,
    host: str,
    port: int,
    open_browser: bool,
    point_rule: PointRule | None,
    bids: BidMode,
    persistent: PlanCache | None,
    say: Callable[[str], None],
    base_settings: SolverSettings | None = None,
) -> None:
    """Serve the page until Ctrl-C, saying its address (and opening it in a browser)."""
    with running_page(
        scenario,
        settings,
        host,
        port,
        point_rule,
        bids,
        persistent,
        say,
        in_thread=False,
        base_settings=base_settings,
    ) as page:
        say(f"The what-if page for {page.session.base.scenario.name}:")
        say(f"  {page.url}")
        say("Ctrl-C stops it. The address's token keeps other users and pages out.")
        if open_browser:
            threading.Timer(0.5, webbrowser.open, args=(page.url,)).start()
    say("Stopped.")
