"""The what-if page's web application (Starlette, Jinja2 templates, a little plain JavaScript).

Why Starlette: the page is server-rendered HTML with a few JSON calls, which is all
Starlette is (routing, requests, responses, a test client) without FastAPI's request
models, which the page does not need (its edits are checked by the scenario reader, not by
a web schema). uvicorn serves it. Everything the page loads comes from this server: no
CDN, fonts or scripts from elsewhere, so it works on a machine with no network.

Safety (see :class:`Guard`): every request needs the run's token (in the URL, or the
``X-Capacity-Token`` header, which every change must use); a request from another origin
(``Origin`` or ``Sec-Fetch-Site`` says so) or to another host name is refused; the page
never opens a path the browser names.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from capacity.errors import ScenarioError
from capacity.readers.limits import MAX_FILE_BYTES
from capacity.reports.figures import option_headings
from capacity.serve.edits import BID_STATUSES, EditRefused
from capacity.serve.session import Session, Shown, controls
from capacity.serve.views import DOWNLOADS, download
from capacity.serve.whatif import WHAT_IF_FILE

TOKEN_HEADER = "X-Capacity-Token"
MAX_EDIT_BYTES = 64 * 1024
"""An edit is a few fields; a larger request body is refused unread."""

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = [
    # Only this server's own script, styles and images: nothing from the internet.
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class Guard:
    """Refuse, with 403, any request without the token, from another origin, or for another
    host name (a DNS-rebinding page); add the security headers to every response."""

    def __init__(self, app: ASGIApp, token: str, hosts: set[str] | None):
        """``hosts``: the host names the page answers for; ``None``: any (``--host`` on
        every address of the machine, which other machines reach by names of their own)."""
        self.app, self.token, self.hosts = app, token, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self.refusal(scope, headers)
        if refusal is not None:
            await PlainTextResponse(refusal, status_code=403)(scope, receive, send)
            return

        async def secured(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, secured)

    def refusal(self, scope: Scope, headers: dict[str, str]) -> str | None:
        host = headers.get("host", "")
        if self.hosts is not None and host.rsplit(":", 1)[0].strip("[]") not in self.hosts:
            return f"refused: this server answers only for {', '.join(sorted(self.hosts))}"
        origin = headers.get("origin")
        if origin is not None and origin != f"http://{host}":
            return "refused: a request from another origin"
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return "refused: a request from another site"
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = headers.get(TOKEN_HEADER.lower())
        if scope["method"] not in ("GET", "HEAD"):
            # A change must carry the token in a header, which no other page can set.
            found = given
        else:
            found = given or (query.get("token") or [None])[0]
        if found is None or not secrets.compare_digest(found.encode(), self.token.encode()):
            return "refused: this page needs the address capacity serve printed (with its token)"
        return None


LOCAL_NAMES = frozenset({"127.0.0.1", "localhost"})


def create_app(
    session: Session, token: str, hosts: set[str] | frozenset[str] | None = LOCAL_NAMES
) -> ASGIApp:
    """The application for ``session``, guarded by ``token`` and answering for ``hosts``
    (see :class:`Guard`)."""
    templates = Environment(
        loader=PackageLoader("capacity.serve", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def render(name: str, **context: Any) -> str:
        return templates.get_template(name).render(
            token=token, session=session, statuses=BID_STATUSES, downloads=DOWNLOADS, **context
        )

    async def page(request: Request) -> Response:
        return HTMLResponse(
            render(
                "page.html",
                controls=controls(session),
                shown=(shown := session.shown),
                options=session.option_views(),
                solved_names=solved_names(shown),
                status=status_of(session),
            )
        )

    async def results(request: Request) -> Response:
        return HTMLResponse(
            render(
                "results.html",
                shown=(shown := session.shown),
                options=session.option_views(),
                solved_names=solved_names(shown),
            )
        )

    async def charts(request: Request) -> Response:
        try:
            serial = int(request.path_params["serial"])
        except ValueError:
            return PlainTextResponse("no such chart", status_code=404)
        drawn = await run_in_threadpool(session.charts, serial, request.path_params["option"])
        if drawn is None:  # the page has moved on (not an error: it asks for the new results)
            return Response(status_code=204)
        return HTMLResponse(render("charts.html", charts=drawn))

    async def controls_fragment(request: Request) -> Response:
        return HTMLResponse(render("controls.html", controls=controls(session)))

    async def status(request: Request) -> Response:
        return JSONResponse(status_of(session))

    async def edit(request: Request) -> Response:
        body = await _body(request, MAX_EDIT_BYTES)
        try:
            change = json.loads(body)
        except ValueError:
            return _refused("kind", "the edit is not JSON")
        if not isinstance(change, dict):
            return _refused("kind", "the edit is a mapping of fields")
        return await _changed(lambda: session.edit(change))

    async def undo(request: Request) -> Response:
        return await _changed(session.undo)

    async def reset(request: Request) -> Response:
        return await _changed(session.reset)

    async def open_file(request: Request) -> Response:
        body = await _body(request, MAX_FILE_BYTES + 1)
        name = request.headers.get("x-file-name", "upload.yaml")
        return await _changed(lambda: session.open(name, body))

    async def save(request: Request) -> Response:
        return Response(
            session.what_if_text(),
            media_type="application/x-yaml",
            headers={"content-disposition": f'attachment; filename="{WHAT_IF_FILE}"'},
        )

    async def download_file(request: Request) -> Response:
        name = request.path_params["name"]
        shown = session.shown
        if name not in DOWNLOADS:
            return PlainTextResponse(f"no download {name!r}", status_code=404)
        if shown is None:
            return PlainTextResponse("the plans are not ready yet", status_code=409)
        if shown.replan.provisional:
            return PlainTextResponse(
                "the plans are still being searched; download when the page says they are done",
                status_code=409,
            )
        data = await run_in_threadpool(
            download, name, shown.state.scenario, shown.replan.results, session.workspace.folder
        )
        return Response(
            data,
            media_type=DOWNLOADS[name],
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        media = {"page.js": "text/javascript", "page.css": "text/css"}
        if name not in media:  # a fixed list: no path from the browser is opened
            return PlainTextResponse("not found", status_code=404)
        text = resources.files("capacity.serve").joinpath("static", name).read_text("utf-8")
        return Response(text, media_type=f"{media[name]}; charset=utf-8")

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/fragment/results", results),
            Route("/fragment/controls", controls_fragment),
            Route("/fragment/charts/{serial}/{option}", charts),
            Route("/api/status", status),
            Route("/api/edit", edit, methods=["POST"]),
            Route("/api/undo", undo, methods=["POST"]),
            Route("/api/reset", reset, methods=["POST"]),
            Route("/api/open", open_file, methods=["POST"]),
            Route(f"/download/{WHAT_IF_FILE}", save),
            Route("/download/{name}", download_file),
            Route("/static/{name}", static),
        ]
    )
    return Guard(app, token, None if hosts is None else set(hosts))


def status_of(session: Session) -> dict[str, Any]:
    """What the page's busy indicator and figures need to know."""
    worker = session.worker
    status = worker.status
    planning = status.planning
    running = time.perf_counter() - status.started if status.started and planning else None
    shown = session.shown
    options = [(o.id, o.name) for o in session.current.scenario.options]
    return {
        "version": session.version,
        "shown": shown.version if shown else None,
        "busy": worker.busy() or shown is None or shown.version < session.version,
        "planning": planning,
        "planning_names": named(options, planning.split(", ")) if planning else None,
        "running_seconds": None if running is None else round(running, 2),
        "error": status.error,
        "last_seconds": None if shown is None else round(shown.replan.seconds, 2),
        "last_solved": [] if shown is None else shown.replan.solved,
        "last_solved_names": solved_names(shown),
        # A first answer of the newest state is shown while its plans are searched.
        "provisional": shown is not None and shown.replan.provisional,
        "serial": None if shown is None else shown.serial,  # a new one, a new fragment
        "options": len(options),
        "can_undo": len(session.history) > 1,
    }


