"""The what-if page over HTTP (Starlette's test client): its token, the refusal of other
origins and hosts, bad edits and uploads, incremental re-planning, and the saved what-if
giving `capacity compare` the page's figures. A tiny team, solved in well under a second.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from starlette.testclient import TestClient

import capacity.cli
from capacity.plan import OptionResult
from capacity.readers.limits import MAX_FILE_BYTES
from capacity.reports.comparison import comparison_view
from capacity.serve.app import TOKEN_HEADER, create_app
from capacity.serve.edits import EditRefused, apply_edit
from capacity.serve.session import Session
from capacity.serve.views import comparison_figures
from capacity.serve.whatif import WhatIf, what_if_text
from capacity.solver import SolverSettings

REPOSITORY = Path(__file__).resolve().parent.parent
SMALL_TEAM = REPOSITORY / "tests" / "data" / "small-team.yaml"
TOKEN = "test-token-not-secret"
SETTINGS = SolverSettings.for_search_budget(2.0, time_limit_seconds=30)  # as the CLI builds it
BUDGET = ["--search-budget", "2", "--time-limit", "30"]  # the same settings, on the CLI

RECRUIT_OPTION = """
  - id: recruit
    name: Recruit a new officer
    source: para 24
    changes:
      - add:
          id: new-officer
          name: New Commissioning Officer
          role: Commissioning Officer
          fte: {value: 1.0, source: para 24}
          grade: F
          skills: [lead]
          start: {value: 2021-05-03, source: para 49}
          recruitment_gap: {value: 0 weeks, source: para 49}
