"""Words and stems: the one place that decides what a piece of text means to search. No Django here.

Both engines see the same words. Text is folded to lower-case ASCII (accents dropped: "Kafé" -> "kafe") and cut
into runs of letters and runs of digits ("500gr" -> "500", "gr"; "oleh-oleh" -> "oleh", "oleh"). Cutting
letters from digits matters: PostgreSQL's parser reads "500gr" as one token but "3e10x" as a number and a word,
and never disagrees with us on a run of plain letters or plain digits. Those words, joined by spaces, are what
PostgreSQL indexes with its `indonesian` configuration (Snowball Indonesian for letters, digits kept as they
are); SQLite's FTS5 gets the same words already stemmed here by PyStemmer (the same Snowball stemmer). A test
on PostgreSQL checks the two stemmers agree on tens of thousands of Indonesian words.

Snowball Indonesian strips some words too far ("kemeja" -> "meja", "masakan" -> "masa"); both engines strip
them alike, so results stay equal, and a search for "kemeja" also finds tables.
"""

import functools
import re
import threading
import unicodedata

import Stemmer

# Longer runs are not words anyone types (serial numbers, pasted junk); both engines simply never see them.
MAX_WORD_LENGTH = 40
_WORDS = re.compile(r"[a-z]+|[0-9]+")

# Dropped from queries (not from the index): "keripik pisang yang manis dari jogja" should not require every
# product to say "yang" and "dari". Only small function words; a query made only of them keeps them.
STOPWORDS = frozenset(
    "yang dan di ke dari untuk dengan atau ini itu pada dalam juga ada akan buat the and of for".split()
)

# Everyday names of places next to the official ones, added to a place's words so "batik jogja" finds shops
# in Yogyakarta. Keys are official names in search form (lower case, no "Kota"/"Kabupaten" prefix).
PLACE_ALIASES = {
    "yogyakarta": "jogja jogjakarta",
    "surakarta": "solo",
}

_local = threading.local()


def fold(text: str) -> str:
    """Lower-case ASCII: accents dropped, letters outside the Latin alphabet gone."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def words(text: str) -> list[str]:
    """The words of `text`, in order, as both engines index them."""
    return [word for word in _WORDS.findall(fold(text)) if len(word) <= MAX_WORD_LENGTH]


def normalized(*texts: str) -> str:
    """The texts' words joined by single spaces: what is stored, and what PostgreSQL stems."""
    return " ".join(word for text in texts for word in words(text))


def _stemmer() -> Stemmer.Stemmer:
    # A PyStemmer object must not be shared between threads.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("indonesian")
    return stemmer


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one word from `words()`: Snowball Indonesian for letters ("keripik" -> "ripik", "makanan" ->
    "makan"); digits unchanged, as PostgreSQL's `indonesian` configuration leaves numbers."""
    if word.isdigit():
        return word
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    """The stems of a normalized text, in order (what FTS5 is given)."""
    return [stem(word) for word in text.split()]
