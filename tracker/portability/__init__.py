"""The user's data, out and back in.

A learner owns their plan, progress, evidence, scores and practice history: they can
take all of it away as one JSON file (`export_user`, in `export`) and bring it into a
fresh account on this or another Rampup site (`import_user`, in `importer`). The file's
shape is written once, as pydantic models in `schema`: the JSON Schema a reader
downloads and the import's parser both come from them. Account deletion lives in
tracker.account_deletion.
"""

from __future__ import annotations

from .export import export_user
from .importer import import_message, import_user
from .schema import EXPORT_VERSION, SCHEMA, SCHEMA_DOC, json_schema, schema_doc

__all__ = [
    "EXPORT_VERSION",
    "SCHEMA",
    "SCHEMA_DOC",
    "schema_doc",
    "export_user",
    "import_message",
    "import_user",
    "json_schema",
]
