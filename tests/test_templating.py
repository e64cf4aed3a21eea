"""The Jinja environment factory's compiled templates (render/templating.py): kept on disk like Python's bytecode,
compiled again when the template changes, and never a reason for a build to fail."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generators.render import templating
from generators.render.templating import make_env

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A bytecode folder of the test's own, and no environment left over from another test."""
    folder = tmp_path / "bytecode"
    monkeypatch.setattr(templating, "BYTECODE_DIR", folder)
    make_env.cache_clear()
    yield folder
    make_env.cache_clear()


def _templates(root: Path, text: str) -> Path:
    folder = root / "site"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.md.j2").write_text(text, encoding="utf-8")
    return folder


def _fresh(folder: Path, dialect: str = "html") -> jinja2.Environment:
    make_env.cache_clear()
    return make_env(folder, dialect)


def _no_compiling(monkeypatch) -> None:
    def refuse(self, *args, **kwargs):
        raise AssertionError("the template was compiled, not read from the bytecode cache")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_a_compiled_template_is_kept_and_read_back_without_compiling(tmp_path, cache_dir, monkeypatch):
    folder = _templates(tmp_path / "a", "Hej {{ name }}!")
    assert _fresh(folder).get_template("page.md.j2").render(name="<Nacka>") == "Hej &lt;Nacka&gt;!"
    assert len(list(cache_dir.rglob("*.cache"))) == 1
    _no_compiling(monkeypatch)
    assert _fresh(folder).get_template("page.md.j2").render(name="<Nacka>") == "Hej &lt;Nacka&gt;!"


def test_a_copy_of_the_templates_elsewhere_uses_the_same_entry(tmp_path, cache_dir, monkeypatch):
    _fresh(_templates(tmp_path / "a", "Hej {{ name }}!")).get_template("page.md.j2")
    copy = _templates(tmp_path / "b", "Hej {{ name }}!")
    _no_compiling(monkeypatch)
    assert _fresh(copy).get_template("page.md.j2").render(name="Solna") == "Hej Solna!"
    assert len(list(cache_dir.rglob("*.cache"))) == 1


def test_an_edited_template_is_compiled_again(tmp_path, cache_dir):
    folder = _templates(tmp_path / "a", "Hej {{ name }}!")
    _fresh(folder).get_template("page.md.j2")
    _templates(tmp_path / "a", "Adjö {{ name }}.")
    assert _fresh(folder).get_template("page.md.j2").render(name="Solna") == "Adjö Solna."


def test_the_dialects_never_share_compiled_code(tmp_path, cache_dir):
    """The same file compiles differently for the site (HTML escaping) and for pandoc (Markdown escaping)."""
    folder = _templates(tmp_path / "a", "{{ text }}")
    for _ in range(2):  # the second round reads both from the cache
        assert _fresh(folder, "html").get_template("page.md.j2").render(text="<b>") == "&lt;b&gt;"
        assert _fresh(folder, "pandoc").get_template("page.md.j2").render(text="<b>") == "\\<b\\>"
    assert len({p.parent for p in cache_dir.rglob("*.cache")}) == 2


def test_a_damaged_entry_is_compiled_anew(tmp_path, cache_dir):
    folder = _templates(tmp_path / "a", "Hej {{ name }}!")
    _fresh(folder).get_template("page.md.j2")
    (entry,) = cache_dir.rglob("*.cache")
    entry.write_bytes(entry.read_bytes()[:40])  # cut off inside the compiled code
    assert _fresh(folder).get_template("page.md.j2").render(name="Solna") == "Hej Solna!"


def test_a_folder_that_cannot_be_made_leaves_templates_compiled_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(templating, "BYTECODE_DIR", blocker / "jinja")
    folder = _templates(tmp_path / "a", "Hej {{ name }}!")
    try:
        env = _fresh(folder)
        assert env.bytecode_cache is None
        assert env.get_template("page.md.j2").render(name="Solna") == "Hej Solna!"
    finally:
        make_env.cache_clear()


def test_precompile_covers_the_templates_a_build_renders(cache_dir, monkeypatch):
    """`make build` compiles ours and the theme's first; the site's and the documents' templates, and the theme's
    page, then render without compiling."""
    count = templating.precompile(ROOT / "templates", ROOT / "mkdocs.yml")
    assert count > 100  # the theme's pages and partials, and ours
    _no_compiling(monkeypatch)
    for folder, dialect, name in (("site", "html", "routine.md.j2"), ("documents", "pandoc", "handlingsplan.md.j2")):
        assert (ROOT / "templates" / folder / name).is_file()
        _fresh(ROOT / "templates" / folder, dialect).get_template(name)
    from mkdocs.config import load_config

    from generators.mkdocs_plugin import HandbokPlugin

    config = load_config(str(ROOT / "mkdocs.yml"))
    env = HandbokPlugin().on_env(config.theme.get_env(), config, None)
    env.get_template("main.html")


_OUTPUT_CASES = """{% macro em(x) %}<em>{{ x }}</em>{% endmacro %}
{{ plain }} {{ markup }} {{ braces }} {{ number }} {{ em(plain) }} {{ em(markup) }}
{% set block %}{{ plain }} och {{ markup }}{% endset %}{{ block }} {{ block|length }}
{% autoescape false %}{{ plain }}{% endautoescape %} {{ plain|oneline }} {{ none_value }}
{% for v in [plain, markup, braces] %}{{ loop.index }}: {{ v }}{{ ", " if not loop.last }}{% endfor %}
"""


@pytest.mark.parametrize("dialect", ["html", "pandoc"])
def test_output_code_is_the_same_as_jinjas_own(cache_dir, tmp_path, dialect):
    """Our code generator drops Jinja's second escape of what finalize already returned as Markup: the same text,
    in both dialects, for plain text, Markup, macros, blocks and an autoescape-free block."""
    folder = _templates(tmp_path, _OUTPUT_CASES)
    ours = _fresh(folder, dialect)
    jinjas = ours.overlay(cache_size=0)
    jinjas.code_generator_class = jinja2.compiler.CodeGenerator
    jinjas.bytecode_cache = None
    values = dict(plain="<b>{: onclick=x} & 'q' \"", markup=jinja2.utils.markupsafe.Markup("<i>ok</i>"),
                  braces="{a}", number=3, none_value=None)
    assert ours.get_template("page.md.j2").render(**values) == jinjas.get_template("page.md.j2").render(**values)
    # And the difference is real: for the site, {{ x }} is finalize(x), not escape(finalize(x)); pandoc's Markdown
    # is not autoescaped, and keeps Jinja's str(finalize(x)).
    source = ours.compile("{{ x }}", raw=True)
    expected = "yield environment.finalize(" if dialect == "html" else "yield str(environment.finalize("
    assert expected in source and "escape(" not in source
    assert "yield escape(environment.finalize(" in jinjas.compile("{{ x }}", raw=True) or dialect == "pandoc"


def test_a_finalize_that_does_not_escape_keeps_jinjas_escape():
    """Jinja's escape is left out only after html_escape: any other finalize keeps it."""
    env = jinja2.Environment(autoescape=True, finalize=lambda value: value)
    env.code_generator_class = templating._FinalizedOutput
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
