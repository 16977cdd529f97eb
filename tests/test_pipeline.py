"""The article pipeline and its renderings, with a fake backend so every check is exact."""

import json

import pytest

from vnsum import Translator
from vnsum.cli import main
from vnsum.pipeline import SUMMARIZE, TRANSLATE, Pipeline, split_title
from vnsum.report import to_html, to_markdown

from fakes import CopyBackend


@pytest.fixture
def pipeline():
    return Pipeline(Translator(backend=CopyBackend()))


def test_title_is_translated_on_its_own(pipeline, article):
    result = pipeline.process(article)
    assert result.title == article.splitlines()[0]
    assert result.title_translation.startswith("Ministry of Public Security và Party Central Committee's")
    assert not result.translation.source.startswith(result.title)
    assert [t.source for t in result.title_terms] == ["Bộ Công an", "Ban Dân vận Trung ương"]


def test_english_summary_is_the_translation_of_the_chosen_sentences(pipeline, article):
    result = pipeline.process(article, sentences=2)
    segments = result.translation.segments
    assert result.summary_vi.sentences == [segments[i].source for i in result.summary_vi.indices]
    assert result.summary_en.sentences == [segments[i].target for i in result.summary_vi.indices]
    assert "Ministry of Public Security" in result.summary_en.text  # glossary kept in the summary
    assert "Bộ Công an" in result.summary_vi.text


def test_en_to_vi_mirror(pipeline):
    text = ("Ministry of Public Security holds conference\n\n"
            "On 20 January 2026, the Ministry of Public Security held a conference in Ha Noi on security work. "
            "General To Lam chaired the conference and praised the People's Public Security Force.\n")
    result = pipeline.process(text, src="en", sentences=1)
    assert result.src == "en" and result.tgt == "vi"
    assert result.summary_en.lang == "en" and result.summary_vi.lang == "vi"
    assert "Bộ Công an" in result.summary_vi.text
    assert result.title_translation == "Bộ Công an holds Hội nghị"  # the copy backend; "conference" a genre term


def test_other_summary_modes(article):
    backend = CopyBackend()
    translated = Pipeline(Translator(backend=backend), other_summary=TRANSLATE).process(article, sentences=1)
    assert translated.summary_en.method == "extractive+translation"
    assert len(backend.calls) == 2  # the article, then the summary on its own
    expected = Translator(backend=CopyBackend()).translate(translated.summary_vi.sentences)
    assert translated.summary_en.sentences == expected
    summarized = Pipeline(Translator(backend=CopyBackend()), other_summary=SUMMARIZE).process(article, sentences=1)
    assert summarized.summary_en.method == "extractive" and len(summarized.summary_en.sentences) == 1


def test_split_title():
    assert split_title("\n\n  Tiêu đề  \nThân bài.\n") == ("Tiêu đề", "Thân bài.\n")
    assert split_title("   \n") == ("", "")
    assert split_title("Tiêu đề\n\n \nThân bài.\n\nĐoạn hai.\n") == ("Tiêu đề", "Thân bài.\n\nĐoạn hai.\n")
    assert split_title("Tiêu đề\n\n") == ("Tiêu đề", "")
    # a saved page's menus are not its title: they stay above the body, kept as written
    assert split_title("Trang chủ > Tin tức\nTìm kiếm\nTiêu đề\n\nThân bài.\n") == (
        "Tiêu đề", "Trang chủ > Tin tức\nTìm kiếm\nThân bài.\n")
    assert split_title("Lượt xem: 3\n") == ("", "Lượt xem: 3\n")


def test_renderings(pipeline, article):
    result = pipeline.process(article)
    md = to_markdown(result)
    for heading in ("## Summary (English)", "## Tóm tắt (tiếng Việt)", "## Full translation", "## Glossary terms"):
        assert heading in md
    assert md.index("## Summary (English)") < md.index("## Tóm tắt") < md.index("## Full translation")
    assert "| Ban Dân vận Trung ương | Party Central Committee's Commission for Mass Mobilisation | org | applied |" in md
    page = to_html(result)
    assert '<mark class="applied" title="glossary term: applied">Bộ Công an</mark>' in page
    assert '<mark class="applied" title="glossary term: applied">Ministry of Public Security</mark>' in page
    assert "Party Central Committee&#x27;s" in page  # escaped
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["summary_en"]["text"] == result.summary_en.text and data["title"] == result.title


def test_process_cli_folder_all_formats(with_models, tmp_path, capsys):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "bai.vi.txt").write_text(
        "Tiêu đề\n\nBộ Công an tổ chức hội nghị tổng kết công tác năm 2025 tại Hà Nội.\n", encoding="utf-8")
    for fmt, suffix in (("md", ".md"), ("json", ".json"), ("html", ".html")):
        code = main(["process", str(inbox), "-o", str(tmp_path / fmt), "--format", fmt, "-q", "--beam-size", "1"])
        assert code == 0
        assert (tmp_path / fmt / f"bai.en{suffix}").stat().st_size > 0
    data = json.loads((tmp_path / "json" / "bai.en.json").read_text(encoding="utf-8"))
    assert data["summary_vi"]["sentences"] == ["Bộ Công an tổ chức hội nghị tổng kết công tác năm 2025 tại Hà Nội."]
    assert data["models"]["translation"].startswith("opus-mt")


def test_summarize_cli(tmp_path, capsys, article):
    path = tmp_path / "a.vi.txt"
    path.write_text(article, encoding="utf-8")
    assert main(["summarize", str(path), "-l", "vi", "--sentences", "2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "extractive" and len(data["sentences"]) == 2
    with pytest.raises(SystemExit) as exc:  # checked by argparse (tests/test_cli_contract.py)
        main(["summarize", str(path), "--sentences", "0"])
    assert exc.value.code == 2


def test_pipeline_is_exported_and_takes_names_as_the_cli_does(article):
    from vnsum import Pipeline as Exported

    lead = Exported(Translator(backend=CopyBackend()), summarizer="lead").process(article, sentences=1)
    assert lead.summary_vi.method == "lead" and lead.models["summarizer"] == "lead"
    assert Exported("opus-mt").translator.model == "opus-mt"  # a name: loaded on first use
