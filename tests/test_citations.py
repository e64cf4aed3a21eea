"""Parsing Swedish legal citations into canonical keys."""

import datetime as dt

import pytest

from generators.citations import (MAX_PROVISIONS, CitationError, parse_citation, parse_citations, parse_key,
                                  parse_local)


@pytest.mark.parametrize("text, key, names, sfs", [
    ("5 kap. 11 § SoL", "k5-p11", ("SoL",), None),
    ("10 kap. 23 § OSL", "k10-p23", ("OSL",), None),
    ("4 kap. 1 a § brottsbalken", "k4-p1a", ("brottsbalken",), None),
    ("5 kap. 15 § andra stycket utlänningslagen (2005:716)", "k5-p15-s2", ("utlänningslagen",), "2005:716"),
    ("5 kap. 15 § 2 st. utlänningslagen", "k5-p15-s2", ("utlänningslagen",), None),
    ("artikel 12.1 c i Europarådets konvention om bekämpande av människohandel", "a12-1-c",
     ("Europarådets konvention om bekämpande av människohandel",), None),
    ("art. 13 Europarådets konvention", "a13", ("Europarådets konvention",), None),
    # "i" is the preposition here, not point i of the article.
    ("artikel 13 i Europarådets konvention", "a13", ("Europarådets konvention",), None),
    ("artikel 12.6 i Europarådets konvention", "a12-6", ("Europarådets konvention",), None),
    ("artikel 12.1 a–f i Europarådets konvention", "a12-1", ("Europarådets konvention",), None),
    ("BrB kap. 4 § 1 a", "k4-p1a", ("BrB",), None),
    ("BrB 6 kap. 12§", "k6-p12", ("BrB",), None),
    ("14 Kap. 1 § SoL", "k14-p1", ("SoL",), None),
    ("5 kap. 11 § 1 st socialtjänstlagen (2001:453) (SoL)", "k5-p11-s1", ("socialtjänstlagen", "SoL"), "2001:453"),
    ("direktiv 2011/36/EU", None, ("direktiv 2011/36/EU",), None),
])
def test_parse(text, key, names, sfs):
    c = parse_citation(text)
    assert c.pinpoint.key == key
    assert c.names == names
    assert c.sfs == sfs


def test_ids_parse_to_the_same_key():
    c = parse_citation("utlanningslagen#k5-p15-s2")
    assert c.law_id == "utlanningslagen" and c.pinpoint.key == "k5-p15-s2"
    assert c.pinpoint.label() == "5 kap. 15 § andra stycket"
    assert c.pinpoint.lagen_nu_anchor() == "K5P15S2"


def test_labels_and_parents():
    pin = parse_local("4 kap. 1 a §")
    assert pin.label() == "4 kap. 1 a §" and pin.lagen_nu_anchor() == "K4P1a"
    assert [p.key for p in parse_local("5 kap. 15 § andra stycket 1 p.").parents()] == ["k5-p15-s2", "k5-p15"]
    assert [p.key for p in parse_local("artikel 12.1 c").parents()] == ["a12-1", "a12"]


@pytest.mark.parametrize("text, message", [
    ("5 kap 11 SoL", "Hänvisningen '5 kap 11 SoL' kunde inte tolkas."),
    ("5 kap. 11 §", "Hänvisningen '5 kap. 11 §' saknar lagens namn."),
    ("", "Tom lagrumshänvisning."),
])
def test_errors(text, message):
    with pytest.raises(CitationError) as exc:
        parse_citation(text)
    assert str(exc.value) == message
    assert exc.value.hint


def test_local_refs_reject_law_names():
    with pytest.raises(CitationError, match="innehåller mer än en hänvisning"):
        parse_local("5 kap. 15 § utlänningslagen")
    with pytest.raises(CitationError, match="ingen paragraf"):
        parse_local("utlänningslagen")


# --- points (punkter), golden: key, label and lagen.nu anchor ---------------------------------------------------
# A point always sits in a stycke, the first where none is given, as lagen.nu anchors it (K5P2S1N9, not K5P2N9).

