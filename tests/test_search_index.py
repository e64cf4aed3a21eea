"""The search index (generators/finish.py): what Pagefind indexes, and the short page ids every search loads."""

import gzip
import json
import re

import pytest

from generators import finish

PAGE = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title></head><body>
<header>Sidhuvudord</header><nav>Menyord</nav>
<article><div data-pagefind-body data-pagefind-meta="kind:{kind}" data-handbok-rank="{rank}">
<h1>{title}<a class="headerlink" href="#x">Länkankare</a></h1>
{body}
</div></article>
<footer>Sidfotsord</footer></body></html>"""

ROUTINE = """<dl class="handbok-facts"><dt>Status</dt><dd>Faktaord</dd></dl>
<div class="handbok-status" data-pagefind-ignore="all"><p>Utkastruta</p></div>
<ol><li><p><strong>Socialjouren:</strong> Ansök om betänketid hos Migrationsverket.
<small>Lagstöd: <a href="#">Citatord</a> (officiell text)</small></p></li></ol>
<p class="handbok-synonyms" data-pagefind-weight="3">reflektionsperiod</p>
<p class="handbok-owner">Rutinägare: Ägarord. Senast ändrad 2 december 2026.</p>"""

LAW = """<dl class="handbok-facts"><dt>SFS</dt><dd>Lagfaktaord 1990:52</dd></dl>
<p>Lagtext om vård. <small>Källa: Lagkällord</small></p>"""


def _fragments(site):
    out = {}
    for f in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(f.read_bytes())
        out[f.stem] = json.loads(data[data.index(b"{"):])
    return out


def _site(tmp_path, pages: int = 1):
    site = tmp_path / "site"
    for i in range(pages):
        (site / "rutiner" / f"r{i}").mkdir(parents=True)
        (site / "rutiner" / f"r{i}" / "index.html").write_text(
            PAGE.format(title=f"Betänketid {i}", kind="Rutin", rank=1, body=ROUTINE), encoding="utf-8")
    (site / "lagar" / "lvu").mkdir(parents=True)
    (site / "lagar" / "lvu" / "index.html").write_text(PAGE.format(title="LVU", kind="Lag", rank=2, body=LAW),
                                                       encoding="utf-8")
    return site


def test_pagefind_indexes_the_article_without_menus_or_a_routines_boilerplate(tmp_path):
    site = _site(tmp_path)
    finish.run_pagefind(site)
    by_url = {f["url"]: f for f in _fragments(site).values()}
    routine, law = by_url["/rutiner/r0/"]["content"], by_url["/lagar/lvu/"]["content"]
    assert "Ansök om betänketid hos Migrationsverket" in routine and "reflektionsperiod" in routine
    for word in ("Sidhuvudord", "Menyord", "Sidfotsord", "Länkankare", "Utkastruta", "Faktaord", "Citatord",
                 "officiell text", "Ägarord", "Rutinägare"):
        assert word not in routine, word
    assert by_url["/rutiner/r0/"]["meta"]["kind"] == "Rutin"  # the label every result shows
    # A law's facts (its SFS number) are what readers search for; only routines drop theirs.
    assert "Lagfaktaord 1990:52" in law and "Lagkällord" in law


def test_a_pagefind_run_started_early_is_waited_for_once_and_a_failed_one_says_why(tmp_path):
    """The build starts Pagefind before the documents are done and waits for it twice (before it fills in the
    sizes, and in finish_site); Pagefind's output goes to a file, so that a long message cannot fill a pipe."""
    from mkdocs.exceptions import PluginError

    site = _site(tmp_path)
    indexing = finish.start_pagefind(site)
    finish.wait_pagefind(indexing)
    finish.wait_pagefind(indexing)  # again: at once, without an error
    assert indexing.returncode == 0 and (site / "pagefind" / "pagefind-entry.json").is_file()
    empty = tmp_path / "tom"
    empty.mkdir()
    with pytest.raises(PluginError, match=r"(?s)Sökindexeringen \(Pagefind\) misslyckades:\n.*html files"):
        finish.wait_pagefind(finish.start_pagefind(empty))


