"""After mkdocs (generators/finish.py): downloads, the offline zip, the search vocabulary, the precache list."""

import json
import zipfile

import pytest

from conftest import run_cli
from generators import finish
from generators.finish import Download, download_links, human_size, page_words


def test_sizes_read_as_swedish():
    assert human_size(400) == "1 kB"
    assert human_size(84_321) == "84 kB"
    assert human_size(1_234_567) == "1,2 MB"


def test_download_links_say_type_and_size():
    available = {"handlingsplan.docx": Download("handlingsplan.docx", 64_000),
                 "utbildning/nacka/presentation.pptx": Download("utbildning/nacka/presentation.pptx", 341_000)}
    md = "Se [planen](nedladdning/handlingsplan.docx) och [bilderna](../../nedladdning/utbildning/nacka/presentation.pptx)."
    # The type and size in an element of their own, which the search index skips (finish.SEARCH_EXCLUDE).
    assert download_links(md, available) == ('Se [planen <span class="handbok-storlek">(Word, 64 kB)</span>]'
                                             '(nedladdning/handlingsplan.docx) och [bilderna <span class="handbok-'
                                             'storlek">(PowerPoint, 341 kB)</span>](../../nedladdning/utbildning/'
                                             'nacka/presentation.pptx).')
    assert f".{finish.SIZE_CLASS}" in finish.SEARCH_EXCLUDE


def test_a_link_to_a_document_that_was_not_built_leads_to_the_download_page():
    assert download_links("[Planen](../nedladdning/plan.docx)", {}) == "[Planen](../nedladdning.md)"


def test_the_zip_link_waits_for_its_size():
    assert Download(finish.OFFLINE_ZIP, None).label == f"zip, {finish.ZIP_SIZE_MARK}"


def test_planned_documents_get_their_sizes_once_written():
    """`handbok build` makes the pages while the documents are written: a mark stands for each size until then."""
    planned = finish.planned_downloads(["handlingsplan.pdf", "handlingsplan.docx", "utbildning/nacka/presentation.pptx"])
    assert planned["handlingsplan.docx"].label == "Word, HANDBOK-STORLEK-000000"
    assert planned["handlingsplan.pdf"].label == "PDF, HANDBOK-STORLEK-000001"
    assert planned[finish.OFFLINE_ZIP].label == f"zip, {finish.ZIP_SIZE_MARK}"
    html = download_links("[Planen](nedladdning/handlingsplan.docx) och [PDF](nedladdning/handlingsplan.pdf)", planned)
    written = {rel: Download(rel, size) for rel, size in (("handlingsplan.docx", 64_000), ("handlingsplan.pdf", 1_234_567),
                                                          ("utbildning/nacka/presentation.pptx", 341_000))}
    sizes = finish.planned_sizes(planned, written)
    assert finish.fill_sizes(html, sizes) == ('[Planen <span class="handbok-storlek">(Word, 64 kB)</span>]'
                                              '(nedladdning/handlingsplan.docx) och [PDF <span class="handbok-'
                                              'storlek">(PDF, 1,2 MB)</span>](nedladdning/handlingsplan.pdf)')
    del written["handlingsplan.pdf"]
    written["extra.docx"] = Download("extra.docx", 1)
    with pytest.raises(ValueError, match=r"^extra\.docx, handlingsplan\.pdf$"):
        finish.planned_sizes(planned, written)


def test_vocabulary_words_come_from_the_indexed_part_only():
    html = ('<nav>Menyord</nav><article><div data-pagefind-body><h1>Betänketid</h1><p>Ring socialjouren.</p>'
            '<div data-pagefind-ignore>Utkastruta</div></div></article>')
    assert page_words(html) == ["betänketid", "ring", "socialjouren"]


def test_vocabulary_leaves_out_what_search_exclude_leaves_out():
    """A routine's facts and small print are not indexed (finish.SEARCH_EXCLUDE), so they are no suggestions either;
    a law keeps its facts."""
    body = ('<h1>Titel<a class="headerlink" href="#t">Ankarord</a></h1><dl class="handbok-facts"><dt>Faktaord</dt></dl>'
            '<p>Steg ett. <small>Lagstöd: Citatord</small></p><p class="handbok-owner">Ägarord</p><p>Slutord</p>')
    page = '<article><div data-pagefind-body data-handbok-rank="{}">{}</div></article>'
    assert page_words(page.format(1, body)) == ["titel", "steg", "slutord"]
    assert page_words(page.format(2, body)) == ["titel", "faktaord", "steg", "lagstöd", "citatord", "slutord"]
    assert len(finish._EXCLUDED) == len(finish.SEARCH_EXCLUDE)  # every selector is understood


def test_built_site_has_downloads_vocabulary_and_a_zip_without_itself(tmp_path, mini):
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(mini), "--site-dir", str(out / "site"), "--dist-dir", str(out / "dist"))
    assert result.returncode == 0, result.stderr
    site = out / "site"
    words = json.loads((site / finish.VOCABULARY).read_text(encoding="utf-8"))
    assert ["betänketid", max(c for w, c in words if w == "betänketid")] in words
    assert words == sorted(words, key=lambda wc: (-wc[1], wc[0]))  # most frequent first: ties go to common words
    # The documents are in the site, byte for byte what dist/ has, and the zip in both places is the same file.
    for rel in ("rutinhandbok.docx", finish.OFFLINE_ZIP):
        assert (site / "nedladdning" / rel).read_bytes() == (out / "dist" / rel).read_bytes(), rel
    with zipfile.ZipFile(out / "dist" / finish.OFFLINE_ZIP) as zf:
        names = zf.namelist()
        about = zf.read("rutinhandbok/om/index.html").decode("utf-8")
        # Documents are compressed already and stored as they are; pages are deflated; source maps stay out.
        kinds = {i.filename: i.compress_type for i in zf.infolist()}
        assert zf.read("rutinhandbok/nedladdning/rutinhandbok.pdf") == (out / "dist" / "rutinhandbok.pdf").read_bytes()
    assert kinds["rutinhandbok/nedladdning/rutinhandbok.pdf"] == zipfile.ZIP_STORED
    assert kinds["rutinhandbok/om/index.html"] == zipfile.ZIP_DEFLATED
    assert not [n for n in names if n.endswith(".map")] and list(site.rglob("*.js.map"))
    assert "rutinhandbok/nedladdning/rutinhandbok.docx" in names
    assert f"rutinhandbok/nedladdning/{finish.OFFLINE_ZIP}" not in names
    assert not any(n.endswith(finish.VOCABULARY) or "/pagefind/" in n for n in names)
    assert "det här paketet" in about and finish.ZIP_SIZE_MARK not in about
    page = (site / "om" / "index.html").read_text(encoding="utf-8")
    size = human_size((site / "nedladdning" / finish.OFFLINE_ZIP).stat().st_size)
    assert f"(zip, {size})" in page and finish.ZIP_SIZE_MARK not in page
    # The pages were made while the documents were written: every size is filled in, and it is the file's.
    assert not [p for p in site.rglob("*.html") if finish.SIZE_MARK in p.read_text(encoding="utf-8")]
    downloads = (site / "nedladdning" / "index.html").read_text(encoding="utf-8")
    assert f"(Word, {human_size((out / 'dist' / 'rutinhandbok.docx').stat().st_size)})" in downloads
    assert not (site / "sitemap.xml").exists()  # no site_url: no empty sitemap
