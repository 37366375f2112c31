"""Plain text keeps every word: speaker tags only when the file uses them consistently.

Each test compares every word of the input with the words of the project the
pipeline makes of it (its timed segments), so a word lost anywhere between
reading and segmenting fails it.
"""

from __future__ import annotations

from pathlib import Path

from transkit.ingest import load_transcript
from transkit.ingest.plain_text import speaker_tags, transcript_from_plain_text
from transkit.pipeline import prepare_project
from transkit.runs import RunSettings

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"

# News-digest lines in the style that lost their first words: a place, a person,
# "Watch:" or an attribution before a colon opens a line, a few of them twice.
NEWS = """\
Londonderry: Police have appealed for witnesses after a car was set alight in the Creggan area overnight.

Kanye West: The rapper said on Sunday that he would not release a new album this year.

A source said: "The talks are at a very delicate stage and nobody wants to say anything."

Watch: Firefighters rescue a dog from a frozen lake in Minnesota.

The Bank of England left interest rates unchanged at 0.75% on Thursday.

Officials in Brussels said the summit would go ahead as planned as of 5 a.m. Eastern time Sunday.

Watch: The moment a giant wave hits a lighthouse on the coast of Portugal.

Londonderry: A man in his 40s has been arrested in connection with the attack.

Shares in the company fell by more than 10% after it warned that profits would be lower than expected.

Mr. Johnson told the BBC: "We will get this done by the end of the month."

Update: The road has now reopened in both directions.

Dr. Smith, who led the study, said the results were "encouraging but not conclusive".
"""


def words(text: str) -> list[str]:
    return text.split()


def project_words(path: Path) -> list[str]:
    project = prepare_project(path, RunSettings(source_language="en"))
    return words(" ".join(segment.text for segment in project.segments))


def test_news_lines_keep_every_word(tmp_path):
    source = tmp_path / "news.txt"
    source.write_text(NEWS, encoding="utf-8")
    assert project_words(source) == words(NEWS)
    transcript = transcript_from_plain_text(NEWS, str(source))
    assert [s.id for s in transcript.speakers] == ["S"]
    assert transcript.paragraphs[0].text.startswith("Londonderry: Police")


def interview_as_plain_text() -> tuple[str, list[str], dict[str, str]]:
    """The interview as someone would paste it: "Full Name: ..." at each change of
    speaker, notes as plain paragraphs. Returns the text, the words a project must
    have (the text's words without the tags) and the speakers' names by id."""
    transcript = load_transcript(INTERVIEW)
    names = {s.id: s.name for s in transcript.speakers}
    paragraphs, kept, previous = [], [], None
    for paragraph in transcript.paragraphs:
        if paragraph.kind == "speech" and paragraph.speaker != previous:
            paragraphs.append(f"{names[paragraph.speaker]}: {paragraph.text}")
            previous = paragraph.speaker
        else:
            paragraphs.append(paragraph.text)
        kept += words(paragraph.text)
    return "\n\n".join(paragraphs) + "\n", kept, names


def test_the_interview_as_plain_text_keeps_every_word_and_its_speakers(tmp_path):
    text, expected, names = interview_as_plain_text()
    source = tmp_path / "interview.txt"
    source.write_text(text, encoding="utf-8")
    assert project_words(source) == expected
    transcript = transcript_from_plain_text(text, str(source))
    assert {s.name for s in transcript.speakers} >= set(names.values())


def test_tags_need_two_recurring_speakers_on_enough_paragraphs():
    interview = ["Q: Where were you?", "A: At home.", "Q: All night?", "A: Yes.", "It was raining."]
    assert speaker_tags(interview) == {"Q", "A"}
    # one voice only
    assert speaker_tags(["Note: first.", "Note: second.", "Plain."]) == frozenset()
    # recurring tags, but on too few paragraphs: a digest, not an interview
    digest = ["Watch: a.", "Watch: b.", "Londonderry: c.", "Londonderry: d.", *[f"Line {n}." for n in range(10)]]
    assert speaker_tags(digest) == frozenset()
    # a name used once is not a tag even in an interview
    mixed = interview + ["Kanye West: said nothing."]
    assert speaker_tags(mixed) == {"Q", "A"}
    transcript = transcript_from_plain_text("\n\n".join(mixed))
    assert transcript.paragraphs[-1].text == "Kanye West: said nothing."
    assert [p.text for p in transcript.paragraphs[:2]] == ["Where were you?", "At home."]


def test_lowercase_words_before_a_colon_are_never_a_tag():
    text = "\n\n".join(["A source said: yes.", "A source said: no.", "The minister said: maybe.", "The minister said: later."])
    transcript = transcript_from_plain_text(text)
    assert [p.text for p in transcript.paragraphs] == text.split("\n\n")
