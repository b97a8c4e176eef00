"""What counts as a likely duplicate: the same identifiers, or a similar name in the same village."""

from naikkelas.registry.importing.duplicates import name_key, similar_names


def test_name_key_ignores_case_punctuation_accents_legal_form_and_word_order():
    assert name_key("CV. Toko  Maju-Jaya") == name_key("toko jaya maju") == "jaya maju toko"
    assert name_key("Kopi Café") == name_key("KOPI CAFE")


def test_similar_names_flags_the_same_name_written_differently_and_a_typo():
    rows = [
        (4, name_key("Warung Makan Bu Sri")),
        (9, name_key("warung makan bu sri.")),
        (12, name_key("Warung Makan Bu Sir")),
    ]
    verdicts = similar_names(rows, known=())
    assert verdicts == [(9, "name", 4, None, None), (12, "name", 4, None, None)]


def test_similar_names_leaves_different_businesses_alone():
    rows = [(4, name_key("Toko Berkah")), (5, name_key("Toko Berkah Jaya Abadi")), (6, name_key("Bengkel Berkah"))]
    assert similar_names(rows, known=()) == []


def test_similar_names_compares_with_businesses_already_registered_in_the_village():
    known = [(name_key("Keripik Pak Joko"), 41, "Keripik Pak Joko")]
    verdicts = similar_names([(7, name_key("Keripik Pak Joko."))], known=known)
    assert verdicts == [(7, "name", None, 41, "Keripik Pak Joko")]