def named(options: list[tuple[str, str]], ids: list[str]) -> str:
    """What people read of some options (id, name): their short names (``Option 4``), not
    their ids, which are for scripts."""
    ids_in_order = [i for i, _ in options]
    headings = option_headings([n for _, n in options])
    names = dict(zip(ids_in_order, headings, strict=True))
    return ", ".join(names.get(i, i) for i in ids)


def solved_names(shown: Shown | None) -> str:
    """The options a shown re-plan solved, by name."""
    return "" if shown is None else named(shown.comparison.options, shown.replan.solved)


async def _body(request: Request, limit: int) -> bytes:
    """The request's body, refused past ``limit`` bytes without reading the rest."""
    chunks, size = [], 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return b"".join(chunks)[:limit]


async def _changed(change: Callable[[], int]) -> Response:
    """Make a change (reading the what-if in a worker thread); its version, or the located
    message beside the field it is about."""
    try:
        version = await run_in_threadpool(change)
    except EditRefused as exc:
        return _refused(exc.field, exc.message)
    except ScenarioError as exc:
        return _refused(exc.place.rsplit(".", 1)[-1] if exc.place else "", str(exc))
    return JSONResponse({"ok": True, "version": version})


def _refused(field: str, message: str) -> Response:
    return JSONResponse({"ok": False, "field": field, "message": message}, status_code=400)
