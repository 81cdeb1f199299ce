"""Bulk downloads: the whole dataset as SQLite, a CSV data package and XLSX.

The files are written by `policy-ledger export` (run by every build) into
the downloads folder beside the database; this only lists and serves them.
"""

from pathlib import Path

import orjson
from flask import current_app, request, send_file
from flask.views import MethodView
from marshmallow import fields

from policy_ledger.api import db
from policy_ledger.api.answers import json_response
from policy_ledger.api.errors import Problem, not_found
from policy_ledger.api.resources.base import problem_responses
from policy_ledger.api.resources.meta import NoQuery
from policy_ledger.api.schemas import Strict, d
from policy_ledger.api.smorest_lean import Blueprint
from policy_ledger.pipeline.export import MANIFEST

blp = Blueprint(
    "downloads",
    __name__,
    url_prefix="/v1",
    description="The whole dataset in one file: SQLite, a zip of CSVs with a "
    "Frictionless data package, or an XLSX workbook.",
)


class Download(Strict):
    name = fields.String(required=True, **d("File name.", "policy-ledger_2026.11.0.db"))
    media_type = fields.String(required=True, **d("Media type.", "application/vnd.sqlite3"))
    description = fields.String(required=True, **d("What the file holds.", "The database."))
    bytes = fields.Integer(required=True, **d("Size in bytes.", 4513792))
    sha256 = fields.String(required=True, **d("SHA-256 of the file.", "d1687217…"))
    url = fields.String(
        required=True,
        **d("Where to download it.", "https://example.org/v1/downloads/policy-ledger_2026.11.0.db"),
    )


class Downloads(Strict):
    version = fields.String(required=True, **d("Dataset version of the files.", "2026.11.0"))
    generated_at = fields.String(
        required=True, **d("When they were written.", "2026-11-23T15:00:00Z")
    )
    items = fields.List(fields.Nested(Download), required=True, **d("The files."))


# What export writes: the database, the zipped data package, the workbook.
FILE_TYPES = (
    "application/vnd.sqlite3",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def downloads_dir() -> Path:
    configured = current_app.config.get("DOWNLOADS_DIR")
    return (
        Path(configured)
        if configured
        else Path(current_app.config["DATABASE"]).parent / "downloads"
    )


def manifest() -> dict:
    folder = downloads_dir()

    def read() -> dict:
        path = folder / MANIFEST
        if not path.is_file():
            raise Problem(
                404,
                "Not found",
                "No bulk downloads have been exported for this "
                "database; run `policy-ledger export`.",
            )
        return orjson.loads(path.read_bytes())

    return db.remember("downloads", folder, read)


@blp.route("/downloads")
class DownloadList(MethodView):
    @blp.doc(operationId="list_downloads")
    @problem_responses(blp, 400, 404)
    @blp.response(200, Downloads, description="The bulk files, with size and checksum.")
    @blp.arguments(NoQuery(), location="query")
    def get(self, args):
        """List the bulk downloads

        The whole dataset of the version served, as the SQLite database itself, a zip of one
        CSV per resource with a Frictionless `datapackage.json`, and one XLSX workbook with a
        sheet per resource; each with its size and SHA-256.
        """
        m = manifest()
        base = request.host_url.rstrip("/")
        items = [{**f, "url": f"{base}/v1/downloads/{f['name']}"} for f in m["files"]]
        body = {"version": m["version"], "generated_at": m["generated_at"], "items": items}
        return json_response(orjson.dumps(body))


@blp.route("/downloads/<string:name>")
class DownloadFile(MethodView):
    @blp.doc(
        operationId="get_download",
        responses={
            200: {
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in FILE_TYPES
                }
            }
        },
    )
    @problem_responses(blp, 400, 404)
    @blp.response(200, description="The file.", content_type=FILE_TYPES[0])
    @blp.arguments(NoQuery(), location="query")
    def get(self, args, name):
        """Download one bulk file

        Served with its SHA-256 as ETag, so an unchanged file answers 304.
        """
        entry = next((f for f in manifest()["files"] if f["name"] == name), None)
        if entry is None:
            raise not_found("download", name, [f["name"] for f in manifest()["files"]])
        response = send_file(
            downloads_dir() / name,
            mimetype=entry["media_type"],
            as_attachment=True,
            download_name=name,
            conditional=True,
            etag=entry["sha256"],
            max_age=3600,
        )
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response
