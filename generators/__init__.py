"""Rutinhandboken: a docs-as-code pipeline.

load (YAML with positions) → model (typed records) → graph (ids resolved,
backlinks) → checks (issues) → render (pages, documents) → publish (mkdocs
build, atomic writes).
"""

from pathlib import Path

__version__ = "0.1.0"

#: The tool's own folder: its mkdocs.yml, templates/ and the base content/.
TOOL_ROOT = Path(__file__).resolve().parent.parent
