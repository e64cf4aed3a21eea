"""The self-check quiz: its options are shown in a seeded shuffle, so the answer is not given away by its place."""

import html as html_mod
import json
import re
import subprocess
import sys

import docx
import pytest

from conftest import ROOT
from generators.pipeline import check_content
from generators.render.context import View, quiz_options

FIELDSET = re.compile(r'<fieldset class="handbok-quiz__question" data-correct="([01,]+)">(.*?)</fieldset>', re.S)
LABEL = re.compile(r'<label><input type="radio" name="q\d+" value="(\d+)">\s*(.*?)</label>', re.S)
ANSWER = re.compile(r"<strong>Rätt svar:</strong>\s*(.*?)</p>", re.S)


@pytest.fixture(scope="module")
def project():
    p, _ = check_content(ROOT / "content")
    return p


def _text(fragment: str) -> str:
    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _positions(project) -> dict[str, list[int]]:
    """Where the right answer is shown (1-based), per module and question, as the renderers order the options."""
    out = {}
    for mid, mod in sorted(project.modules.items()):
        out[mid] = [next(i for i, o in enumerate(quiz_options(mid, n, q.options), 1) if o.correct)
                    for n, q in enumerate(mod.questions, 1)]
    return out


# --- the shuffle ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 9])
def test_shuffle_is_a_deterministic_permutation(size):
    items = [f"svar {i}" for i in range(size)]
    for n in range(1, 30):
        first = quiz_options("en-modul", n, items)
        assert sorted(first) == sorted(items) and len(first) == size
        assert quiz_options("en-modul", n, items) == first
        assert quiz_options("en-modul", n, tuple(items)) == first
    assert items == [f"svar {i}" for i in range(size)]  # the content's own list is left as it is


def test_shuffle_depends_on_the_question_not_on_the_options_object():
    items = list(range(5))
    orders = {tuple(quiz_options(mid, n, items)) for mid in ("a", "b", "c") for n in range(1, 11)}
    assert len(orders) > 10  # different questions get different orders
    assert View.quiz_options("a", 3, items) == quiz_options("a", 3, items)  # what the templates call


def test_shuffle_is_the_same_whatever_the_hash_seed():
    code = ("import json; from generators.render.context import quiz_options; "
            "print(json.dumps([quiz_options(m, n, list(range(5))) for m in ('a', 'betanketid') for n in range(1, 8)]))")
    runs = set()
    for seed in ("0", "1", "12345", "random"):
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                                env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"})
        runs.add(result.stdout)
    assert len(runs) == 1
    here = json.dumps([quiz_options(m, n, list(range(5))) for m in ("a", "betanketid") for n in range(1, 8)])
    assert runs == {here + "\n"}


# --- the default content ----------------------------------------------------------------------


def test_no_module_keeps_all_its_right_answers_in_one_place(project):
    positions = _positions(project)
    assert positions
    for mid, places in positions.items():
        if len(places) > 1:
            assert len(set(places)) > 1, f"{mid}: alla rätta svar står på plats {places[0]}"


def test_the_first_option_is_not_always_the_right_one(project):
    places = [p for ps in _positions(project).values() for p in ps]
    assert places.count(1) < len(places)
    assert len(set(places)) >= 3  # the answers are spread, not just moved to another fixed place


# --- the built site and documents -------------------------------------------------------------


def _site_quiz(default_site, mid: str) -> list[tuple[list[str], list[str], str]]:
    """Each question on a module page: its data-correct flags, its option texts in shown order, its answer text."""
    page = (default_site / "utbildning" / mid / "index.html").read_text(encoding="utf-8")
    out = []
    for flags, body in FIELDSET.findall(page):
        labels = LABEL.findall(body)
        assert [int(v) for v, _ in labels] == list(range(len(labels)))
        out.append((flags.split(","), [_text(t) for _, t in labels], _text(ANSWER.search(body).group(1))))
    return out


def test_site_quiz_does_not_give_the_answer_away(project, default_site):
    every = []
    for mid, mod in sorted(project.modules.items()):
        quiz = _site_quiz(default_site, mid)
        assert len(quiz) == len(mod.questions), mid
        places = []
        for flags, texts, answer in quiz:
            assert flags.count("1") == 1 and len(flags) == len(texts)
            right = flags.index("1")
            assert texts[right] == answer  # data-correct and "Rätt svar" name the same option
            places.append(right + 1)
        if len(places) > 1:
            assert len(set(places)) > 1, f"{mid}: alla rätta svar står på plats {places[0]}"
        assert places == _positions(project)[mid]
        every += places
    assert every.count(1) < len(every), "det första alternativet är alltid det rätta"


def test_site_shows_options_in_the_shuffled_order(project, default_site):
    for mid, mod in sorted(project.modules.items()):
        for n, (q, (_, texts, _)) in enumerate(zip(mod.questions, _site_quiz(default_site, mid)), 1):
            assert texts == [" ".join(o.text.split()) for o in quiz_options(mid, n, q.options)]


def test_trainer_guide_and_participant_material_show_the_site_order(project, default_dist):
    pack = default_dist / "utbildning" / "botkyrka"
    guide = "\n".join(p.text for p in docx.Document(str(pack / "utbildarhandledning.docx")).paragraphs)
    handout = [p.text for p in docx.Document(str(pack / "deltagarmaterial.docx")).paragraphs]
    for mid in project.courses["grundutbildning"].modules:
        for n, q in enumerate(project.modules[mid].questions, 1):
            shown = quiz_options(mid, n, q.options)
            line = " · ".join(o.text + (" (rätt)" if o.correct else "") for o in shown)
            assert line in guide, (mid, n)
            texts = [o.text for o in shown]
            assert any(handout[i:i + len(texts)] == texts for i in range(len(handout))), (mid, n)
