"""The articles glossary names need in English (vnsum.articles), alone and through the Translator."""

import pytest

from vnsum import Translator
from vnsum.articles import complete

from fakes import CopyBackend

MPS = ("Ministry of Public Security", "org")
COMMISSION = ("Party Central Committee's Commission for Mass Mobilisation", "org")


@pytest.mark.parametrize("text, expected", [
    ("Ministry of Public Security held a conference.", "The Ministry of Public Security held a conference."),
    ("“Ministry of Public Security held it.”", "“The Ministry of Public Security held it.”"),
    ("On 14 April 2022, at Ha Noi, Ministry of Public Security met.",
     "On 14 April 2022, at Ha Noi, the Ministry of Public Security met."),
    ("Officers of Ministry of Public Security attended.", "Officers of the Ministry of Public Security attended."),
    ("He visited Ministry of Public Security.", "He visited the Ministry of Public Security."),
    ("It was Ministry of Public Security.", "It was the Ministry of Public Security."),
    ("He stressed: “Ministry of Public Security must act.”", "He stressed: “The Ministry of Public Security must act.”"),
    ("It met (Ministry of Public Security) today.", "It met (the Ministry of Public Security) today."),
])
def test_an_institution_gets_the_where_running_english_needs_it(text, expected):
    assert complete(text, [MPS]) == expected


@pytest.mark.parametrize("text", [
    "The Ministry of Public Security held a conference.",
    "He thanked the Ministry of Public Security.",
    "Vietnam's Ministry of Public Security held it.",
    "Its Ministry of Public Security held it.",
    "The former Ministry of Public Security building stood here.",
    "A former Ministry of Public Security official spoke.",
])
def test_a_determiner_possessive_or_modifier_already_there_is_left_alone(text):
    assert complete(text, [MPS]) == text


def test_a_headline_keeps_headline_style():
    headline = "Ministry of Public Security and Party Central Committee's Commission for Mass Mobilisation sign"
    assert complete(headline, [MPS, COMMISSION]) == headline


def test_a_title_directly_before_the_body_it_heads_gets_of_the():
    text = "Pham Tat Thang, Standing Deputy Head Party Central Committee's Commission for Mass Mobilisation, spoke."
    assert complete(text, [("Standing Deputy Head", "title"), COMMISSION]) == (
        "Pham Tat Thang, Standing Deputy Head of the Party Central Committee's Commission for Mass "
        "Mobilisation, spoke.")
    assert complete("He is Director of Ministry of Public Security.", [("Director", "title"), MPS]) == (
        "He is Director of the Ministry of Public Security.")
    assert complete("He is Director the Ministry of Public Security.", [("Director", "title"), MPS]) == (
        "He is Director of the Ministry of Public Security.")


def test_a_numbered_congress_gets_the_and_a_resolution_of_it_of_the():
    # vnsum-mini wrote "the Resolution 12th National Party Congress" for "Nghị quyết Đại
    # hội toàn quốc lần thứ XII của Đảng".
    names = [("Resolution", "term"), ("12th National Party Congress", "term"),
             ("8th plenum of the 13th Party Central Committee", "term")]
    assert complete("In 2016, the Resolution 12th National Party Congress was applied.", names) == (
        "In 2016, the Resolution of the 12th National Party Congress was applied.")
    assert complete("It was decided at 12th National Party Congress.", names) == (
        "It was decided at the 12th National Party Congress.")
    assert complete("8th plenum of the 13th Party Central Committee opened.", names) == (
        "The 8th plenum of the 13th Party Central Committee opened.")
    assert complete("Its conference was held.", [("conference", "term")]) == "Its conference was held."


def test_the_congress_an_article_reports_gets_the_but_a_movement_keeps_what_the_model_wrote():
    # vnsum-mini wrote "ensures great security for Congress" for "… cho Đại hội".
    assert complete("The Command ensured security for Congress.", [("Congress", "term")]) == (
        "The Command ensured security for the Congress.")
    assert complete("It joined National Party Congress.", [("National Party Congress", "term")]) == (
        "It joined the National Party Congress.")
    # the conference an article reports ("Hội nghị"): vnsum-mini wrote "Speaking at conference"
    names = [("conference", "term"), ("press conference", "term")]
    assert complete("Speaking at conference, he stressed it.", names) == "Speaking at the conference, he stressed it."
    assert complete("Conference opened in Ha Noi.", names) == "The conference opened in Ha Noi."
    assert complete("It was said at a press conference.", names) == "It was said at a press conference."
    assert complete("It needs construction of All People Protect National Security movement.",
                    [("All People Protect National Security movement", "term")]) == (
        "It needs construction of the All People Protect National Security movement.")
    text = 'It launched "Skilful Mass Mobilisation" in 2022.'
    assert complete(text, [("Skilful Mass Mobilisation", "term")]) == text


def test_an_institution_inside_a_longer_rendering_is_part_of_it():
    text = "To Lam, Politburo member, spoke."
    assert complete(text, [("Politburo", "org"), ("Politburo member", "title")]) == text
    assert complete("It met, Politburo said.", [("Politburo", "org")]) == "It met, the Politburo said."


def test_generic_lower_case_bodies_and_other_kinds_are_not_touched():
    text = "It was sent to provincial police and Ha Noi."
    assert complete(text, [("provincial police", "org"), ("Ha Noi", "place")]) == text


def test_the_translator_completes_english_output_but_not_vietnamese():
    english = Translator(backend=CopyBackend()).translate("Bộ Công an tổ chức họp.", "vi", "en")
    assert english == "The Ministry of Public Security tổ chức họp."
    vietnamese = Translator(backend=CopyBackend()).translate("Officers of the Ministry of Public Security met.",
                                                             "en", "vi")
    assert vietnamese == "Officers of the Bộ Công an met."


def test_a_dateline_follows_the_bodys_date_style():
    result = Translator(backend=CopyBackend()).translate_document("14/04/2022\n\nNgày 14/4/2022, trời mưa.\n")
    assert result.text.splitlines()[0] == "14 April 2022"
    assert result.segments[0].level == "ok"
    assert Translator(backend=CopyBackend(), glossary=None).translate("14/04/2022") == "14/04/2022"
    assert Translator(backend=CopyBackend()).translate("14 April 2022", "en", "vi") == "14/4/2022"
    assert Translator(backend=CopyBackend()).translate("https://x.vn/a/14/04/2022") == "https://x.vn/a/14/04/2022"



def test_both_names_stay_whole_as_the_term_report_says_they_were_applied():
    title = ("Permanent Deputy Minister", "title")
    assert complete("He is Permanent Deputy Minister Ministry of Public Security.", [title, MPS]) == (
        "He is Permanent Deputy Minister of the Ministry of Public Security.")


def test_a_name_ending_in_s_takes_the_apostrophe_alone():
    # vnsum-mini wrote "mass mobilisation commissions at all levels's" in the real article.
    names = [("mass mobilisation commissions at all levels", "term"), ("Ministry of Foreign Affairs", "org")]
    assert complete("It needs mass mobilisation commissions at all levels's support.", names) == (
        "It needs mass mobilisation commissions at all levels' support.")
    assert complete("Ministry of Foreign Affairs’s spokesperson", names) == "Ministry of Foreign Affairs’ spokesperson"
    text = "The Ministry of Public Security's officers met."
    assert complete(text, [("Ministry of Public Security", "org")]) == text