def test_pages_get_short_ids_that_the_metadata_and_the_fragments_agree_on(tmp_path):
    site = _site(tmp_path, pages=36)
    finish.run_pagefind(site)
    before = {f["url"]: f for f in _fragments(site).values()}
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    bundle = entry["languages"]["sv"]["hash"]
    meta_path = site / "pagefind" / f"pagefind.{bundle}.pf_meta"
    raw = gzip.decompress(meta_path.read_bytes())
    old_meta, _ = finish._cbor_read(raw, len(finish._PF_SIGNATURE))

    assert finish.compact_page_ids(site)
    raw = gzip.decompress(meta_path.read_bytes())
    assert raw.startswith(finish._PF_SIGNATURE)
    meta, end = finish._cbor_read(raw, len(finish._PF_SIGNATURE))
    assert end == len(raw)
    ids = [p[0] for p in meta[1]]
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    assert ids == [f"{bundle}_{digits[n // 36]}{digits[n % 36]}" for n in range(37)]  # base 36, padded alike
    # word counts, in the same page order, rounded
    assert [p[1] for p in meta[1]] == [finish.rounded_word_count(p[1]) for p in old_meta[1]]
    assert meta[2:] == old_meta[2:]  # the word index chunks and the rest: untouched
    after = _fragments(site)
    assert set(after) == set(ids)
    assert {f["url"]: f for f in after.values()} == before  # the same fragments, only renamed
    # The search ranks use the new names.
    finish.write_search_ranks(site, {"/lagar/lvu/": 2})
    ranks = json.loads((site / finish.SEARCH_RANKS).read_text(encoding="utf-8"))["ranks"]
    assert [after[i]["url"] for i in ranks["2"]] == ["/lagar/lvu/"]


def test_an_index_it_cannot_read_back_is_left_as_pagefind_wrote_it(tmp_path):
    site = _site(tmp_path)
    finish.run_pagefind(site)
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_path = site / "pagefind" / f"pagefind.{entry['languages']['sv']['hash']}.pf_meta"
    raw = gzip.decompress(meta_path.read_bytes())
    odd = gzip.compress(raw + b"\x00", mtime=0)  # a trailing byte: not the layout this code knows
    meta_path.write_bytes(odd)
    names = sorted(p.name for p in (site / "pagefind" / "fragment").iterdir())
    assert not finish.compact_page_ids(site)
    assert meta_path.read_bytes() == odd
    assert sorted(p.name for p in (site / "pagefind" / "fragment").iterdir()) == names
    assert not finish.compact_page_ids(tmp_path / "no-site")


def test_cbor_reads_back_what_it_writes():
    value = ["1.5.2", [["sv_abc", 0], ["sv_def", 23], ["x", 24], ["y", 255], ["z", 256], ["w", 65536]],
             [["a", "b", "c"]], [], [], ["kind", "title"], [-1, -25, -300], "å" * 30, b"\x00\x01"]
    data = finish._cbor_write(value, bytearray())
    assert finish._cbor_read(bytes(data)) == (value, len(data))


