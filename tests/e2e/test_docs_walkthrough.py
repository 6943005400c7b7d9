"""Docs run as written (issue 11): every ```sh block of README.md and docs/*.md, in document
order, as one bash script per document against a fresh `orderhub serve`. A command that
fails, a call with no answer or a 5xx, or a status other than the one the docs state next
to the call fails the test, naming the document, block, command and answer.
Conventions: tests/e2e/walkthrough.py and README.md, "Tests"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.e2e import walkthrough
from tests.e2e.walkthrough import DOC_BASE, ROOT

WALKTHROUGHS = [
    doc.relative_to(ROOT).as_posix()
    for doc in walkthrough.documents()
    if "\n```sh\n" in doc.read_text()
]


def _blocks(doc: str) -> list[walkthrough.Block]:
    return walkthrough.runnable_blocks((ROOT / doc).read_text())


def test_the_walkthroughs_are_found():
    assert {"README.md", "docs/care-orders.md", "docs/onboarding.md", "docs/sandbox.md"} <= set(
        WALKTHROUGHS
    )


@pytest.mark.parametrize("doc", WALKTHROUGHS)
def test_a_walkthrough_starts_from_one_base(doc):
    commands = [c.text for block in _blocks(doc) for c in block.commands]
    assert commands, f"{doc} has ```sh blocks but no command"
    assert [c for c in commands if c.startswith("BASE=")] == [f"BASE={DOC_BASE}"]
    for host in ("127.0.0.1", "localhost"):
        spelled = [c for c in commands if host in c and c != f"BASE={DOC_BASE}"]
        assert not spelled, f"{doc}: spell URLs from $BASE: {spelled}"


@pytest.mark.parametrize("doc", WALKTHROUGHS)
def test_a_walkthrough_runs_as_written(doc, serve, monkeypatch, tmp_path):
    # The sandbox worker applies care changes within a poll; the docs wait 2 s for it.
    monkeypatch.setenv("ORDERHUB_WORKER_POLL_SECONDS", "0.2")
    url = serve()
    result = walkthrough.run(doc, _blocks(doc), url, tmp_path / "walkthrough", timeout=120)
    assert result.failure is None, result.failure


# The harness itself, against a stub server: no database, no OrderHub.

SAMPLE = """
Prose.

```sh
BASE=http://127.0.0.1:8080
R=$(curl -s -X POST "$BASE/created" -H "Idempotency-Key: $(python3 -c 'print(1)')" \\
  -d '{"a":
       1}')
echo "$R"
# HTTP 201: {"id":"x_1"}
ID=$(echo "$R" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
```

```console
orderhub serve    # shown, never run
```

```sh
curl -s $BASE/ok/$ID
# {"id":"x_1"}
curl -s -i $BASE/accepted
# HTTP/1.1 202 Accepted
```
"""


class _Stub(BaseHTTPRequestHandler):
    answers = {"/created": 201, "/ok/x_1": 200, "/accepted": 202, "/conflict": 409, "/boom": 500}

    def _answer(self) -> None:
        status = self.answers.get(self.path, 404)
        body = b'{"id":"x_1"}' if status != 500 else b'{"status":500}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_commands_and_their_stated_statuses_are_read():
    blocks = walkthrough.runnable_blocks(SAMPLE)
    assert [len(b.commands) for b in blocks] == [4, 2]  # the console block is not run
    create, echo, capture = blocks[0].commands[1:]
    assert create.text.endswith("1}')") and create.line == 6 and create.expect == 201
    assert (echo.has_curl, capture.has_curl) == (False, False)
    assert [c.expect for c in blocks[1].commands] == [None, 202]


def test_a_status_comment_must_belong_to_a_curl_call():
    with pytest.raises(ValueError, match="states a status for no curl call"):
        walkthrough.runnable_blocks("```sh\necho hi\n# HTTP 409: {}\n```\n")
    with pytest.raises(ValueError, match="line 4"):
        walkthrough.runnable_blocks("```sh\ncurl -s x\n# HTTP 201: {}\n# HTTP 409: {}\n```\n")


def test_a_walkthrough_that_holds_passes(stub, tmp_path):
    result = walkthrough.run("sample.md", walkthrough.runnable_blocks(SAMPLE), stub, tmp_path, 30)
    assert result.failure is None, result.failure
    assert '{"id":"x_1"}' in result.stdout and "HTTP/1.0 202 Accepted" in result.stdout


def test_an_example_answer_showing_a_member_the_api_does_not_send_fails(stub, tmp_path):
    example = '# {"id":"x_1",...,"renamed":true}'
    doc = f"```sh\nBASE={DOC_BASE}\ncurl -s $BASE/ok/x_1\n{example}\n```\n"
    result = walkthrough.run("drift.md", walkthrough.runnable_blocks(doc), stub, tmp_path, 30)
    assert result.failure is not None
    assert "curl -s $BASE/ok/x_1" in result.failure
    assert "the example answer shows ['renamed'], which the real answer lacks" in result.failure


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("curl -s $BASE/conflict\n# HTTP 404: {}", "expected HTTP 404, got 409"),
        ("curl -s $BASE/conflict", "expected HTTP 200, got 409"),
        ("curl -s $BASE/boom\n# HTTP 500: {}", "server error: HTTP 500"),
        ("curl -s http://127.0.0.1:9/nothing", "no answer"),
        ('echo "$UNDEFINED"', "bash exited with 1"),
        ("curl -s $BASE/ok/x_1 | python3 -c 'import sys; sys.exit(3)'", "bash exited with 3"),
    ],
)
def test_a_walkthrough_that_drifted_fails_naming_block_command_and_answer(
    stub, tmp_path, monkeypatch, command, reason
):
    monkeypatch.setenv("UNDEFINED", "set outside: the docs must set what they use")
    doc = f"```sh\nBASE={DOC_BASE}\n```\n\ntext\n\n```sh\n{command}\n```\n"
    result = walkthrough.run("drift.md", walkthrough.runnable_blocks(doc), stub, tmp_path, 30)
    assert result.failure is not None
    first = command.split("\n")[0]
    assert result.failure.startswith("drift.md, sh block 2 (line 8), command at line 8:")
    assert first in result.failure and reason in result.failure, result.failure
    if "$BASE/conflict" in command:
        assert '{"id":"x_1"}' in result.failure  # the answer is shown