@pytest.mark.parametrize("text, key, label, anchor, names, sfs", [
    ("5 kap. 15 § första stycket 1 utlänningslagen", "k5-p15-s1-n1", "5 kap. 15 § första stycket 1", "K5P15S1N1",
     ("utlänningslagen",), None),
    ("5 kap. 15 § 1 st. 1 utlänningslagen", "k5-p15-s1-n1", "5 kap. 15 § första stycket 1", "K5P15S1N1",
     ("utlänningslagen",), None),
    ("5 kap. 15 § 2 st 3 utlänningslagen", "k5-p15-s2-n3", "5 kap. 15 § andra stycket 3", "K5P15S2N3",
     ("utlänningslagen",), None),
    ("5 kap. 15 § första stycket 1. utlänningslagen", "k5-p15-s1-n1", "5 kap. 15 § första stycket 1", "K5P15S1N1",
     ("utlänningslagen",), None),
    ("5 kap. 2 § 9 p. utlänningslagen", "k5-p2-s1-n9", "5 kap. 2 § första stycket 9", "K5P2S1N9",
     ("utlänningslagen",), None),
    ("5 kap. 2 § 9 p utlänningslagen", "k5-p2-s1-n9", "5 kap. 2 § första stycket 9", "K5P2S1N9",
     ("utlänningslagen",), None),
    ("5 kap. 15 § första stycket 6) utlänningslagen", "k5-p15-s1-n6", "5 kap. 15 § första stycket 6", "K5P15S1N6",
     ("utlänningslagen",), None),
    ("5 kap. 15 § 7. utlänningslagen", "k5-p15-s1-n7", "5 kap. 15 § första stycket 7", "K5P15S1N7",
     ("utlänningslagen",), None),
    ("5 kap. 15 § 6) utlänningslagen", "k5-p15-s1-n6", "5 kap. 15 § första stycket 6", "K5P15S1N6",
     ("utlänningslagen",), None),
    ("5 kap. 15 § andra stycket 7. utlänningslagen", "k5-p15-s2-n7", "5 kap. 15 § andra stycket 7", "K5P15S2N7",
     ("utlänningslagen",), None),
    ("5 kap. 15 § punkt 3 utlänningslagen", "k5-p15-s1-n3", "5 kap. 15 § första stycket 3", "K5P15S1N3",
     ("utlänningslagen",), None),
    ("5 kap. 15 § andra stycket punkt 3 utlänningslagen", "k5-p15-s2-n3", "5 kap. 15 § andra stycket 3",
     "K5P15S2N3", ("utlänningslagen",), None),
    ("5 kap. 15 § tredje punkten utlänningslagen", "k5-p15-s1-n3", "5 kap. 15 § första stycket 3", "K5P15S1N3",
     ("utlänningslagen",), None),
    ("5 kap. 15 § andra stycket tredje punkten utlänningslagen", "k5-p15-s2-n3", "5 kap. 15 § andra stycket 3",
     "K5P15S2N3", ("utlänningslagen",), None),
    ("6 § 3 punkten LVU", "p6-s1-n3", "6 § första stycket 3", "P6S1N3", ("LVU",), None),
    ("2 § 3 st. 4 p. LVU", "p2-s3-n4", "2 § tredje stycket 4", "P2S3N4", ("LVU",), None),
    # A number right after the § is a point, as in "29 kap. 2 § 8 brottsbalken" (and in lagen.nu's grammar).
    ("29 kap. 2 § 8 brottsbalken", "k29-p2-s1-n8", "29 kap. 2 § första stycket 8", "K29P2S1N8",
     ("brottsbalken",), None),
    ("utlänningslagen 5 kap. 15 § första stycket 1", "k5-p15-s1-n1", "5 kap. 15 § första stycket 1", "K5P15S1N1",
     ("utlänningslagen",), None),
    # A number that belongs to the SFS number or the law's name is not a point.
    ("5 kap. 15 § första stycket 1 utlänningslagen (2005:716)", "k5-p15-s1-n1", "5 kap. 15 § första stycket 1",
     "K5P15S1N1", ("utlänningslagen",), "2005:716"),
    ("5 kap. 15 § första stycket (2005:716)", "k5-p15-s1", "5 kap. 15 § första stycket", "K5P15S1", (), "2005:716"),
    ("5 kap. 15 § 2005:716", "k5-p15", "5 kap. 15 §", "K5P15", (), "2005:716"),
    ("6 § andra stycket lagen (1990:52) med särskilda bestämmelser om vård av unga", "p6-s2", "6 § andra stycket",
     "P6S2", ("lagen med särskilda bestämmelser om vård av unga",), "1990:52"),
    ("2 § lagen (1990:52) med särskilda bestämmelser om vård av unga", "p2", "2 §", "P2",
     ("lagen med särskilda bestämmelser om vård av unga",), "1990:52"),
    ("2 § 1949 års lag om något", "p2", "2 §", "P2", ("1949 års lag om något",), None),
    ("1990:52, 6 § LVU", "p6", "6 §", "P6", ("LVU",), "1990:52"),
    # Stycken, unchanged.
    ("5 kap. 15 § andra stycket utlänningslagen", "k5-p15-s2", "5 kap. 15 § andra stycket", "K5P15S2",
     ("utlänningslagen",), None),
    ("5 kap. 15 § 2 st. utlänningslagen", "k5-p15-s2", "5 kap. 15 § andra stycket", "K5P15S2",
     ("utlänningslagen",), None),
    ("6 § 2 stycket LVU", "p6-s2", "6 § andra stycket", "P6S2", ("LVU",), None),
    ("5 kap. 15 § st. 2 utlänningslagen", "k5-p15-s2", "5 kap. 15 § andra stycket", "K5P15S2",
     ("utlänningslagen",), None),
])
def test_points_golden(text, key, label, anchor, names, sfs):
    c = parse_citation(text)
    assert (c.pinpoint.key, c.pinpoint.label(), c.pinpoint.lagen_nu_anchor()) == (key, label, anchor)
    assert c.names == names and c.sfs == sfs
    assert [(x.pinpoint, x.names, x.sfs) for x in parse_citations(text)] == [(c.pinpoint, c.names, c.sfs)]
    # The label reads back to the same provision.
    assert parse_local(label) == c.pinpoint