def test_the_default_site_indexes_routines_without_their_boilerplate_and_with_short_ids(default_site):
    entry = json.loads((default_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    bundle = entry["languages"]["sv"]["hash"]
    fragments = _fragments(default_site)
    assert fragments and all(re.fullmatch(re.escape(bundle) + r"_[0-9a-z]+", i) for i in fragments)
    routine = next(f for f in fragments.values() if f["url"] == "/rutiner/betanketid/")
    text = routine["content"]
    assert "reflektionsperiod" in text  # the synonyms are what search is for
    for boilerplate in ("Rutinägare", "Lagstöd:", "Senast ändrad"):  # owner line, citations, facts
        assert boilerplate not in text, boilerplate


def test_the_index_holds_the_download_pages_words_but_not_the_documents_sizes(default_site):
    """Pagefind reads the pages while the documents are still being written (mkdocs_plugin.on_post_build), so the
    sizes, filled in afterwards, are not indexed: neither the marks that stood for them nor the sizes."""
    fragments = _fragments(default_site)
    downloads = next(f for f in fragments.values() if f["url"] == "/nedladdning/")
    assert "Handlingsplanen" in downloads["content"]
    for fragment in fragments.values():
        for gone in ("HANDBOK-STORLEK", "HANDBOK-OFFLINE-ZIP-SIZE", " kB)", " MB)"):
            assert gone not in fragment["content"], (fragment["url"], gone)
    page = (default_site / "nedladdning" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="handbok-storlek">\(PDF, [\d,]+ (kB|MB)\)</span>', page)  # on the page itself


def test_word_counts_are_rounded_to_at_most_3_percent_and_to_fewer_values():
    counts = range(0, 20000)
    rounded = [finish.rounded_word_count(n) for n in counts]
    assert rounded[:32] == list(range(32))  # short pages keep their exact count
    assert all(abs(r - n) <= n / 32 for n, r in zip(counts, rounded))
    assert rounded == sorted(rounded)  # a longer page never counts as shorter
    assert len(set(rounded[1000:3000])) <= 64  # 2,000 different lengths, a few dozen values: they compress
    assert finish.rounded_word_count(1313) == 1344 and finish.rounded_word_count(86) == 88


# --- what Pagefind reads: each page cut down to its indexed part (finish.search_page) ----------------------------

def _index(site, pages_dir, out):
    """Pagefind's own bundle for ``pages_dir`` (or the site itself), as it wrote it: {file name: bytes}."""
    import shutil

    shutil.rmtree(site / "pagefind", ignore_errors=True)
    finish.wait_pagefind(finish.start_pagefind(site, pages_dir))
    return {p.relative_to(site / "pagefind").as_posix(): p.read_bytes()
            for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def test_pagefind_writes_the_same_index_from_the_cut_pages_as_from_the_whole_site(default_site, tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(default_site, site, ignore=shutil.ignore_patterns("pagefind"))
    cut = tmp_path / "cut"
    pages = whole = 0
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        page = finish.search_page(html)
        if page is not None:
            target = cut / path.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, encoding="utf-8")
            pages += 1
            whole += page is html
    assert pages > 150 and whole == 0  # every indexed page of the default site was cut
    assert sum(p.stat().st_size for p in cut.rglob("*.html")) < 0.5 * sum(
        p.stat().st_size for p in site.rglob("*.html"))
    from_site = _index(site, None, tmp_path)
    from_cut = _index(site, cut, tmp_path)
    assert len(from_site) > 150 and from_cut == from_site


CUT_PAGE = ('<!doctype html><html lang="sv"><head><title>T</title><script>x()</script></head><body><nav>Meny</nav>'
        '<article><div class="a" data-pagefind-body data-pagefind-meta="kind:Rutin"><h1>Rubrik</h1>'
        '<div><p>Text</p><div data-pagefind-ignore="all"><div><p>Bort</p></div><p>Bort</p></div><p>Kvar</p></div>'
        '<section data-pagefind-ignore="all">Bort</section><p>Slut</p></div></article><footer>Fot</footer>'
        '</body></html>')


def test_a_page_is_cut_to_its_indexed_part_without_the_ignored_parts():
    assert finish.search_page(CUT_PAGE) == (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8"></head><body>'
        '<div class="a" data-pagefind-body data-pagefind-meta="kind:Rutin"><h1>Rubrik</h1>'
        '<div><p>Text</p><p>Kvar</p></div><p>Slut</p></div></body></html>')


@pytest.mark.parametrize("change", [
    ("<p>Kvar</p>", "<p>Kvar</p><!-- <div> -->"),  # a comment could hide a tag
    ("<p>Slut</p>", "<p>Slut</p><script>'<div>'</script>"),
    ("<footer>", '<footer data-pagefind-filter="typ:x">'),  # a filter outside the indexed part
    ("<nav>", '<nav data-pagefind-meta="bild:x">'),
    ("</div></article>", "</article>"),  # never closed
    ('<section data-pagefind-ignore="all">Bort</section>', '<section data-pagefind-ignore="all">Bort'),
])
def test_a_page_that_cannot_be_cut_with_certainty_is_read_whole(change):
    html = CUT_PAGE.replace(*change)
    assert html != CUT_PAGE and finish.search_page(html) is html


def test_a_page_without_an_indexed_part_is_left_out():
    assert finish.search_page(CUT_PAGE.replace(" data-pagefind-body", "")) is None
