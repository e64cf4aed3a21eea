"""Stage 5 (documents): the variants of a training pack document read by pandoc once (render/variants.py)."""

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from generators.pipeline import check_content
from generators.render import documents, pdf, variants
from generators.render.documents import PLACEHOLDER

EPOCH = 1796256000


def test_blocks_split_at_blank_lines_and_keep_lists_definitions_fences_and_code_whole():
    text = ("# Rubrik\n\nEtt stycke\nsom fortsätter.\n\n- a\n- b\n\n- c, samma lösa lista\n\n  Mer om c.\n\n- d\n\n"
            "Term\n\n:   Definition\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: Tabelltext\n\n"
            "::: notes\nAnteckning\n\n# inte en rubrik här\n:::\n\n```\nkod\n\n# inte heller här\n```\n\n\n\nSist.\n")
    assert variants.blocks(text) == [
        "# Rubrik",
        "Ett stycke\nsom fortsätter.",
        "- a\n- b\n\n- c, samma lösa lista\n\n  Mer om c.\n\n- d",
        "Term\n\n:   Definition",
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Tabelltext",
        "::: notes\nAnteckning\n\n# inte en rubrik här\n:::",
        "```\nkod\n\n# inte heller här\n```",
        "Sist.",
    ]


def test_merge_keeps_shared_blocks_once_and_names_the_variants_of_the_others():
    fence = ":" * 24
    merged = variants.merge(["# A\n\nDelat.\n\nBara noll.\n\nSlut.\n",
                             "# A\n\nDelat.\n\nBara ett.\n\nSlut.\n",
                             "# A\n\nDelat.\n\nBara noll.\n\nSlut.\n\nBara två.\n"])
    assert merged == (f'# A\n\nDelat.\n\n{fence} {{.handbok-variant in="0 2"}}\n\nBara noll.\n\n{fence}\n\n'
                      f'{fence} {{.handbok-variant in="1"}}\n\nBara ett.\n\n{fence}\n\nSlut.\n\n'
                      f'{fence} {{.handbok-variant in="2"}}\n\nBara två.\n\n{fence}\n')


def _pick(merged: str, k: int) -> list[str]:
    """The blocks of variant ``k`` in the merged text, as variants.lua picks them."""
    out = []
    for block in variants.blocks(merged):
        m = re.fullmatch(r':{24} \{\.handbok-variant in="([\d ]+)"\}\n\n(.*)\n\n:{24}', block, re.S)
        if m is None:
            out.append(block)
        elif str(k) in m.group(1).split():
            out += variants.blocks(m.group(2))
    return out


@pytest.fixture(scope="module")
def packs():
    project, _ = check_content(ROOT / "content")
    jobs = documents.plan_jobs(project)
    units = [u for u in documents.plan_units(jobs) if len(u) > 1]
    markdowns = {i: documents.render_markdown(project, ROOT / "templates", jobs[i], {}) for u in units for i in u}
    return jobs, units, markdowns


def test_each_pack_document_is_read_once_for_its_variants_and_the_other_documents_alone(packs):
    jobs, units, _ = packs
    assert sorted(jobs[u[0]].template for u in units) == ["deltagarmaterial.md.j2", "presentation.md.j2",
                                                          "utbildarhandledning.md.j2"]
    for unit in units:  # one per status of the shared packs: joined, not joined, not known
        assert len(unit) == 3
        assert all(jobs[i].context["municipality"].name == PLACEHOLDER for i in unit)
        assert len({jobs[i].context["variant"].title for i in unit}) == 3
    together = {i for u in documents.plan_units(jobs) for i in u}
    assert together == set(range(len(jobs)))


def test_every_variant_gets_back_exactly_its_own_blocks(packs):
    jobs, units, markdowns = packs
    for unit in units:
        texts = [markdowns[i] for i in unit]
        merged = variants.merge(texts)
        assert len(merged) < 1.3 * max(len(t) for t in texts)  # the shared part once
        for k, text in enumerate(texts):
            assert _pick(merged, k) == variants.blocks(text)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("template", ["deltagarmaterial.md.j2", "utbildarhandledning.md.j2", "presentation.md.j2"])
def test_one_run_writes_the_same_files_as_a_run_per_variant(packs, template, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    jobs, units, markdowns = packs
    unit = next(u for u in units if jobs[u[0]].template == template)
    job = jobs[unit[0]]
    reference = ROOT / "templates" / "documents" / f"reference.{job.fmt}"
    alone = []
    for i in unit:
        alone.append(tmp_path / f"alone-{i}.{job.fmt}")
        documents.run_pandoc(markdowns[i], jobs[i], alone[-1], tmp_path, reference, EPOCH)
    together = [tmp_path / f"together-{i}.{job.fmt}" for i in unit]
    args, env = documents.variants_request(job, together[1:], reference, ROOT / "templates", tmp_path)
    documents.run_pandoc(variants.merge([markdowns[i] for i in unit]), job, together[0], tmp_path, reference, EPOCH,
                         (args, env))
    for a, b in zip(alone, together):
        assert _parts(a) == _parts(b)


def test_the_pdf_of_a_variant_from_the_shared_typst_source_is_the_pdf_from_its_own(packs, tmp_path):
    jobs, units, markdowns = packs
    unit = next(u for u in units if jobs[u[0]].template == "utbildarhandledning.md.j2")
    job = jobs[unit[0]]
    reference = ROOT / "templates" / "documents" / "reference.docx"
    args, env, typst_file = pdf.typst_request(job, ROOT / "templates", EPOCH, tmp_path)
    more, more_env = documents.variants_request(job, [tmp_path / "1.docx", tmp_path / "2.docx"], reference,
                                                ROOT / "templates", tmp_path)
    documents.run_pandoc(variants.merge([markdowns[i] for i in unit]), job, tmp_path / "0.docx", tmp_path,
                         reference, EPOCH, (args + more, {**env, **more_env}))
    shared = typst_file.read_text(encoding="utf-8")
    assert shared.count("#if handbok-variant in (") >= 3
    k = 1  # not joined: the variant that differs most
    own = pdf.typst_source(markdowns[unit[k]], jobs[unit[k]], ROOT / "templates", EPOCH)
    assert "handbok-variant" not in own
    pdf.compile_pdfs([(pdf.fill(shared, "Upplands-Bro", k), "a.pdf"), (pdf.fill(own, "Upplands-Bro"), "b.pdf")],
                     tmp_path, [tmp_path / "a.pdf", tmp_path / "b.pdf"], EPOCH)
    pdf.shutdown()
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert os.path.getsize(tmp_path / "a.pdf") > 100_000
    settings = json.loads(Path(env[pdf.SETTINGS_ENV]).read_text(encoding="utf-8"))
    assert settings["variant"] == pdf.VARIANT_PLACEHOLDER
