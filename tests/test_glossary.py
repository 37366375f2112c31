"""Glossary CSV reading, term matching, placeholder protection, and enforcement with a real model."""

from __future__ import annotations

import pytest

from transkit.errors import InputError
from transkit.translate.glossary import (
    Glossary,
    GlossaryTerm,
    load_glossary,
    missed_terms,
    parse_glossary,
    protect,
    restore,
    term_in_output,
    terms_in,
)
from transkit.translate.service import translate_texts

INTERVIEW_GLOSSARY = """source,target,language
Stoltenberg,Stoltenberg,*
Martynov,Martynov,*
Novaya Gazeta,Novaya Gazeta,*
Wörner,Wörner,*
Kyiv,Kyiv,pt
Stoltenberg,Столтенберг,ru
Novaya Gazeta,Новая газета,ru
"""


def _terms(glossary: Glossary, lang: str) -> dict[str, str]:
    return {t.source: t.target for t in glossary.for_language(lang)}


# --------------------------------------------------------------------------- reading


def test_reads_terms_with_header_and_language_precedence():
    glossary = parse_glossary(INTERVIEW_GLOSSARY, path="g.csv")
    assert len(glossary.terms) == 7
    assert _terms(glossary, "pt") == {
        "Stoltenberg": "Stoltenberg", "Martynov": "Martynov", "Novaya Gazeta": "Novaya Gazeta",
        "Wörner": "Wörner", "Kyiv": "Kyiv",
    }
    ru = _terms(glossary, "ru")
    assert ru["Stoltenberg"] == "Столтенберг" and ru["Novaya Gazeta"] == "Новая газета" and "Kyiv" not in ru
    assert _terms(glossary, "pt-BR")["Kyiv"] == "Kyiv"  # a regional code gets its language's terms
    assert glossary.terms[0].line == 2 and glossary.terms[0].protected


def test_header_is_optional_and_tabs_semicolons_comments_quotes_work():
    plain = parse_glossary("Stoltenberg,Stoltenberg,ru\n")
    assert [(t.source, t.line) for t in plain.terms] == [("Stoltenberg", 1)]
    tabbed = parse_glossary("# names first\nJens Stoltenberg\tЙенс Столтенберг\tru\n\n")
    assert tabbed.terms[0].target == "Йенс Столтенберг" and tabbed.terms[0].line == 2
    semi = parse_glossary("source;target;language\nNATO;OTAN;pt\n")
    assert semi.terms[0].target == "OTAN"
    quoted = parse_glossary('"Novaya Gazeta, Europe","Новая газета, Европа",ru\n')
    assert quoted.terms[0].source == "Novaya Gazeta, Europe"


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("source,target,language\nStoltenberg,Stoltenberg\n", 2, "2 columns, expected 3"),
        ("a,b,ru\nc,d,ru,extra\n", 2, "4 columns"),
        ("a,b,ru\n,d,ru\n", 2, "empty term"),
        ("a,b,ru\nc,d,Russian\n", 2, "'Russian' is not a language code"),
        ("a,b,ru\n\n\nc,\"d,ru\n", 4, "malformed CSV"),
        ("Stoltenberg,Столтенберг,ru\nStoltenberg,Стольтенберг,ru\n", 2, "already given on line 1"),
    ],
)
def test_malformed_rows_name_their_line(text, line, fragment):
    with pytest.raises(InputError) as err:
        parse_glossary(text, path="glossary.csv")
    assert err.value.line == line and fragment in str(err.value)
    assert str(err.value).startswith(f"glossary.csv:{line}: ")


def test_same_term_twice_with_the_same_target_is_fine():
    assert len(parse_glossary("a,b,ru\na,b,ru\n").terms) == 1


