"""The privacy guard: identity numbers, e-mail addresses and phone numbers in content."""

import pytest

from conftest import run_cli
from generators import privacy
from generators.pipeline import check_content


@pytest.mark.parametrize("text, kind, masked", [
    ("19121212-1212", "personnummer", "19121212-••••"),  # with century and dash
    ("121212-1212", "personnummer", "121212-••••"),
    ("1212121212", "personnummer", "121212••••"),  # neither
    ("191212121212", "personnummer", "19121212••••"),
    ("121212+1212", "personnummer", "121212+••••"),  # older than 100 years
    ("850230-0000", None, None),  # 30 February: checksum right, date wrong
    ("701063-0007", "samordningsnummer", "701063-••••"),  # day + 60
    ("20701063-0007", "samordningsnummer", "20701063-••••"),
    ("070-174 06 50", "phone", "070-174 •• ••"),
    ("+46 70 174 06 50", "phone", "+46 70 174 •• ••"),
    ("0046701740650", "phone", "004670174••••"),
    ("08-123 45 67", "phone", "08-123 •• ••"),
    ("(08) 123 45 67", "phone", "(08) 123 •• ••"),
    ("namn.efternamn@example.org", "email", "n…@example.org"),
])
def test_finds(text, kind, masked):
    found = list(privacy.find(f"Ring {text} i dag."))
    assert [(f.kind, f.masked) for f in found] == ([(kind, masked)] if kind else [])


@pytest.mark.parametrize("text", [
    "121212-1213",  # wrong check digit
    "2025-07-01", "den 1 juli 2025", "KS 2025/263", "Dnr SOF 2025/920", "SFS 2001:453", "prop. 2024/25:89",
    "5 kap. 15 § andra stycket", "0–17 år", "barn 0-17", "https://www.riksdagen.se/sfs-2025-400/0701740650",
    "version 0.23.1", "112", "1177",
])
def test_does_not_flag(text):
    assert list(privacy.find(text)) == []


def test_luhn():
    assert privacy.luhn_ok("1212121212") and not privacy.luhn_ok("1212121213")


def _formatted(content):
    return [i.format() for i in check_content(content)[1]]


def _step(mini, text):
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Ge information om stöd.", text), encoding="utf-8")


def test_personnummer_in_a_routine_golden(mini):
    _step(mini, "Klienten 19121212-1212 fick stöd.")
    assert _formatted(mini) == [
        "content/routines/polisinsats.yml:9:13: error[personal-data]: Texten innehåller ett personnummer "
        "(19121212-••••). Innehållet beskriver rutiner och får aldrig innehålla uppgifter om enskilda personer.\n"
        "  tips: Ta bort numret. Om det har publicerats tidigare: kontakta dataskyddsombudet."]


def test_samordningsnummer_in_prose_golden(mini):
    path = mini / "plans" / "testplan" / "omrade-1.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEtt ärende: 701063-0007.\n", encoding="utf-8")
    assert _formatted(mini) == [
        "content/plans/testplan/omrade-1.md:3:13: error[personal-data]: Texten innehåller ett samordningsnummer "
        "(701063-••••). Innehållet beskriver rutiner och får aldrig innehålla uppgifter om enskilda personer.\n"
        "  tips: Ta bort numret. Om det har publicerats tidigare: kontakta dataskyddsombudet."]


def test_phone_in_a_hand_written_page(mini):
    (mini / "pages").mkdir()
    (mini / "pages" / "om.md").write_text("# Om\n\nFrågor? Ring 08-123 45 67.\n", encoding="utf-8")
    assert [i.split("\n")[0] for i in _formatted(mini)] == [
        "content/pages/om.md:3:14: error[contact-not-allowed]: Telefonnumret 08-123 •• •• finns inte i listan över "
        "officiella kontaktvägar."]


