"""Per-language word classes that decide where subtitle text may be broken.

Plain data: for each language, the articles and other determiners, prepositions,
conjunctions, auxiliary verbs, subject pronouns, adverbs and adjectives that
``linebreak.break_cost`` weighs, and the words that must stay glued to their
neighbour (Russian one-letter words to the next word, particles such as "ли",
"же", "бы" to the previous one). ``rules_for`` looks a language up by its base
code (``pt-BR`` -> ``pt``); a language without rules gets the generic, empty set,
so only punctuation and capitalisation guide its breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from .typography import base_language


@dataclass(frozen=True)
class BreakRules:
    """Word classes of one language that decide where a break may fall."""

    articles: frozenset[str] = frozenset()  # and other determiners: never end a line
    prepositions: frozenset[str] = frozenset()
    conjunctions: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()  # auxiliary/modal verbs: keep with the verb
    adjectives: frozenset[str] = frozenset()  # common adjectives the suffixes miss
    adjective_suffixes: tuple[str, ...] = ()
    glue_next: frozenset[str] = frozenset()  # never at a line end
    glue_previous: frozenset[str] = frozenset()  # never at a line start
    glue_all_one_letter: bool = False  # every one-letter word sticks to the next
    subjects: frozenset[str] = frozenset()  # subject pronouns: keep with their verb
    adverbs: frozenset[str] = frozenset()  # adverbs that lean on the verb after them
    capitalised_names: bool = True  # two capitalised words in a row are a name


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH = BreakRules(
    articles=_words(
        "a an the this these those my your his her its our their every each no some any another such whose all both"
    ),
    prepositions=_words(
        "of in on at to for with from by about against between into through during before after above below "
        "under over without within along across behind beyond toward towards upon around among since until "
        "like than via per despite"
    ),
    conjunctions=_words(
        "and but or nor so yet because although though while whereas if unless that which who whom where when "
        "whether as"
    ),
    auxiliaries=_words(
        "is are was were be been being am have has had do does did will would shall should can could may might "
        "must it's i'm we're they're you're he's she's that's there's we've they've i've we'll they'll won't "
        "don't doesn't didn't can't cannot isn't aren't wasn't weren't haven't hasn't hadn't wouldn't "
        "shouldn't couldn't not to"
    ),
    adverbs=_words("never always ever just even also only still already"),
    adjectives=_words(
        "new old good best better big biggest great small long short real free high low last first next "
        "other same few many more most much whole own strong strongest full clear hard open "
        "two three four five six seven eight nine ten twelve twenty thirty hundred thousand million"
    ),
    adjective_suffixes=("al", "ive", "ous", "ful", "ic", "ary", "ian", "ean", "ish", "less", "ible", "able"),
    glue_next=_words("i"),
    subjects=_words("we they he she you it who"),
)

_RUSSIAN_ONE_LETTER = "в к с у о и а я"
_RUSSIAN = BreakRules(
    articles=_words("этот эта это эти этого этой этом этих тот та те того той том тех наш наша наше наши нашей нашего"),
    prepositions=_words(
        "в во на за по из изо от до для без под подо над при про через об обо со ко между перед после около "
        "против среди вокруг кроме вместо ради благодаря вопреки из-за из-под"
    ),
    conjunctions=_words(
        "и а но или либо что чтобы если когда потому поэтому как где хотя пока ведь зато однако причём "
        "который которая которое которые которых которым которой которого которую которыми тогда то"
    ),
    auxiliaries=_words("не ни был была было были будет будут буду будем может могут можно нужно надо должен должны"),
    adjective_suffixes=(
        "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ого", "его", "ому", "ему",
        "ую", "юю", "ым", "ыми", "ими",
    ),
    glue_next=_words(_RUSSIAN_ONE_LETTER),
    glue_previous=_words("ли ль же ж бы б"),
    glue_all_one_letter=True,
)

_UKRAINIAN = BreakRules(
    articles=_words("цей ця це ці цього цієї той та ті наш наша наше наші"),
    prepositions=_words("в у на за по з із зі від до для без під над при про через між перед після біля проти серед"),
    conjunctions=_words("і й та а але або що щоб якщо коли тому як де хоча поки який яка яке які"),
    auxiliaries=_words("не ні був була було були буде будуть може можуть треба"),
    glue_next=_words("в у з і й а о я"),
    glue_previous=_words("б би ж же ли"),
    glue_all_one_letter=True,
)

_GERMAN = BreakRules(
    articles=_words(
        "der die das den dem des ein eine einen einem einer eines kein keine keinen dieser diese dieses "
        "unser unsere sein seine ihr ihre"
    ),
    prepositions=_words("in an auf aus bei mit nach von vor zu zum zur über unter für gegen ohne durch um zwischen seit im am vom"),
    conjunctions=_words("und oder aber denn sondern dass weil wenn als ob obwohl damit während"),
    auxiliaries=_words("ist sind war waren hat haben hatte hatten wird werden wurde wurden kann können muss müssen soll sollen will wollen nicht"),
    capitalised_names=False,  # every German noun is capitalised
)

_FRENCH = BreakRules(
    articles=_words("le la les l' un une des du au aux ce cet cette ces son sa ses leur leurs notre nos votre vos mon ma mes"),
    prepositions=_words("à de d' en dans sur sous pour par avec sans contre entre vers chez depuis pendant"),
    conjunctions=_words("et ou mais donc car que qui quand si parce comme lorsque puisque dont"),
    auxiliaries=_words("est sont était étaient a ont avait avaient sera seront va vont peut peuvent doit doivent ne n' pas"),
    adjectives=_words("bon bonne grand grande nouveau nouvelle meilleur meilleure premier première petit petite même dernier dernière"),
)

_SPANISH = BreakRules(
    articles=_words("el la los las un una unos unas lo este esta estos estas ese esa su sus nuestro nuestra"),
    prepositions=_words("a de en con por para sin sobre entre contra hacia desde hasta del al tras según"),
    conjunctions=_words("y e o u pero que porque cuando si como aunque mientras donde ni"),
    auxiliaries=_words("es son está están ha han había habían fue será puede pueden debe deben va van no se"),
    adjectives=_words("buen buena gran grande nuevo nueva mejor primer primera pequeño pequeña mismo misma último última"),
)

_PORTUGUESE = BreakRules(
    articles=_words("o a os as um uma uns umas este esta estes estas esse essa seu sua seus suas nosso nossa"),
    prepositions=_words("a de em com por para sem sobre entre contra até desde no na nos nas do da dos das ao à aos às pelo pela num numa"),
    conjunctions=_words("e ou mas que porque quando se como embora enquanto onde nem"),
    auxiliaries=_words("é são está estão foi foram será tem têm há havia pode podem deve devem vai vão não"),
    adjectives=_words("bom boa bons boas grande grandes novo nova melhor melhores primeiro primeira pequeno pequena mesmo mesma último última"),
)

RULES: dict[str, BreakRules] = {
    "en": _ENGLISH,
    "ru": _RUSSIAN,
    "uk": _UKRAINIAN,
    "be": _RUSSIAN,
    "de": _GERMAN,
    "fr": _FRENCH,
    "es": _SPANISH,
    "pt": _PORTUGUESE,
}
_GENERIC = BreakRules()


def rules_for(language: str) -> BreakRules:
    """The break rules of ``language`` (by its base code); the generic ones when it has none."""
    return RULES.get(base_language(language), _GENERIC)
