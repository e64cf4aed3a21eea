"""Parsing Swedish legal citations into canonical keys."""

import pytest

from generators.citations import CitationError, parse_citation, parse_local


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
