"""Readable schema names: no module paths in `components/schemas`.

Pydantic names a model by its class, and by its module path when two models share a
class name (`orderhub__surfaces__b2b__order_schemas__OrderOut`). Those become the
surface's name and the class (`B2bOrderOut`, `DirectOrderOut`); where that still
collides, the module's name joins in (`B2bQuoteInstallationOut`, `B2bOrderInstallationOut`).
The classes themselves keep their names; every `$ref` is rewritten.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

REF_PREFIX = "#/components/schemas/"
_DROPPED = {"orderhub", "surfaces"}


def _words(module: str) -> str:
    for ending in ("_schemas", "_routes", "schemas", "routes"):
        if module.endswith(ending):
            module = module[: -len(ending)]
            break
    return "".join(part.capitalize() for part in module.split("_") if part)


def readable_names(names: list[str]) -> dict[str, str]:
    """old -> new for every name that holds a module path."""
    pathed = [name for name in names if "__" in name]
    plain = set(names) - set(pathed)
    candidates: dict[str, list[str]] = defaultdict(list)
    short: dict[str, str] = {}
    for name in pathed:
        *packages, module, cls = [p for p in name.split("__") if p not in _DROPPED]
        short[name] = "".join(p.capitalize() for p in packages) + cls
        candidates[short[name]].append(name)
    renamed = {}
    for name in pathed:
        new = short[name]
        if len(candidates[new]) > 1 or new in plain:
            *packages, module, cls = [p for p in name.split("__") if p not in _DROPPED]
            new = "".join(p.capitalize() for p in packages) + _words(module) + cls
        renamed[name] = new
    taken = [n for n in set(renamed.values()) if list(renamed.values()).count(n) > 1]
    if taken or plain & set(renamed.values()):
        raise ValueError(f"schema names still collide: {sorted(taken)}")
    return renamed


def _rewrite_refs(node: Any, renamed: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            name = ref[len(REF_PREFIX) :]
            node["$ref"] = REF_PREFIX + renamed.get(name, name)
        for value in node.values():
            _rewrite_refs(value, renamed)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value, renamed)


def rename_schemas(document: dict[str, Any]) -> None:
    """Rename the module-pathed components (and their titles) and every reference to them."""
    schemas = document.get("components", {}).get("schemas", {})
    renamed = readable_names(list(schemas))
    if not renamed:
        return
    document["components"]["schemas"] = {
        renamed.get(name, name): schema for name, schema in schemas.items()
    }
    for new in renamed.values():
        document["components"]["schemas"][new]["title"] = new
    _rewrite_refs(document, renamed)
