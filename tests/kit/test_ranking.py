"""Ranking templates for a post, pure (PROTOCOL section 2): language and platform first, then TF-IDF similarity of
words in any script, ties broken by name then id."""

import math

from kit.ranking import Candidate, Post, rank, similarities, words


def template(id, name, text, *, language="en", platforms=(), tags=()):
    return Candidate(id=id, name=name, language=language, platforms=tuple(platforms), tags=tuple(tags), text=text)


def names(ranked):
    return [t.name for t in ranked]


def test_words_are_case_folded_in_any_script_without_placeholders_or_one_letter_pieces():
    assert words("Hi {persona.name}, L'ATTENTE est longue [[heure]]") == ["hi", "attente", "est", "longue", "heure"]
    assert words("שלום {brand.name}: התשלום נכשל, ו נעדכן") == ["שלום", "התשלום", "נכשל", "נעדכן"]


def test_similarity_is_the_cosine_of_smoothed_tf_idf_vectors():
    library = [
        template(1, "A", "outage outage sorry"),
        template(2, "B", "outage update"),
        template(3, "C", "thanks"),
    ]
    # Three templates: "outage" is in two (idf ln(4/3)+1), every other word in one (idf ln(4/2)+1).
    common, rare = math.log(4 / 3) + 1, math.log(2) + 1

    scores = similarities(Post(language="en", platform="x", text="Outage!"), library)

    assert math.isclose(scores[1], 2 * common / math.sqrt(4 * common**2 + rare**2))
    assert math.isclose(scores[2], common / math.sqrt(common**2 + rare**2))
    assert scores[3] == 0.0


def test_tags_count_as_words_of_the_template():
    library = [
        template(1, "A", "We are looking into it."),
        template(2, "B", "We are looking into it.", tags=["refund"]),
    ]

    scores = similarities(Post(language="en", platform="x", text="I want a refund"), library)

    # Five words both templates have (idf ln(3/3)+1 = 1), and "refund", the only word of the post either has.
    refund = math.log(3 / 2) + 1
    assert scores[1] == 0.0
    assert math.isclose(scores[2], refund / math.sqrt(5 + refund**2))


def test_the_posts_language_comes_first_then_its_platform_then_similarity():
    post = Post(language="he", platform="x", text="התשלום נכשל שוב")
    library = [
        template(1, "English, same words", "התשלום נכשל", language="en"),
        template(2, "Hebrew for Facebook", "התשלום נכשל", language="he", platforms=["facebook"]),
        template(3, "Hebrew for every platform", "אנחנו בודקים", language="he"),
        template(4, "Hebrew for X, close", "התשלום נכשל, אנחנו בודקים", language="he-IL", platforms=["x", "facebook"]),
    ]

    assert names(rank(post, library)) == [
        "Hebrew for X, close",
        "Hebrew for every platform",
        "Hebrew for Facebook",
        "English, same words",
    ]


def test_french_words_rank_the_closer_template_first():
    post = Post(language="fr", platform="facebook", text="Ma commande est bloquée depuis hier, remboursement ?")
    library = [
        template(1, "Attente", "Merci de votre patience, nous revenons vers vous.", language="fr"),
        template(2, "Remboursement", "Votre commande sera remboursée : [[délai]].", language="fr", tags=["commande"]),
    ]

    assert names(rank(post, library)) == ["Remboursement", "Attente"]


def test_ties_are_broken_by_name_then_id_whatever_the_input_order():
    post = Post(language="en", platform="x", text="nothing in common")
    library = [
        template(7, "beta", "Hello"),
        template(3, "Alpha", "Hello"),
        template(9, "alpha", "Hello"),
        template(2, "Alpha", "Hello"),
    ]

    ranked = rank(post, library)

    assert [(t.name, t.id) for t in ranked] == [("Alpha", 2), ("Alpha", 3), ("alpha", 9), ("beta", 7)]
    assert rank(post, list(reversed(library))) == ranked


def test_an_empty_library_ranks_nothing():
    assert rank(Post(language="en", platform="x", text="anything"), []) == []