"""


def team_with_recruit(folder: Path) -> Path:
    """The small test team with a third option that recruits (so a start date can move)."""
    path = folder / "team-with-recruit.yaml"
    path.write_text(SMALL_TEAM.read_text(encoding="utf-8") + RECRUIT_OPTION, encoding="utf-8")
    return path


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    work = tmp_path / "session"
    work.mkdir()
    session = Session.start(team_with_recruit(tmp_path), work, SETTINGS)
    yield session
    session.close()


@pytest.fixture
def client(session: Session) -> TestClient:
    return TestClient(create_app(session, TOKEN), base_url="http://127.0.0.1:8123")


def shown(session: Session, version: int, timeout: float = 120) -> list[OptionResult]:
    assert session.worker.wait(version, timeout), session.worker.status
    assert session.shown is not None and session.shown.version == version
    return session.shown.replan.results


def post(client: TestClient, path: str, body: Any = None, **headers: str) -> Any:
    return client.post(path, json=body, headers={TOKEN_HEADER: TOKEN, **headers})


# -- the token, other origins, other hosts ---------------------------------------------


def compare_results(
    path: Path, out: Path, options: list[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[OptionResult], str]:
    """``capacity compare`` on ``path`` through the real command: the results it computed
    on the way, and what it printed."""
    captured: list[list[OptionResult]] = []
    solve_all = capacity.cli.compare_options

    def capture(*args: Any, **kwargs: Any) -> list[OptionResult]:
        captured.append(solve_all(*args, **kwargs))
        return captured[-1]

    monkeypatch.setattr(capacity.cli, "compare_options", capture)
    cli = CliRunner().invoke(capacity.cli.cli, ["compare", str(path), "--out", str(out), *options])
    assert cli.exit_code == 0, cli.output
    return captured[0], cli.output


def test_every_request_needs_the_token(client: TestClient) -> None:
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/api/status").status_code == 403
    assert client.get("/download/what-if.yaml").status_code == 403
    assert client.get("/static/page.js").status_code == 403
    page = client.get(f"/?token={TOKEN}")
    assert page.status_code == 200 and "Small test team" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/api/status", headers={TOKEN_HEADER: TOKEN}).status_code == 200


def test_a_change_needs_the_token_in_a_header_not_the_address(client: TestClient) -> None:
    # A form on another page can put the token in an address it posts to, not in a header.
    answer = client.post(f"/api/undo?token={TOKEN}")
    assert answer.status_code == 403
    assert post(client, "/api/undo").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},  # another site's script
        {"Origin": "http://127.0.0.1:9999"},  # another local server's page
        {"Origin": "null"},  # a sandboxed frame or a file:// page
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another port of the same host
    ],
)
def test_requests_from_another_origin_are_refused(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    version = session.version
    answer = post(client, "/api/edit", {"kind": "fte", "staff": "lead", "fte": "0.5"}, **headers)
    assert answer.status_code == 403
    assert "another" in answer.text
    assert session.version == version  # nothing changed
    assert client.get(f"/?token={TOKEN}", headers=headers).status_code == 403


def test_the_same_origin_is_served(client: TestClient) -> None:
    headers = {"Origin": "http://127.0.0.1:8123", "Sec-Fetch-Site": "same-origin"}
    assert post(client, "/api/undo", **headers).status_code == 200


def test_another_host_name_is_refused(session: Session) -> None:
    """A page whose name is made to point at 127.0.0.1 (DNS rebinding) sends its own host."""
    rebound = TestClient(create_app(session, TOKEN), base_url="http://attacker.example:8123")
    assert rebound.get(f"/?token={TOKEN}").status_code == 403


def test_no_path_from_the_browser_is_opened(client: TestClient) -> None:
    for path in ("/static/..%2f..%2fpyproject.toml", "/static/page.html", "/download/etc"):
        assert client.get(f"{path}?token={TOKEN}").status_code == 404, path


# -- edits: located messages, nothing lost ---------------------------------------------


def test_a_bad_value_gets_the_readers_located_message_and_changes_nothing(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    good = post(client, "/api/edit", {"kind": "priority", "item": "bau", "priority": "low"})
    assert good.status_code == 200
    before, version = session.what_if_text(), session.version
    edit = {"kind": "fte", "staff": "lead", "fte": "lots"}
    bad = post(client, "/api/edit", edit)
    assert bad.status_code == 400
    answer = bad.json()
    assert answer["field"] == "fte"
    assert answer["message"].startswith("what-if.yaml:")
    assert answer["message"].endswith(": team[lead].fte: 'lots' is not a number")
    assert session.what_if_text() == before and session.version == version
    # word for word what the command line says of the what-if file with that edit in it
    refused = apply_edit(session.base, session.current.what_if, edit)
    path = tmp_path / "what-if.yaml"
    path.write_text(what_if_text(session.base, refused), encoding="utf-8")
    cli = CliRunner().invoke(capacity.cli.cli, ["validate", str(path)])
    assert cli.exit_code == 2
    assert cli.output.strip() == f"Error: {tmp_path}/{answer['message']}"


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"kind": "teleport"}, "kind"),  # an edit the page never sends
        ({"kind": "fte", "fte": "0.5"}, "staff"),  # whose person?
        ({"kind": "bid", "item": "bid", "status": "maybe"}, "status"),
        ({"kind": "mandatory", "item": "bau", "mandatory": "yes please"}, "mandatory"),
        ({"kind": "recruit", "option": "recruit", "post": "nobody", "start": "2021-06-01"}, "post"),
    ],
)
def test_a_malformed_edit_is_refused_beside_its_field(
    client: TestClient, edit: dict[str, Any], field: str
) -> None:
    answer = post(client, "/api/edit", edit)
    assert answer.status_code == 400 and answer.json()["field"] == field


def test_an_unknown_item_is_the_readers_message(client: TestClient) -> None:
    answer = post(client, "/api/edit", {"kind": "priority", "item": "bua", "priority": "low"})
    assert answer.status_code == 400
    assert "no work entry 'bua'" in answer.json()["message"]
    assert "did you mean 'bau'" in answer.json()["message"]


def test_an_edit_that_is_not_json_is_refused(client: TestClient) -> None:
    answer = client.post("/api/edit", content=b"{not json", headers={TOKEN_HEADER: TOKEN})
    assert answer.status_code == 400


def test_bid_outcomes_are_one_change_each(session: Session) -> None:
    what_if = WhatIf()
    for status, expected in [
        ("won", [{"update": "bid", "outcome": "won"}]),
        ("lost", [{"update": "bid", "outcome": "lost"}]),
        ("not-written", [{"drop": "bid"}]),
        ("unknown", []),
    ]:
        what_if = apply_edit(
            session.base, what_if, {"kind": "bid", "item": "bid", "status": status}
        )
        assert list(what_if.changes) == expected, status
    with pytest.raises(EditRefused):
        apply_edit(session.base, what_if, {"kind": "bid", "item": "bid"})


def test_edits_to_one_item_merge_into_one_update(session: Session) -> None:
    what_if = WhatIf()
    for edit in (
        {"kind": "priority", "item": "bau", "priority": "low"},
        {"kind": "mandatory", "item": "bau", "mandatory": True},
        {"kind": "resize", "item": "bau", "load": "0.3-0.35"},
    ):
        what_if = apply_edit(session.base, what_if, edit)
    assert list(what_if.changes) == [
        {"update": "bau", "priority": "low", "mandatory": True, "load": [0.3, 0.35]}
    ]


# -- planning: only what changed, undo from the cache ----------------------------------


def test_a_recruits_start_replans_only_that_option_and_undo_solves_nothing(
    client: TestClient, session: Session
) -> None:
    shown(session, 1)
    moved = post(
        client,
        "/api/edit",
        {"kind": "recruit", "option": "recruit", "post": "new-officer", "start": "2021-06-07"},
    )
    assert moved.status_code == 200, moved.text
    results = shown(session, moved.json()["version"])
    assert session.shown is not None and session.shown.replan.solved == ["recruit"]
    recruit = next(r for r in results if r.plan.option_id == "recruit")
    assert "new-officer" in {a.staff_id for a in recruit.plan.assignments}
    undone = post(client, "/api/undo").json()["version"]
    shown(session, undone)
    assert session.shown.replan.solved == []  # every option's plan was seen before
    status = client.get("/api/status", headers={TOKEN_HEADER: TOKEN}).json()
    assert status["busy"] is False and status["shown"] == undone


def test_the_change_list_says_each_change_with_its_values(
    client: TestClient, session: Session
) -> None:
    shown(session, 1)
    post(client, "/api/edit", {"kind": "availability", "value": "0.8"})
    post(client, "/api/edit", {"kind": "bid", "item": "bid", "status": "lost"})
    controls = client.get(f"/fragment/controls?token={TOKEN}").text
    listed = re.findall(r"<li>(.*?)</li>", controls.split('id="change-list"')[1])
    availability = [c for c in listed if "time available" in c]
    assert availability and availability[0].endswith("\u2192 0.8"), listed  # an assumption
    assert any("Funding bid" in c and "lost" in c for c in listed), listed
    assert "Small test team" not in " ".join(listed)  # the title is not a change


def test_undo_with_nothing_to_undo_changes_nothing(client: TestClient, session: Session) -> None:
    shown(session, 1)
    status = client.get("/api/status", headers={TOKEN_HEADER: TOKEN}).json()
    assert status["can_undo"] is False
    answer = post(client, "/api/undo").json()
    assert answer == {"ok": True, "version": 1}  # no new state, nothing planned
    assert session.version == 1
    post(client, "/api/edit", {"kind": "drop", "item": "bau"})
    assert client.get("/api/status", headers={TOKEN_HEADER: TOKEN}).json()["can_undo"] is True


def test_a_work_change_replans_every_option(client: TestClient, session: Session) -> None:
    shown(session, 1)
    version = post(client, "/api/edit", {"kind": "drop", "item": "bau"}).json()["version"]
    shown(session, version)
    assert session.shown is not None
    assert session.shown.replan.solved == ["lapse", "extend", "recruit"]


def test_reset_goes_back_to_the_base_and_can_be_undone(
    client: TestClient, session: Session
) -> None:
    post(client, "/api/edit", {"kind": "bid", "item": "bid", "status": "lost"})
    changed = session.what_if_text()
    post(client, "/api/reset")
    assert session.current.what_if.is_base
    post(client, "/api/undo")
    assert session.what_if_text() == changed


# -- the saved what-if: the page's figures from `capacity compare` ------------------------


def test_the_saved_what_if_gives_compare_the_pages_figures(
    client: TestClient, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post(client, "/api/edit", {"kind": "bid", "item": "bid", "status": "lost"})
    post(client, "/api/edit", {"kind": "fte", "staff": "lead", "fte": "0.8"})
    version = post(
        client,
        "/api/edit",
        {"kind": "recruit", "option": "recruit", "post": "new-officer", "gap": "4"},
    ).json()["version"]
    page_results = shown(session, version)
    saved = client.get(f"/download/what-if.yaml?token={TOKEN}")
    assert saved.status_code == 200
    path = tmp_path / "what-if.yaml"
    path.write_bytes(saved.content)
    assert f"#   capacity compare FILE {' '.join(BUDGET)}\n" in saved.text  # how it was planned
    written = yaml.safe_load(saved.text)
    assert written["extends"] == str(session.base.path)
    assert {"update": "bid", "outcome": "lost"} in written["changes"]

    compared, output = compare_results(path, tmp_path / "compared", BUDGET, monkeypatch)
    assert comparison_figures(compared) == comparison_figures(page_results)
    assert comparison_view(page_results).to_string() in output
    assert "0 weeks" not in path.read_text()  # the gap moved to 4 weeks


# -- opening a what-if file --------------------------------------------------------------


def upload(client: TestClient, data: bytes, name: str = "mine.yaml") -> Any:
    return client.post(
        "/api/open", content=data, headers={TOKEN_HEADER: TOKEN, "X-File-Name": name}
    )


def test_a_saved_what_if_opens_again(client: TestClient, session: Session) -> None:
    post(client, "/api/edit", {"kind": "bid", "item": "bid", "status": "won"})
    post(client, "/api/edit", {"kind": "availability", "value": "0.8"})
    saved = client.get(f"/download/what-if.yaml?token={TOKEN}").content
    post(client, "/api/reset")
    opened = upload(client, saved)
    assert opened.status_code == 200, opened.text
    assert session.what_if_text().encode() == saved


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # not YAML: the reader's message, at the uploaded file's own line
        (b"extends: team-with-recruit.yaml\nchanges: [\n", "mine.yaml:3: not valid YAML"),
        # a what-if of another scenario: its extends is never followed as a path
        (b"extends: /etc/passwd\nchanges: []\n", "mine.yaml:1: extends: this page edits"),
        (
            b"extends: team-with-recruit.yaml\nchanges:\n  - update: bau\n    load: heavy\n",
            "mine.yaml:4: work[bau].load",
        ),
        (b"\xff\xfe not utf-8", "mine.yaml:1: is not UTF-8 text"),
    ],
)
def test_a_bad_upload_gets_the_readers_located_message(
    client: TestClient, session: Session, content: bytes, message: str
) -> None:
    version = session.version
    answer = upload(client, content)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(message), answer.json()["message"]
    assert session.version == version


def test_an_upload_past_the_size_limit_is_refused_unread(client: TestClient) -> None:
    answer = upload(client, b"#" * (MAX_FILE_BYTES + 10))
    assert answer.status_code == 400
    assert f"limited to {MAX_FILE_BYTES:,} bytes" in answer.json()["message"]


def test_an_uploaded_name_is_only_a_name(client: TestClient, session: Session) -> None:
    answer = upload(client, b"extends: x.yaml\n", name="../../../../tmp/evil.yaml")
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("evil.yaml:1:")
    assert not (Path(session.workspace.folder).parent / "evil.yaml").exists()


# -- downloads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("board-pack.pdf", b"%PDF-"),
        ("board-pack.html", b"<!DOCTYPE html>"),
        ("board-pack.docx", b"PK"),
        ("capacity-plan.xlsx", b"PK"),
        ("csv.zip", b"PK"),
    ],
)
def test_downloads_are_the_report_commands_files(
    client: TestClient, session: Session, name: str, starts: bytes
) -> None:
    shown(session, 1)
    answer = client.get(f"/download/{name}?token={TOKEN}")
    assert answer.status_code == 200
    assert answer.content.startswith(starts)
    assert f'filename="{name}"' in answer.headers["content-disposition"]


def test_the_csvs_are_compares_files(client: TestClient, session: Session) -> None:
    import io
    import zipfile

    shown(session, 1)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/download/csv.zip?token={TOKEN}").content))
    names = set(archive.namelist())
    assert {"comparison.csv", "assumptions.csv", "recruit/schedule.csv"} <= names


# -- the command ------------------------------------------------------------------------------


def test_serve_listens_on_this_machine_only_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    import capacity.serve.server

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(capacity.serve.server, "serve", lambda *args: calls.append(args))
    quiet = CliRunner().invoke(capacity.cli.cli, ["serve", str(SMALL_TEAM), "--no-browser"])
    assert quiet.exit_code == 0, quiet.output
    assert "Warning" not in quiet.output
    told = CliRunner().invoke(capacity.cli.cli, ["serve", str(SMALL_TEAM), "--host", "0.0.0.0"])
    assert told.exit_code == 0, told.output
    assert "Warning: listening on 0.0.0.0" in told.stderr
    (scenario, _, host, port, browser, *_), (_, _, other_host, _, other_browser, *_) = calls
    assert (scenario, host, port, browser) == (SMALL_TEAM, "127.0.0.1", 0, False)
    assert (other_host, other_browser) == ("0.0.0.0", True)


def test_serve_given_no_scenario_plans_2021_22_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # `capacity compare` plans two years by default; the page one, so a change is quick.
    import capacity.serve.server
    from capacity import shipped

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(capacity.serve.server, "serve", lambda *args: calls.append(args))
    monkeypatch.chdir(tmp_path)  # no scenarios/ folder here: the shipped files
    result = CliRunner().invoke(capacity.cli.cli, ["serve", "--no-browser"])
    assert result.exit_code == 0, result.output
    ((scenario, *_),) = calls
    assert scenario == shipped.one_year_scenario()
    assert scenario != shipped.default_scenario()


def test_serve_refuses_a_bad_scenario_before_serving(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x\nhorizon: [\n", encoding="utf-8")
    result = CliRunner().invoke(capacity.cli.cli, ["serve", str(bad), "--no-browser"])
    assert result.exit_code == 2
    assert f"{bad}:3: not valid YAML" in result.stderr
    assert "http://" not in result.output


def test_the_page_loads_nothing_from_elsewhere(client: TestClient, session: Session) -> None:
    shown(session, 1)
    page = client.get(f"/?token={TOKEN}").text
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert addresses, "the page links its own script and styles"
    assert all(a.startswith(("/", "#", "data:")) for a in addresses), addresses
    assert "http://" not in client.get(f"/static/page.js?token={TOKEN}").text


@pytest.mark.parametrize("from_base", [False, True])
def test_a_changed_option_starts_from_the_bases_plan_or_cold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, from_base: bool
) -> None:
    import capacity.serve.planning

    started_from: list[Any] = []
    solve = capacity.serve.planning.plan_option

    def recorded(*args: Any, start_from: Any = None, **kwargs: Any) -> Any:
        started_from.append(start_from)
        return solve(*args, start_from=start_from, **kwargs)

    monkeypatch.setattr(capacity.serve.planning, "plan_option", recorded)
    work = tmp_path / "session"
    work.mkdir()
    base_settings = SETTINGS if from_base else None
    session = Session.start(
        team_with_recruit(tmp_path), work, SETTINGS, base_settings=base_settings
    )
    try:
        shown(session, 1)
        base = {r.plan.option_id: r.plan for r in session.shown.replan.results}  # type: ignore[union-attr]
        shown(session, session.edit({"kind": "drop", "item": "bau"}))
        shown(session, session.edit({"kind": "drop", "item": "bid"}))
    finally:
        session.close()
    first, again = started_from[:3], started_from[3:]
    assert first == [None, None, None]  # the base: nothing to start from
    if from_base:  # every later state from the base's plans, not the state before it
        assert sorted(p.option_id for p in again) == sorted(["lapse", "extend", "recruit"] * 2)
        assert all(p is base[p.option_id] for p in again)
    else:
        assert again == [None] * 6


def test_a_change_shows_a_first_answer_while_its_plans_are_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The base's plans kept where they fit, verified, shown at once; downloads wait for
    the searched plans, which then replace them."""
    import threading

    import capacity.serve.planning
    from capacity.verifier import verify

    release = threading.Event()
    solve = capacity.serve.planning.plan_option

    def held(*args: Any, start_from: Any = None, **kwargs: Any) -> Any:
        if start_from is not None:  # the base is planned at once; a what-if waits
            assert release.wait(60)
        return solve(*args, start_from=start_from, **kwargs)

    monkeypatch.setattr(capacity.serve.planning, "plan_option", held)
    monkeypatch.setattr(capacity.serve.planning, "default_workers", lambda: 2)
    drawn: list[Any] = []  # every re-plan and first answer shown, in order
    show = Session._show

    def recorded(self: Session, version: int, replan: Any) -> None:
        drawn.append((version, replan))
        show(self, version, replan)

    monkeypatch.setattr(Session, "_show", recorded)
    work = tmp_path / "session"
    work.mkdir()
    path = team_with_recruit(tmp_path)
    session = Session.start(path, work, SETTINGS, base_settings=SETTINGS)
    client = TestClient(create_app(session, TOKEN), base_url="http://127.0.0.1:8123")
    try:
        shown(session, 1)
        version = post(client, "/api/edit", {"kind": "drop", "item": "bau"}).json()["version"]
        deadline = time.monotonic() + 60
        while session.worker.status.first_shown < version:
            assert time.monotonic() < deadline, session.worker.status
            time.sleep(0.01)
        first = session.shown
        assert first is not None and first.version == version and first.replan.provisional
        assert first.replan.searching == ("lapse", "extend", "recruit")
        scenario = session.current.scenario
        for result in first.replan.results:
            assert verify(scenario, result.plan) == []
            assert "bau" not in {a.item_id for a in result.plan.assignments}
        while session.worker.status.planning != "lapse, extend":  # both, side by side
            assert time.monotonic() < deadline, session.worker.status
            time.sleep(0.01)
        status = client.get("/api/status", headers={TOKEN_HEADER: TOKEN}).json()
        assert status["busy"] is True and status["provisional"] is True
        assert status["shown"] == version and status["planning"] == "lapse, extend"
        names = "Let the temporary post lapse, Extend the temporary post"  # what people read
        assert status["planning_names"] == names
        assert "First answer" in client.get(f"/fragment/results?token={TOKEN}").text
        refused = client.get(f"/download/board-pack.html?token={TOKEN}")
        assert refused.status_code == 409 and "still being searched" in refused.text
        release.set()
        shown(session, version)
        assert session.shown is not None and not session.shown.replan.provisional
        assert "First answer" not in client.get(f"/fragment/results?token={TOKEN}").text
        status = client.get("/api/status", headers={TOKEN_HEADER: TOKEN}).json()
        assert status["busy"] is False and status["provisional"] is False
        assert client.get(f"/download/board-pack.html?token={TOKEN}").status_code == 200
    finally:
        release.set()
        session.close()
    # As each option's search ends, its plan replaces its first answer; then the re-plan.
    shown_then = [replan for v, replan in drawn if v == version]
    final = shown_then[-1]
    assert [r.provisional for r in shown_then] == [True] * (len(shown_then) - 1) + [False]
    searching = [set(r.searching) for r in shown_then[:-1]]
    assert searching[0] == {"lapse", "extend", "recruit"}
    assert all(later < earlier for earlier, later in itertools.pairwise(searching))
    assert len(shown_then) == 1 + 3  # the first answer, after each of two options, the end
    plans = {r.plan.option_id: r.plan for r in final.results}
    for partial in shown_then[1:-1]:
        for result in partial.results:
            if result.plan.option_id not in partial.searching:  # searched: the final plan
                assert result.plan.assignments == plans[result.plan.option_id].assignments