def test_load_reads_cp1251_and_bom_files(tmp_path):
    cp1251 = tmp_path / "ru.csv"
    cp1251.write_bytes("Stoltenberg,Столтенберг,ru\nNovaya Gazeta,Новая газета,ru\n".encode("cp1251"))
    assert _terms(load_glossary(cp1251), "ru")["Stoltenberg"] == "Столтенберг"
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffsource,target,language\r\nKyiv,Kyiv,pt\r\n".encode("utf-8"))
    assert _terms(load_glossary(bom), "pt") == {"Kyiv": "Kyiv"}
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        load_glossary(empty)


# --------------------------------------------------------------------------- matching


def test_terms_are_found_as_whole_words_longest_first():
    terms = [
        GlossaryTerm("Novaya Gazeta", "N.G.", "*"),
        GlossaryTerm("Novaya Gazeta Europe", "N.G.E.", "*"),
        GlossaryTerm("NATO", "OTAN", "pt"),
        GlossaryTerm("alliance", "aliança", "pt"),
    ]
    found = terms_in("Kirill Martynov of Novaya Gazeta Europe asked about NATO's alliance.", terms)
    assert [t.source for t in found] == ["Novaya Gazeta Europe", "alliance", "NATO"]
    assert terms_in("NATOS and the Alliance.", terms) == [terms[3]]  # lower-case terms match any case
    assert terms_in("the nato summit", terms) == []  # names keep their case


def test_chinese_terms_match_without_word_boundaries():
    term = GlossaryTerm("斯托尔滕贝格", "Stoltenberg", "en")
    assert terms_in("斯托尔滕贝格表示，北约是一个防御性联盟。", [term]) == [term]


def test_output_matching_accepts_inflected_forms():
    stoltenberg = GlossaryTerm("Stoltenberg", "Столтенберг", "ru")
    gazeta = GlossaryTerm("Novaya Gazeta", "Новая газета", "ru")
    assert term_in_output("Интервью Столтенберга было опубликовано.", stoltenberg)
    assert term_in_output("Мы говорили со Столтенбергом.", stoltenberg)
    assert term_in_output("Редактор «Новой газеты» задал вопрос.", gazeta)
    assert not term_in_output("Интервью Стольтенберга было опубликовано.", stoltenberg)
    assert not term_in_output("Редактор газеты задал вопрос.", gazeta)
    assert missed_terms("Stoltenberg met the editor of Novaya Gazeta.", "Столтенберг встретил редактора.",
                        [stoltenberg, gazeta]) == [gazeta]


def test_protect_and_restore_round_trip():
    terms = [GlossaryTerm("Wörner", "Wörner", "*"), GlossaryTerm("Kyiv", "Kyiv", "pt")]
    protected = protect("Manfred Wörner visited Kyiv and Wörner spoke.", terms)
    assert "Wörner" not in protected.text and "Kyiv" not in protected.text
    marks = [mark for mark, _ in protected.placeholders]
    assert len(marks) == 2 and all(protected.text.count(m) >= 1 for m in marks)
    model_output = protected.text.replace("visited", "visitou").replace("spoke", "falou")
    assert restore(model_output, protected) == "Manfred Wörner visitou Kyiv and Wörner falou."
    assert restore(model_output.replace(marks[1], ""), protected) is None  # a lost placeholder is noticed


def test_placeholders_avoid_text_that_looks_like_them():
    protected = protect("Code ZXQ0 names Kyiv.", [GlossaryTerm("Kyiv", "Kyiv", "*")])
    assert not protected.placeholders[0][0].startswith("ZXQ")
    assert restore(protected.text, protected) == "Code ZXQ0 names Kyiv."


# --------------------------------------------------------------------------- enforcement in the service


class DroppingTranslator:
    """Unit-test engine: 'translates' by marking the text and dropping one name; placeholders pass."""

    engine, source, target, model_id, model_version = "test", "en", "pt", "drop", "1"

    def __init__(self, drop: str, drop_placeholders: bool = False) -> None:
        self.drop = drop
        self.drop_placeholders = drop_placeholders
        self.calls: list[list[str]] = []

    def translate_batch(self, sentences, progress=None):
        self.calls.append(list(sentences))
        out = ["PT " + s.replace(self.drop, "").replace("  ", " ") for s in sentences]
        if self.drop_placeholders:
            out = [s.replace("ZXQ0", "") for s in out]
        return out

    def close(self) -> None:
        pass


