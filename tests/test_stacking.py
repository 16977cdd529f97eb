"""The reader's glossary on top of vn-gov: file formats, stacking, overrides, checks."""

import pytest

from vnsum import Glossary
from vnsum.cli import main
from vnsum.cli.options import add_glossary_options, glossary_from
from vnsum.errors import GlossaryError
from vnsum.stacking import check_stack, load_stack, stack


def found(g, text, src="vi", tgt="en"):
    return [(m.text, m.target) for m in g.find(text, src, tgt)]


@pytest.fixture
def mine(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("Bộ Công an\tMPS\nbuổi lễ\tceremony\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name, body", [
    ("two.tsv", "Bộ Công an\tMPS\nhội nghị\tconference\n"),
    ("named.tsv", "vi\ten\nBộ Công an\tMPS\nhội nghị\tconference\n"),
    ("plain.csv", "Bộ Công an,MPS\nhội nghị,conference\n"),
    ("header.csv", 'vi,en,source\nBộ Công an,MPS,"style guide, p. 2"\nhội nghị,conference,\n'),
    ("excel.csv", "vi;en\nBộ Công an;MPS\nhội nghị;conference\n"),
])
def test_two_column_and_csv_files_are_read_as_terms(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    g = Glossary.load(path)
    assert [(e.vi, e.en, e.kind) for e in g.entries] == [("Bộ Công an", "MPS", "term"),
                                                         ("hội nghị", "conference", "term")]


def test_a_two_column_file_with_a_third_column_says_which_line(tmp_path):
    path = tmp_path / "two.tsv"
    path.write_text("Bộ Công an\tMPS\nhội nghị\tconference\torg\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"two.tsv:2: expected 2 tab-separated columns, found 3"):
        Glossary.load(path)


def test_later_glossary_wins_per_term_and_is_reported(mine):
    stacked = load_stack(["vn-gov", mine])
    assert found(stacked.glossary, "Bộ Công an tổ chức buổi lễ tại Hà Nội.") == [
        ("Bộ Công an", "MPS"), ("buổi lễ", "ceremony"), ("Hà Nội", "Ha Noi")]
    assert [(o.term, o.kept.en, o.kept_from, o.replaced.en, o.replaced_from) for o in stacked.overrides] == [
        ("Bộ Công an", "MPS", "mine", "Ministry of Public Security", "vn-gov")]
    assert stacked.glossary.name == "vn-gov+mine"
    assert len(stacked.glossary.entries) == len(Glossary.load("vn-gov").entries) + 1


def test_the_later_glossary_also_wins_english_forms():
    from vnsum.glossary import Entry

    gov = Glossary([Entry("Cục trưởng", "Director", "title")], name="gov")
    ours = Glossary([Entry("Giám đốc", "Director", "title")], name="ours")
    assert found(stack([gov, ours]).glossary, "The Director spoke.", "en", "vi")[0] == ("Director", "Giám đốc")
    assert stack([gov]).glossary is gov


def test_cli_glossary_option_repeats_and_reports_overrides(mine, capsys):
    import argparse

    p = argparse.ArgumentParser()
    add_glossary_options(p)
    g = glossary_from(p.parse_args(["-g", "vn-gov", "-g", str(mine)]))
    assert found(g, "Bộ Công an") == [("Bộ Công an", "MPS")]
    assert "glossary mine overrides vn-gov: 'Bộ Công an' is 'MPS'" in capsys.readouterr().err
    assert glossary_from(p.parse_args([])).name == "vn-gov"
    assert glossary_from(p.parse_args(["--no-glossary"])) is None


def test_check_reports_conflicts_between_stacked_files(mine, capsys):
    warnings = [(path.name, p.line, p.message) for path, p in check_stack(["vn-gov", mine]) if p.level == "warning"]
    assert len(warnings) == 1
    name, line, message = warnings[0]
    assert (name, line) == ("mine.tsv", 1)
    assert message.startswith("'Bộ Công an' is 'MPS' here and 'Ministry of Public Security' in ")
    assert message.endswith("; stacked after it, this file wins")
    assert main(["glossary", "check", "vn-gov", str(mine)]) == 0
    assert f"{mine}:line 1: warning: 'Bộ Công an' is 'MPS' here" in capsys.readouterr().out