def test_a_search_that_fails_after_the_first_answer_says_so_and_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import capacity.serve.planning

    solve = capacity.serve.planning.plan_option

    def failing(*args: Any, start_from: Any = None, **kwargs: Any) -> Any:
        if start_from is not None:
            raise RuntimeError("a bug in the search")
        return solve(*args, start_from=start_from, **kwargs)

    monkeypatch.setattr(capacity.serve.planning, "plan_option", failing)
    work = tmp_path / "session"
    work.mkdir()
    session = Session.start(team_with_recruit(tmp_path), work, SETTINGS, base_settings=SETTINGS)
    client = TestClient(create_app(session, TOKEN), base_url="http://127.0.0.1:8123")
    try:
        shown(session, 1)
        version = post(client, "/api/edit", {"kind": "drop", "item": "bau"}).json()["version"]
        assert not session.worker.wait(version, 60)  # it never gets its searched plans
        status = client.get("/api/status", headers={TOKEN_HEADER: TOKEN}).json()
        assert status["busy"] is False and status["provisional"] is True
        assert status["shown"] == version
        assert "the first answer is kept: a bug in the search" in status["error"]
        assert client.get(f"/download/board-pack.pdf?token={TOKEN}").status_code == 409
    finally:
        session.close()


def test_charts_drawn_in_a_process_of_their_own_are_those_drawn_here(session: Session) -> None:
    from capacity.serve.views import ChartDrawer, option_charts

    result = shown(session, 1)[-1]
    drawer = ChartDrawer()
    try:
        assert drawer.draw(result) == option_charts(result)  # the same bytes
    finally:
        drawer.close()