def test_missed_term_is_retried_with_a_placeholder():
    glossary = parse_glossary("Wörner,Wörner,*\n")
    engine = DroppingTranslator("Wörner")
    batch = translate_texts(["Manfred Wörner was there.", "Everyone else."], "en", "pt",
                            glossary=glossary, translator=engine)
    assert batch.texts == ("PT Manfred Wörner was there.", "PT Everyone else.")
    assert engine.calls[1] == ["Manfred ZXQ0 was there."]  # only the sentence that missed, once
    assert batch.qa_flags == ((), ()) and batch.engine_sentences == 3


def test_term_still_missing_after_the_retry_is_a_qa_flag_and_the_text_is_kept():
    glossary = parse_glossary("Wörner,Wörner,*\n")
    batch = translate_texts(["Manfred Wörner was there."], "en", "pt", glossary=glossary,
                            translator=DroppingTranslator("Wörner", drop_placeholders=True))
    assert batch.texts == ("PT Manfred was there.",)
    assert batch.qa_flags == (("glossary-miss: 'Wörner' should be 'Wörner'",),)


def test_glossary_is_part_of_the_memory_key(tmp_path):
    from transkit.translate.memory import TranslationMemory

    texts = ["Manfred Wörner was there."]
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        plain = translate_texts(texts, "en", "pt", memory=memory, translator=DroppingTranslator("Wörner"))
        enforced = translate_texts(texts, "en", "pt", memory=memory, glossary=parse_glossary("Wörner,Wörner,*\n"),
                                   translator=DroppingTranslator("Wörner"))
    assert plain.texts == ("PT Manfred was there.",) and enforced.texts == ("PT Manfred Wörner was there.",)
    assert enforced.origins == ("engine",) and plain.options_key != enforced.options_key


@pytest.mark.model
def test_real_firefox_model_keeps_protected_names(test_models_dir):
    """en->pt drops "Wörner" and writes "Kiev" for "Kyiv"; the retry with placeholders fixes both."""
    from transkit.translate.base import TranslateOptions

    glossary = parse_glossary(INTERVIEW_GLOSSARY)
    texts = [
        "Soviet Union President Mikhail Gorbachev and NATO Secretary General Manfred Wörner at a meeting in Moscow.",
        "This interview was conducted before reports emerged of Russian atrocities in Bucha and other "
        "formerly occupied towns in the Kyiv region.",
        "The NATO Secretary General was interviewed by Kirill Martynov, the editor-in-chief of Novaya Gazeta Europe.",
        "Mr. Stoltenberg, has NATO ever wanted to conquer or divide Russia?",
    ]
    batch = translate_texts(texts, "en", "pt", engine="firefox", glossary=glossary,
                            options=TranslateOptions(threads=1), models_dir=test_models_dir / "installed")
    assert "Wörner" in batch.texts[0] and "Moscou" in batch.texts[0]
    assert "Kyiv" in batch.texts[1] and "Kiev" not in batch.texts[1]
    assert "Martynov" in batch.texts[2] and "Novaya Gazeta" in batch.texts[2]
    assert "Stoltenberg" in batch.texts[3]
    assert not any(flag.startswith("glossary-miss") for flags in batch.qa_flags for flag in flags)


def test_any_text_parses_or_raises_input_error():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list(',;\t"\n\r#* abcruptZ\x00\u00e9\u0416'))

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=80) | st.text(max_size=80))
    def parse(text):
        try:
            glossary = parse_glossary(text, path="fuzz.csv")
        except InputError as err:
            assert err.path == "fuzz.csv"
            return
        for term in glossary.terms:
            assert term.source and term.target and term.language
            protected = protect(term.source, [term])
            assert len(protected.placeholders) == 1  # every term finds itself
            assert restore(protected.text, protected) == term.target

    parse()
