"""The default content: clean, complete enough for the field, and building."""

import datetime as dt

from conftest import ROOT
from generators.pipeline import check_content
from generators.issues import Severity

REQUIRED_ROUTINES = {
    "pom-polisinsats", "manniskohandel-vuxen", "betanketid", "manniskohandel-barn", "sugardejting-minderarig",
    "stod-till-sexkopare", "ej-ansluten-kommun", "frivilligt-atervandande", "sekretess-och-polis",
    "ekonomiskt-bistand-och-skyddat-boende", "sip-stad-och-region", "konsultation-yrkesverksamma",
    "arbetskraftsexploatering",
}


def test_default_content_has_no_errors_or_warnings():
    # A fixed date keeps this test about the content, not about the calendar: `handbok check`
    # reports routines that are due for review on the day it runs.
    project, issues = check_content(ROOT / "content", dt.date(2026, 11, 24))
    shown = [i.format() for i in issues if i.severity >= Severity.WARNING]
    assert shown == []


def test_default_content_covers_the_field():
    project, _ = check_content(ROOT / "content")
    assert REQUIRED_ROUTINES <= set(project.routines)
    assert len(project.routines) >= 12
    joined = [m for m in project.municipalities.values() if m.status == "ansluten"]
    not_joined = [m for m in project.municipalities.values() if m.status == "ej ansluten"]
    assert len(joined) == 15 and len(not_joined) == 10
    for r in project.routines.values():
        assert r.sources, r.id
        assert r.steps, r.id


def test_seed_documents_are_cited_with_diarienummer():
    project, _ = check_content(ROOT / "content")
    dnr = {s.id: s.diarienummer for s in project.sources.values()}
    assert "SOF 2025/920" in (dnr.get("sof-2025-920") or "")
    assert "3.1.1-531/2021" in (dnr.get("handlingsplan-2021") or "")
    assert "KS 2025/263" in (dnr.get("utlatande-ks-2025-263") or "")


def test_betanketid_routine_cites_the_law(default_site):
    html = (default_site / "rutiner" / "betanketid" / "index.html").read_text(encoding="utf-8")
    assert "https://lagen.nu/2005:716#K5P15" in html
    assert (default_site / "pagefind" / "pagefind.js").is_file()
