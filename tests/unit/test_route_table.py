"""The route table: every channel's routes one include deep, and no two routes of one
method that could both answer a path, so the order routes are tried in never decides
which one answers (surfaces/mounting.py puts the busiest first)."""

from __future__ import annotations

import dataclasses
import re
from itertools import combinations

from fastapi import FastAPI

from orderhub.app import create_app
from orderhub.config import Settings

_PARAMETER = re.compile(r"\{[^}]+\}")


def _sandbox_app() -> FastAPI:
    return create_app(dataclasses.replace(Settings.from_env(), sandbox=True))


def _api_routes(app: FastAPI) -> list[tuple[frozenset[str], str, re.Pattern[str]]]:
    """(methods, path template, path pattern) of every route the app answers."""
    found = []
    for node in app.routes:
        for context in getattr(node, "effective_route_contexts", lambda: ())():
            found.append(
                (frozenset(context.methods or ()), context.path_format, context.path_regex)
            )
    return found


def test_every_channel_route_is_one_include_deep():
    app = _sandbox_app()
    for node in app.routes:
        for candidate in getattr(node, "effective_candidates", lambda: ())():
            # A nested include would be matched three times over per request.
            assert not hasattr(candidate, "effective_candidates"), node


def test_no_route_could_answer_for_another_of_the_same_method():
    routes = _api_routes(_sandbox_app())
    assert len(routes) > 100  # every surface is there
    overlaps = []
    for (methods_a, path_a, pattern_a), (methods_b, path_b, pattern_b) in combinations(routes, 2):
        if not methods_a & methods_b:
            continue
        sample_a, sample_b = _PARAMETER.sub("x", path_a), _PARAMETER.sub("x", path_b)
        if pattern_a.match(sample_b) or pattern_b.match(sample_a):
            overlaps.append(f"{sorted(methods_a & methods_b)} {path_a} ~ {path_b}")
    assert overlaps == []