@pytest.mark.parametrize("key, canonical, anchor", [
    ("k5-p2-n9", "k5-p2-s1-n9", "K5P2S1N9"),  # an id without the stycke gets the first one, as lagen.nu
    ("k5-p2-s1-n9", "k5-p2-s1-n9", "K5P2S1N9"),
    ("k5-p15-s2-n3", "k5-p15-s2-n3", "K5P15S2N3"),
    ("p6-n2", "p6-s1-n2", "P6S1N2"),
])
def test_point_keys_always_have_a_stycke(key, canonical, anchor):
    pin = parse_key(key)
    assert pin.key == canonical and pin.lagen_nu_anchor() == anchor
    assert parse_citation(f"utlanningslagen#{key}").pinpoint == pin


def test_point_parents():
    assert [p.key for p in parse_local("5 kap. 2 § 9 p.").parents()] == ["k5-p2-s1", "k5-p2"]
    assert parse_local("5 kap. 2 § 9 p.") == parse_local("5 kap. 2 § första stycket 9")


# --- lists and ranges ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, keys, names", [
    ("2 och 6 §§ LVU", ["p2", "p6"], ("LVU",)),
    ("2, 3 och 6 §§ LVU", ["p2", "p3", "p6"], ("LVU",)),
    ("21–23 §§ OSL", ["p21", "p22", "p23"], ("OSL",)),
    ("21-23 §§ OSL", ["p21", "p22", "p23"], ("OSL",)),
    ("10 kap. 2 och 3 §§ OSL", ["k10-p2", "k10-p3"], ("OSL",)),
    ("5 kap. 11 och 12 §§ SoL", ["k5-p11", "k5-p12"], ("SoL",)),
    ("2, 4–6 och 8 §§ LVU", ["p2", "p4", "p5", "p6", "p8"], ("LVU",)),
    ("4 kap. 1 a och 1 b §§ brottsbalken", ["k4-p1a", "k4-p1b"], ("brottsbalken",)),
    ("4 kap. 1–1 b §§ brottsbalken", ["k4-p1", "k4-p1a", "k4-p1b"], ("brottsbalken",)),
    ("2 § och 6 § LVU", ["p2", "p6"], ("LVU",)),
    ("8 kap. 1 §, 2 § och 6 § SoL", ["k8-p1", "k8-p2", "k8-p6"], ("SoL",)),  # the chapter carries over
    ("5 kap. 11 § och 6 kap. 2 § SoL", ["k5-p11", "k6-p2"], ("SoL",)),
    ("6 § 1 eller 7 § 1 eller 2 förmånsrättslagen", ["p6-s1-n1", "p7-s1-n1", "p7-s1-n2"], ("förmånsrättslagen",)),
    ("3 § andra och tredje styckena LVU", ["p3-s2", "p3-s3"], ("LVU",)),
    ("5 kap. 15 § första stycket 1 och 2 utlänningslagen", ["k5-p15-s1-n1", "k5-p15-s1-n2"], ("utlänningslagen",)),
    ("5 kap. 15 § första stycket 1–3 utlänningslagen", ["k5-p15-s1-n1", "k5-p15-s1-n2", "k5-p15-s1-n3"],
     ("utlänningslagen",)),
    ("6 § punkterna 1, 2 och 4 LVU", ["p6-s1-n1", "p6-s1-n2", "p6-s1-n4"], ("LVU",)),
    ("2 och 6 §§ lagen (1990:52) med särskilda bestämmelser om vård av unga", ["p2", "p6"],
     ("lagen med särskilda bestämmelser om vård av unga",)),
    ("BrB 6 kap. 9 och 11 §§", ["k6-p9", "k6-p11"], ("BrB",)),
    # A single citation is a list of one.
    ("5 kap. 15 § andra stycket utlänningslagen", ["k5-p15-s2"], ("utlänningslagen",)),
    ("artikel 12.1 c i Europarådets konvention", ["a12-1-c"], ("Europarådets konvention",)),
    ("utlanningslagen#k5-p15-s2", ["k5-p15-s2"], ()),
])
def test_lists_and_ranges(text, keys, names):
    cits = parse_citations(text)
    assert [c.pinpoint.key for c in cits] == keys
    assert all(c.names == names and c.text == text for c in cits)


