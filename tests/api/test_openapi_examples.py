"""Every request body and JSON success response in the document carries an example
recorded from a real run (scripts/record_openapi_examples.py), valid against its own
schema, with no token, secret or one-time code of that run left in it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs

from orderhub.surfaces.openapi import annotate
from orderhub.surfaces.openapi.operations import operations


def media_types(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(operation, where, media type object) for every request and response body."""
    for _, _, op in operations(document):
        for name, media in op.get("requestBody", {}).get("content", {}).items():
            yield op["operationId"], f"request {name}", media
        for status, response in op["responses"].items():
            for name, media in response.get("content", {}).items():
                yield op["operationId"], f"{status} {name}", media


def test_every_request_body_has_an_example(openapi_document):
    missing = [
        f"{op} {where}"
        for op, where, media in media_types(openapi_document)
        if where.startswith("request") and "example" not in media
    ]

    assert not missing


def test_every_json_success_response_has_an_example(openapi_document):
    missing = [
        f"{op} {where}"
        for op, where, media in media_types(openapi_document)
        if re.match(r"2\d\d application/json$", where) and "example" not in media
    ]

    assert not missing


def test_every_example_is_valid_against_its_schema(openapi_document):
    components = {"components": openapi_document["components"]}
    invalid = []
    for op, where, media in media_types(openapi_document):
        if "example" not in media:
            continue
        validator = jsonschema_rs.Draft202012Validator(
            media["schema"] | components, validate_formats=True
        )
        invalid += [
            f"{op} {where}: {error.message} at {list(error.instance_path)}"
            for error in validator.iter_errors(media["example"])
        ]

    assert not invalid


def test_the_checker_does_refuse_an_example_that_breaks_its_schema(openapi_document):
    schema = {"$ref": "#/components/schemas/DirectOrderCreateIn"}
    validator = jsonschema_rs.Draft202012Validator(
        schema | {"components": openapi_document["components"]}, validate_formats=True
    )

    assert not validator.is_valid({"items": [{"offerId": "plan-unlimited", "quantity": "a"}]})


def test_no_token_secret_or_one_time_code_of_the_recorded_run_is_left():
    text = json.dumps(annotate.load(annotate.EXAMPLES_FILE))

    tokens = re.findall(r"\b[vp]1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", text)
    assert tokens and set(tokens) <= {
        "v1.EXAMPLE-TOKEN-PAYLOAD.EXAMPLE-SIGNATURE",
        "p1.EXAMPLE-TOKEN-PAYLOAD.EXAMPLE-SIGNATURE",
    }
    assert "sandbox-partner-secret" not in text
    assert "correct horse battery" not in text  # the onboarding demo's portal password
    assert set(re.findall(r'"code": "(\d+)"', text)) <= {"000000"}
    assert set(re.findall(r"code is (\d+)", text)) == {"000000"}
    assert "127.0.0.1" not in text  # the recorder's own webhook receiver
