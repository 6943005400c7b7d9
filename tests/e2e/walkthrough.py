"""The docs' curl walk-throughs as scripts: extract them, run them, say what went wrong.

The convention the docs follow (README.md, "Tests"):

* every ```sh block of a document runs, in document order, as one bash script per
  document (`set -euo pipefail`, `inherit_errexit`), from the repository root; blocks that
  are not meant to run are ```console, ```text or ```json;
* a document defines `BASE=http://127.0.0.1:8080` (the server root) once and spells every
  URL from it; the harness only swaps that host and port for the test server's;
* after a command, the first comment line `# HTTP 409: {...}` (or `# HTTP/1.1 202 Accepted`,
  as `curl -i` prints it) before the next curl command states the status of the command's
  curl calls; a command without one expects 200. So 201 and 202 are always written.

A bash function `curl` wraps the real one: it passes the answer through unchanged and
records each call's status (`--write-out '%{stderr}...'`); a check after every command
stops the script at the first call that has no answer, a 5xx or another status than stated.
Then every JSON member named in an example answer must be in the real one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC_BASE = "http://127.0.0.1:8080"
RUNNABLE = "sh"
_FENCE = re.compile(r"^```(\S*)\s*$")
_STATUS = re.compile(r"^#\s*HTTP(?:/[\d.]+)?[\s:]+(\d{3})\b")
_CURL = re.compile(r"(?<![\w./-])curl\s")
_KEY = re.compile(r'"([A-Za-z_][\w.-]*)"\s*:')

# Sourced by every script. `curl` is the wrapper; `oh_at` marks the command about to run,
# `oh_check` stops the script when one of its calls answered otherwise than the docs say.
PRELUDE = r"""
OH_N=0
oh_at() { OH_CMD=$1; printf '%s\n' "$1" > "$OH_DIR/current"; }
curl() {
  local name=$OH_DIR/call.$BASHPID.$RANDOM.$((OH_N += 1)) rc=0 code=000 line
  command curl --max-time 20 --write-out '%{stderr}\nOH_HTTP_STATUS %{http_code}\n' "$@" \
    > "$name.out" 2> "$name.err" || rc=$?
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      *"OH_HTTP_STATUS "*) code=${line##*OH_HTTP_STATUS } ;;
      "") ;;
      *) printf '%s\n' "$line" >&2 ;;
    esac
  done < "$name.err"
  printf '%s\t%s\t%s\t%s\n' "$OH_CMD" "$code" "$rc" "$name.out" >> "$OH_DIR/calls"
  cat "$name.out"
  return "$rc"
}
oh_check() {
  local want=$1 expect=$2 required=$3 seen=0 cmd code rc body
  while IFS=$'\t' read -r cmd code rc body; do
    [ "$cmd" = "$want" ] || continue
    seen=1
    if [ "$code" = 000 ] || [ "$rc" != 0 ]; then
      echo "no answer (curl exit $rc)" > "$OH_DIR/failed"; exit 97
    elif [ "${code:0:1}" = 5 ]; then
      echo "server error: HTTP $code" > "$OH_DIR/failed"; exit 97
    elif [ "$code" != "$expect" ]; then
      echo "expected HTTP $expect, got $code" > "$OH_DIR/failed"; exit 97
    fi
  done < "$OH_DIR/calls"
  if [ "$required" = 1 ] && [ "$seen" = 0 ]; then
    echo "the command made no curl call" > "$OH_DIR/failed"; exit 97
  fi
  return 0
}
"""


@dataclass
class Command:
    id: int
    block: int  # 1-based, among the document's runnable blocks
    line: int  # where it starts in the document
    text: str
    has_curl: bool
    expect: int | None = None  # stated by a `# HTTP ...` comment; None: 200
    example: list[str] = field(default_factory=list)  # the comment lines shown as its answer


@dataclass
class Block:
    index: int
    line: int
    text: str
    commands: list[Command] = field(default_factory=list)


def documents() -> list[Path]:
    """README.md and docs/*.md: every document that may hold walk-throughs."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def fenced_blocks(markdown: str) -> list[tuple[int, str, str]]:
    """(line of the first content line, language, text) of each fenced block."""
    blocks, lang, start, body = [], None, 0, []
    for number, line in enumerate(markdown.splitlines(), 1):
        fence = _FENCE.match(line)
        if lang is None:
            if fence:
                lang, start, body = fence.group(1), number + 1, []
        elif line.startswith("```"):
            blocks.append((start, lang, "\n".join(body)))
            lang = None
        else:
            body.append(line)
    if lang is not None:
        raise ValueError(f"a fenced block opened at line {start - 1} is never closed")
    return blocks


def runnable_blocks(markdown: str) -> list[Block]:
    """The document's ```sh blocks, split into commands, each with its expected status."""
    blocks: list[Block] = []
    next_id = 0
    for start, lang, text in fenced_blocks(markdown):
        if lang != RUNNABLE:
            continue
        block = Block(index=len(blocks) + 1, line=start, text=text)
        last_curl: Command | None = None
        for line, kind, piece in _pieces(text, start):
            if kind == "comment":
                status = _STATUS.match(piece)
                if status and (last_curl is None or last_curl.expect is not None):
                    raise ValueError(f"line {line}: {piece!r} states a status for no curl call")
                if status:
                    last_curl.expect = int(status.group(1))
                if last_curl is not None:
                    last_curl.example.append(piece)
                continue
            command = Command(next_id, block.index, line, piece, bool(_CURL.search(piece)))
            next_id += 1
            block.commands.append(command)
            if command.has_curl:
                last_curl = command
        blocks.append(block)
    return blocks


def _pieces(text: str, first_line: int) -> list[tuple[int, str, str]]:
    """Split a block into comment lines and complete shell commands (as bash parses them)."""
    pieces: list[tuple[int, str, str]] = []
    pending: list[str] = []
    start = first_line
    for number, line in enumerate(text.splitlines(), first_line):
        if not pending:
            if not line.strip():
                continue
            if line.lstrip().startswith("#"):
                pieces.append((number, "comment", line.strip()))
                continue
            start = number
        pending.append(line)
        command = "\n".join(pending)
        if not line.rstrip().endswith("\\") and _complete(command):
            pieces.append((start, "command", command))
            pending = []
    if pending:
        raise ValueError(f"the command at line {start} never ends:\n{chr(10).join(pending)}")
    return pieces


def _complete(command: str) -> bool:
    checked = subprocess.run(["bash", "-n", "-c", command], capture_output=True, text=True)
    if checked.returncode == 0:
        return True
    if "unexpected EOF" in checked.stderr or "unexpected end of file" in checked.stderr:
        return False
    raise ValueError(f"not valid bash: {checked.stderr.strip()}\n{command}")


def script(blocks: list[Block], base_url: str) -> str:
    """One bash script: the prelude, then each command followed by its status check."""
    lines = [
        "set -euo pipefail",
        "shopt -s inherit_errexit 2> /dev/null || true",  # bash 4.4+: $(...) fails too
        'source "$OH_DIR/prelude.sh"',
    ]
    for block in blocks:
        for command in block.commands:
            lines.append(f"oh_at {command.id}")
            lines.append(command.text.replace(DOC_BASE, base_url))
            expect = command.expect or 200
            lines.append(f"oh_check {command.id} {expect} {int(command.has_curl)}")
    return "\n".join(lines) + "\n"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    failure: str | None  # None: every command ran and every call answered as stated


def run(name: str, blocks: list[Block], base_url: str, workdir: Path, timeout: float) -> Run:
    """Run a document's blocks against `base_url`; a failure names block, command, answer."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "prelude.sh").write_text(PRELUDE)
    (workdir / "calls").write_text("")
    path = workdir / "walkthrough.sh"
    path.write_text(script(blocks, base_url))
    try:
        done = subprocess.run(
            ["bash", str(path)],
            cwd=ROOT,
            env=_environment(workdir),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        returncode, stdout, stderr = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        returncode = -1
        stdout = _text(expired.stdout)
        stderr = _text(expired.stderr) + f"\n(timed out after {timeout:.0f} s)"
    failure = None
    if returncode != 0:
        failure = _report(name, blocks, workdir, returncode, stderr)
    else:
        failure = _unanswered_keys(name, blocks, workdir)
    return Run(returncode, stdout, stderr, failure)


def _environment(workdir: Path) -> dict[str, str]:
    """A clean environment, so a variable the docs forgot to set is not found in ours;
    python3 is this interpreter's when the system has none."""
    path = os.pathsep.join([os.environ.get("PATH", ""), str(Path(sys.executable).parent)])
    kept = {k: v for k, v in os.environ.items() if k in ("HOME", "LANG", "LC_ALL", "TMPDIR")}
    return kept | {"PATH": path, "OH_DIR": str(workdir)}


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def _report(name: str, blocks: list[Block], workdir: Path, returncode: int, stderr: str) -> str:
    commands = {c.id: c for b in blocks for c in b.commands}
    current = (workdir / "current").read_text().strip() if (workdir / "current").exists() else ""
    failed = workdir / "failed"
    reason = failed.read_text().strip() if failed.exists() else f"bash exited with {returncode}"
    command = commands.get(int(current)) if current.isdigit() else None
    if command is None:
        return f"{name}: {reason} before any command ran\nstderr:\n{_tail(stderr)}"
    block = blocks[command.block - 1]
    calls, problems = [], []
    for row in (workdir / "calls").read_text().splitlines():
        cmd, code, rc, body = row.split("\t")
        if cmd != current:
            continue
        answer = Path(body).read_text(errors="replace") if Path(body).exists() else ""
        calls.append(f"  HTTP {code} (curl exit {rc}):\n{_indent(_clip(answer))}")
        problems.append(_problem(code, rc, command.expect or 200))
    # A call that went wrong explains the failure better than the exit status it caused.
    reason = next((p for p in problems if p), reason)
    lines = [
        f"{name}, sh block {block.index} (line {block.line}), command at line {command.line}:",
        _indent(command.text),
        reason,
        "responses:" if calls else "responses: none",
        *calls,
    ]
    if stderr.strip():
        lines += ["stderr:", _indent(_tail(stderr))]
    return "\n".join(lines)


def _answers(workdir: Path) -> dict[int, list[str]]:
    answers: dict[int, list[str]] = {}
    for row in (workdir / "calls").read_text().splitlines():
        cmd, _code, _rc, body = row.split("\t")
        answer = Path(body).read_text(errors="replace") if Path(body).exists() else ""
        answers.setdefault(int(cmd), []).append(answer)
    return answers


def _unanswered_keys(name: str, blocks: list[Block], workdir: Path) -> str | None:
    """Every JSON member an example answer names must be in the real answer: an excerpt
    may leave members out (`...`), never show one the API does not send."""
    answers = _answers(workdir)
    for block in blocks:
        for command in block.commands:
            shown = dict.fromkeys(_KEY.findall("\n".join(command.example)))
            real = set(_KEY.findall("\n".join(answers.get(command.id, []))))
            missing = [key for key in shown if key not in real]
            if missing:
                answer = "\n".join(answers.get(command.id, []))
                return "\n".join(
                    [
                        f"{name}, sh block {block.index} (line {block.line}), "
                        f"command at line {command.line}:",
                        _indent(command.text),
                        f"the example answer shows {missing}, which the real answer lacks:",
                        _indent(_clip(answer)),
                    ]
                )
    return None


def _problem(code: str, rc: str, expect: int) -> str | None:
    if code == "000" or rc != "0":
        return f"no answer (curl exit {rc})"
    if code.startswith("5"):
        return f"server error: HTTP {code}"
    if code != str(expect):
        return f"expected HTTP {expect}, got {code}"
    return None


def _clip(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())