def test_the_charts_are_drawn_when_the_page_asks_and_kept(
    client: TestClient, session: Session
) -> None:
    shown(session, 1)
    results = client.get(f"/fragment/results?token={TOKEN}").text
    places = re.findall(r'data-charts="([^"]+)"', results)
    assert len(places) == 3  # one per option, none drawn yet: the figures come first
    drawn = client.get(f"{places[0]}?token={TOKEN}")
    assert drawn.status_code == 200 and drawn.text.count("<svg") == 2
    again = client.get(f"/fragment/results?token={TOKEN}").text
    assert len(re.findall(r'data-charts="([^"]+)"', again)) == 2  # that one is kept, inline
    assert again.count("<svg") == 2
    stale = places[0].replace("/charts/1/", "/charts/99/")
    assert client.get(f"{stale}?token={TOKEN}").status_code == 204  # the page moved on
    assert client.get(f"/fragment/charts/1/nobody?token={TOKEN}").status_code == 204
    assert client.get(f"/fragment/charts/one/lapse?token={TOKEN}").status_code == 404


@pytest.mark.slow
def test_on_the_shipped_data_compare_gives_the_pages_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plans cut off by the budget (not proven optimal), so the figures agree only because
    the page solves a what-if as `capacity compare` does."""
    from capacity import shipped

    budget = SolverSettings.for_search_budget(0.5, time_limit_seconds=300)  # as the CLI does
    base_budget = SolverSettings.for_search_budget(1.0, time_limit_seconds=300)
    work = tmp_path / "session"
    work.mkdir()
    session = Session.start(shipped.one_year_scenario(), work, budget, base_settings=base_budget)
    try:
        # asked for at once: the base is planned to the end first, then the change from it
        edit = {"kind": "bid", "item": "bid-6", "status": "lost"}
        page_results = shown(session, session.edit(edit), timeout=900)
        saved = tmp_path / "what-if.yaml"
        saved.write_text(session.what_if_text(), encoding="utf-8")
    finally:
        session.close()
    options = "--from-base --base-budget 1 --search-budget 0.5 --time-limit 300"
    assert f"#   capacity compare FILE {options}\n" in saved.read_text()
    options = options.split()
    compared, _ = compare_results(saved, tmp_path / "out", options, monkeypatch)
    assert comparison_figures(compared) == comparison_figures(page_results)
    assert any(r.plan.solver.status.value != "optimal" for r in page_results)


@pytest.mark.parametrize("side_by_side", [1, 2])
def test_options_planned_side_by_side_give_the_same_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side_by_side: int
) -> None:
    # A re-plan solves its options at once, one per core: each solve is the one it would
    # be alone (its own deterministic budget), so the figures are those of compare.
    import capacity.serve.planning as planning
    from capacity.pipeline import compare_options
    from capacity.readers import read_scenario

    scenario = read_scenario(team_with_recruit(tmp_path))
    monkeypatch.setattr(planning, "default_workers", lambda: side_by_side)
    cache = planning.OptionPlans(tmp_path / "plans", None)
    replan = planning.plan_what_if(scenario, SETTINGS, cache, {})
    assert replan is not None
    assert replan.solved == [o.id for o in scenario.options]  # in the scenario's order
    assert comparison_figures(replan.results) == comparison_figures(
        compare_options(scenario, SETTINGS)
    )
    again = planning.plan_what_if(scenario, SETTINGS, cache, {})
    assert again is not None and again.solved == []  # every option from the session's plans