def test_list_labels_and_anchors():
    cits = parse_citations("10 kap. 2 och 3 §§ OSL (2009:400)")
    assert [(c.pinpoint.label(), c.pinpoint.lagen_nu_anchor(), c.sfs) for c in cits] == [
        ("10 kap. 2 §", "K10P2", "2009:400"), ("10 kap. 3 §", "K10P3", "2009:400")]


def test_a_range_is_read_up_to_the_cap():
    assert len(parse_citations(f"1–{MAX_PROVISIONS} §§ OSL")) == MAX_PROVISIONS
    with pytest.raises(CitationError) as exc:
        parse_citations(f"1–{MAX_PROVISIONS + 1} §§ OSL")
    assert str(exc.value) == (f"Hänvisningen '1–{MAX_PROVISIONS + 1} §§ OSL' omfattar {MAX_PROVISIONS + 1} "
                              f"bestämmelser; högst {MAX_PROVISIONS} kan läsas som en lista.")


@pytest.mark.parametrize("text, message, hint", [
    ("2 och 6 §§ LVU",
     "Hänvisningen '2 och 6 §§ LVU' är en lista med 2 bestämmelser (2 § och 6 §), men här anges en bestämmelse "
     "per hänvisning.",
     "Skriv varje bestämmelse som en egen hänvisning: `2 § LVU`, `6 § LVU`."),
    ("21–23 §§ OSL",
     "Hänvisningen '21–23 §§ OSL' är en lista med 3 bestämmelser (21 §, 22 § och 23 §), men här anges en "
     "bestämmelse per hänvisning.",
     "Skriv varje bestämmelse som en egen hänvisning: `21 § OSL`, `22 § OSL` och så vidare."),
    ("5 kap. 11 och 12 §§ SoL",
     "Hänvisningen '5 kap. 11 och 12 §§ SoL' är en lista med 2 bestämmelser (5 kap. 11 § och 5 kap. 12 §), men "
     "här anges en bestämmelse per hänvisning.",
     "Skriv varje bestämmelse som en egen hänvisning: `5 kap. 11 § SoL`, `5 kap. 12 § SoL`."),
])
def test_a_list_is_not_one_citation(text, message, hint):
    with pytest.raises(CitationError) as exc:
        parse_citation(text)
    assert (str(exc.value), exc.value.hint) == (message, hint)


def test_local_refs_reject_lists():
    with pytest.raises(CitationError) as exc:
        parse_local("2 och 3 §§")
    assert str(exc.value) == "'2 och 3 §§' avser flera bestämmelser: 2 § och 3 §."
    assert exc.value.hint == "I `provisions:` har varje bestämmelse en egen post."