def test_phone_and_email_outside_the_allowlist_golden(mini):
    _step(mini, "Ring 08-123 45 67 eller skriv till kurator@example.org.")
    hint = ("  tips: Ta bort uppgiften. Är den en officiell kontaktväg enligt en källa? Lägg då till den under "
            "`entries:` i content/privacy/kontaktvagar.yml med källa.")
    assert _formatted(mini) == [
        "content/routines/polisinsats.yml:9:13: error[contact-not-allowed]: E-postadressen k…@example.org finns inte i "
        "listan över officiella kontaktvägar.\n" + hint,
        "content/routines/polisinsats.yml:9:13: error[contact-not-allowed]: Telefonnumret 08-123 •• •• finns inte i "
        "listan över officiella kontaktvägar.\n" + hint]


def test_allowlisted_contact_points_pass_in_any_format(mini):
    _step(mini, "Ring +46 70-174 06 50 eller skriv till Team@Example.org.")
    assert _formatted(mini) == []


def test_allowlist_entries_must_be_what_they_say(mini):
    path = mini / "privacy" / "kontaktvagar.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 070-174 06 50", "value: växeln"), encoding="utf-8")
    assert _formatted(mini) == [
        "content/privacy/kontaktvagar.yml:5:12: error[bad-contact-point]: 'växeln' ser inte ut som ett telefonnummer.\n"
        "  tips: Skriv numret som 08-123 45 67 eller +46 8 123 45 67 (kortnummer som 112 eller 114 14), adressen som "
        "namn@exempel.se."]


def test_identity_numbers_are_found_in_files_that_fail_validation(mini):
    path = mini / "units" / "team.yml"
    path.write_text(path.read_text(encoding="utf-8") + "note: 121212-1212\n", encoding="utf-8")
    out = _formatted(mini)
    assert any("error[unknown-key]" in line for line in out)
    assert any(line.startswith("content/units/team.yml:") and "error[personal-data]" in line for line in out)


def test_check_fails_without_traceback(mini):
    _step(mini, "Klienten 121212-1212 fick stöd.")
    r = run_cli("check", "--content", str(mini), cwd=mini.parent)
    assert r.returncode == 1 and "error[personal-data]" in r.stderr + r.stdout and "Traceback" not in r.stderr
    assert "121212-1212" not in r.stderr + r.stdout  # the number itself never reaches a log


# --- the quick scan finds what the patterns find -------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

# Digits, the characters of written numbers and addresses, letters (also outside ASCII: \w is Unicode), the separator
# that joins a file's strings, and pieces of addresses and numbers, so that many texts hold one.
_TEXT = st.lists(st.sampled_from(list("0123456789 +()-.@_%aZé²ı:/") + [
    "\x00\n", "se", "aZ", "08", "46", "12 34", "-56", "@exempel.se", "x-y", "a.b", "://", "070"]),
    max_size=30).map("".join)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(_TEXT)
def test_candidates_are_the_spans_of_the_pattern(text):
    assert list(privacy._candidates(text)) == [m.span() for m in privacy._CANDIDATE.finditer(text)]


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(_TEXT)
def test_emails_are_the_spans_of_the_pattern(text):
    assert list(privacy._emails(text)) == [m.span() for m in privacy._EMAIL.finditer(text)]


@pytest.mark.parametrize("text", [
    "(08) 123 45 67", "+(08) 123 45 67", "tel. +46 8 123 45 67, fax 08-123 45 68", "19121212-1212+(0)8 1234567",
    "a@b.se@c.se", "x.y+z@exempel.se.", "@exempel.se", "ö@å.se", "namn@@exempel.se", "²@exempel.se", "a@b.c",
])
def test_quick_scan_on_written_numbers_and_addresses(text):
    assert list(privacy._candidates(text)) == [m.span() for m in privacy._CANDIDATE.finditer(text)]
    assert list(privacy._emails(text)) == [m.span() for m in privacy._EMAIL.finditer(text)]
