"""The project file (``<stem>.project.json``): every language of the project in one file.

Written by ``transkit.projectfile.dumps_project``, which is deterministic; the
job's language and tracks do not change it.
"""

from __future__ import annotations

from ..projectfile import dumps_project
from . import ExportJob, Exporter


class JsonExporter(Exporter):
    name = "json"
    extension = ".project.json"
    bilingual = False
    language_in_name = False

    def render(self, job: ExportJob) -> bytes:
        return dumps_project(job.project).encode("utf-8")