# --- what still cannot be read: a message that says why, never an unknown law ---------------------------------

_POINT_HINT = ("Skriv punkten som ett tal efter paragrafen eller stycket, till exempel "
               "`5 kap. 15 § första stycket 1 utlänningslagen` eller `5 kap. 2 § 9 p. utlänningslagen`.")
_PIN_HINT = ("Skriv en hänvisning per lag, med bestämmelsen före lagens namn, till exempel "
             "`5 kap. 15 § första stycket 1 utlänningslagen` eller `2 och 6 §§ LVU`.")


@pytest.mark.parametrize("text, message, hint", [
    ("5 kap. 15 § första stycket 1a utlänningslagen",
     "Punkten '1a' efter 5 kap. 15 § första stycket i '5 kap. 15 § första stycket 1a utlänningslagen' kunde inte "
     "tolkas.", _POINT_HINT),
    ("5 kap. 15 § 1234 utlänningslagen",
     "Punkten '1234' efter 5 kap. 15 § i '5 kap. 15 § 1234 utlänningslagen' kunde inte tolkas.", _POINT_HINT),
    ("5 kap. 15 § första stycket a) utlänningslagen",
     "Punkten 'a)' efter 5 kap. 15 § första stycket i '5 kap. 15 § första stycket a) utlänningslagen' kunde inte "
     "tolkas: punkter med bokstav kan inte länkas.",
     "Hänvisa till paragrafen eller stycket utan punkten, till exempel "
     "`5 kap. 15 § första stycket utlänningslagen`."),
    ("5 kap. 15 § första stycket a utlänningslagen",
     "Punkten 'a' efter 5 kap. 15 § första stycket i '5 kap. 15 § första stycket a utlänningslagen' kunde inte "
     "tolkas: punkter med bokstav kan inte länkas.",
     "Hänvisa till paragrafen eller stycket utan punkten, till exempel "
     "`5 kap. 15 § första stycket utlänningslagen`."),
    ("5 kap. 15 § första stycket 0 utlänningslagen",
     "Hänvisningen '5 kap. 15 § första stycket 0 utlänningslagen' kunde inte tolkas: punkter numreras från 1.",
     "Skriv till exempel `5 kap. 15 § första stycket 1 utlänningslagen`."),
    ("5 kap. 15 § 0 st. utlänningslagen",
     "Hänvisningen '5 kap. 15 § 0 st. utlänningslagen' kunde inte tolkas: stycken numreras från 1.",
     "Skriv till exempel `5 kap. 15 § första stycket 1 utlänningslagen`."),
    ("6 § LVU och 7 § SoL",
     "Hänvisningen '6 § LVU och 7 § SoL' kunde inte tolkas: 'LVU och 7 § SoL' innehåller '§', så en del av "
     "bestämmelsen gick inte att läsa.", _PIN_HINT),
    ("2 och 6 §§ första stycket LVU",
     "Hänvisningen '2 och 6 §§ första stycket LVU' kunde inte tolkas: 'första stycket LVU' innehåller 'stycket', "
     "så en del av bestämmelsen gick inte att läsa.", _PIN_HINT),
    ("andra stycket SoL",
     "Hänvisningen 'andra stycket SoL' kunde inte tolkas: 'andra stycket SoL' innehåller 'stycket', så en del av "
     "bestämmelsen gick inte att läsa.", _PIN_HINT),
    ("artikel 10 och 11 i Europarådets konvention",
     "Talet '11' efter artikel 10 i 'artikel 10 och 11 i Europarådets konvention' kunde inte tolkas.",
     "Skriv en artikel per hänvisning, till exempel "
     "`artikel 10 i Europarådets konvention om bekämpande av människohandel`."),
    ("23–21 §§ OSL", "Intervallet 23–21 i '23–21 §§ OSL' går baklänges.",
     "Skriv det lägsta numret först, till exempel `21–23 §§ OSL`."),
    ("5 kap. 15 § första stycket 3–1 utlänningslagen",
     "Intervallet 3–1 i '5 kap. 15 § första stycket 3–1 utlänningslagen' går baklänges.",
     "Skriv det lägsta numret först, till exempel `5 kap. 15 § första stycket 1–3`."),
    ("4 kap. 1 a–3 §§ brottsbalken",
     "Intervallet 1 a–3 §§ i '4 kap. 1 a–3 §§ brottsbalken' kan inte delas upp i paragrafer: det framgår inte "
     "vilka paragrafer med bokstav det omfattar.",
     "Skriv ut paragraferna, till exempel `4 kap. 1, 1 a och 2 §§ brottsbalken`."),
    ("1–200 §§ OSL", f"Hänvisningen '1–200 §§ OSL' omfattar 200 bestämmelser; högst {MAX_PROVISIONS} kan läsas "
     "som en lista.", "Hänvisa till hela kapitlet eller lagen, eller dela upp hänvisningen i flera."),
    (", ".join(["1"] * 70) + " §§ OSL",
     f"Hänvisningen '{', '.join(['1'] * 70)} §§ OSL' omfattar fler än {MAX_PROVISIONS} bestämmelser; högst "
     f"{MAX_PROVISIONS} kan läsas som en lista.",
     "Hänvisa till hela kapitlet eller lagen, eller dela upp hänvisningen i flera."),
])
def test_unreadable_forms_say_why(text, message, hint):
    for parse in (parse_citation, parse_citations):
        with pytest.raises(CitationError) as exc:
            parse(text)
        assert (str(exc.value), exc.value.hint) == (message, hint)


