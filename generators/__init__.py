"""Rutinhandboken: a docs-as-code pipeline.

load (YAML with positions) → model (typed records) → graph (ids resolved,
backlinks) → checks (issues) → render (pages, documents) → publish (mkdocs
build, atomic writes).
"""

__version__ = "0.1.0"
