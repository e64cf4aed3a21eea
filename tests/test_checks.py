"""Stage 4: checks yield warnings and errors with file and line."""

import datetime as dt

from generators.pipeline import check_content


def _formatted(content, today=dt.date(2026, 11, 22)):
    return [i.format() for i in check_content(content, today)[1]]


def test_review_overdue_is_a_warning(mini):
    out = _formatted(mini, dt.date(2027, 12, 1))
    assert "content/routines/betanketid.yml:21:11: warning[review-overdue]: Rutinen granskades senast 2026-11-01; " \
           "den ska granskas var 12:e månad.\n  tips: Gå igenom rutinen mot källorna och uppdatera `reviewed:`." in out


def test_citing_repealed_law_warns_and_suggests_successor(mini):
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8") + "legal_basis: ['5 kap. 11 § socialtjänstlagen (2001:453)']\n",
                    encoding="utf-8")
    out = _formatted(mini)
    assert out == ["content/routines/polisinsats.yml:14:15: warning[repealed-law]: 5 kap. 11 § socialtjänstlagen "
                   "upphävdes 2025-07-01.\n  tips: Hänvisa till 13 kap. 1 § socialtjänstlag (2025:400) i stället."]


def test_discouraged_term_in_routine(mini):
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Ge information om stöd.", "Ge information om reflektionstid."),
                    encoding="utf-8")
    out = _formatted(mini)
    assert out == ["content/routines/polisinsats.yml:9:13: warning[discouraged-term]: 'reflektionstid' avråds i "
                   "begreppslistan: Används inte i lagen.\n  tips: Använd 'Betänketid' (se content/glossary/betanketid.yml)."]


def test_id_must_match_file_name(mini):
    (mini / "units" / "team.yml").rename(mini / "units" / "teamet.yml")
    out = _formatted(mini)
    assert out[0].startswith("content/units/teamet.yml:1:5: error[id-filename]: Id 'team' stämmer inte med filnamnet 'teamet.yml'.")