# --- through the graph: points resolve and link to lagen.nu; a list or a bad point is a bad citation ----------

def test_points_and_lists_in_legal_basis(mini):
    from generators.graph import build_project
    from generators.pipeline import check_content

    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    action: Ge information om stöd.\n",
        "    action: Ge information om stöd.\n    legal_basis:\n"
        "      - 5 kap. 15 § första stycket 1 utlänningslagen\n"
        "      - 5 kap. 15 § andra stycket 2 UtlL\n"
        "      - 5 kap. 15 § 9 p. utlänningslagen\n"
        "      - 5 kap. 15 § första och andra styckena UtlL\n"
        "      - 5 kap. 15 och 16 §§ UtlL\n"
        "      - 5 kap. 15 § första stycket 1a utlänningslagen\n"), encoding="utf-8")
    cited = build_project(mini).cited[("routine", "polisinsats")]
    # A list is read as one citation per provision: each counts for coverage and backlinks, and the reader sees
    # the text as written, linked to the first provision.
    listed = [r for r in cited if r.text == "5 kap. 15 § första och andra styckena UtlL"]
    assert [r.canonical_id for r in listed] == ["utl#k5-p15-s1", "utl#k5-p15-s2"]
    assert listed[0].label == "5 kap. 15 § första och andra styckena UtlL" and listed[0].also == (listed[1],)
    resolved = {r.text: r for r in cited if r.text != "5 kap. 15 § första och andra styckena UtlL"}
    assert {t: (r.canonical_id, r.node.canonical_id, r.url, r.label) for t, r in resolved.items()} == {
        "5 kap. 15 § första stycket 1 utlänningslagen": (
            "utl#k5-p15-s1-n1", "utl#k5-p15", "https://lagen.nu/2005:716#K5P15S1N1",
            "5 kap. 15 § första stycket 1 utlänningslagen"),
        "5 kap. 15 § andra stycket 2 UtlL": (
            "utl#k5-p15-s2-n2", "utl#k5-p15-s2", "https://lagen.nu/2005:716#K5P15S2N2",
            "5 kap. 15 § andra stycket 2 utlänningslagen"),
        "5 kap. 15 § 9 p. utlänningslagen": (
            "utl#k5-p15-s1-n9", "utl#k5-p15", "https://lagen.nu/2005:716#K5P15S1N9",
            "5 kap. 15 § första stycket 9 utlänningslagen"),
    }
    _, issues = check_content(mini, dt.date(2026, 11, 22))
    assert [i.format() for i in issues if ": error[" in i.format()] == [
        "content/routines/polisinsats.yml:15:9: error[unknown-provision]: 5 kap. 16 § finns inte bland bestämmelserna "
        "i utlänningslagen.\n  tips: Lägg till bestämmelsen under `provisions:` i content/legal/utl.yml, eller rätta "
        "hänvisningen.",
        "content/routines/polisinsats.yml:16:9: error[bad-citation]: Punkten '1a' efter 5 kap. 15 § första stycket "
        "i '5 kap. 15 § första stycket 1a utlänningslagen' kunde inte tolkas.\n  tips: " + _POINT_HINT,
    ]
