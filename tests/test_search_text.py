"""The text Pagefind indexes: overlapping character pairs (site_builder/outputs/search/text.py)."""

from __future__ import annotations

import re

from site_builder.outputs.search.text import document_text, pairs


def test_a_run_becomes_its_overlapping_pairs_and_its_last_character():
    assert pairs("市司法局") == "市司 司法 法局 局"
    assert pairs("局") == "局"


def test_punctuation_is_a_word_of_its_own_so_no_phrase_crosses_it():
    assert pairs("程序化，市司法局。") == "程序 序化 化 ， 市司 司法 法局 局 。"


def test_spaces_end_a_run():
    assert pairs("GB/T 19001") == "GB B / T 19 90 00 01 1"


def test_brackets_next_to_a_digit_stay_in_the_run_shown_but_not_indexed():
    """Any bracket form of a 文号 gives the same index words (Pagefind drops the brackets)."""
    forms = [
        "滨政办发〔2006〕4号",
        "滨政办发[2006]4号",
        "滨政办发(2006)4号",
        "滨政办发（2006）4号",
        "滨政办发【2006】4号",
    ]
    assert pairs(forms[0]) == "滨政 政办 办发 发2 〔20 00 06 64 〕4号 号"
    indexed = {re.sub(r"[^\w ]", "", pairs(f)) for f in forms}
    assert indexed == {"滨政 政办 办发 发2 20 00 06 64 4号 号"}


def test_brackets_away_from_digits_end_a_run():
    assert pairs("市司法局（市法制办）") == "市司 司法 法局 局 （ 市法 法制 制办 办 ）"


def test_full_width_letters_and_digits_are_normalised():
    assert pairs("ＰＭ２.５") == "PM M2 2 . 5"


def test_inline_markup_does_not_split_a_run_and_blocks_do():
    html = "<p>行政<b>复议</b><a href='x'>决定</a></p><p>书</p>"
    assert document_text(html) == "<p>行政 政复 复议 议决 决定 定| </p><p>书| </p>"


def test_title_and_doc_number_keep_their_own_text_for_the_result_and_filter():
    html = (
        '<div data-pagefind-body><h1>关于A&amp;B的通知</h1><dd><span data-pagefind-meta="docno" '
        'data-pagefind-filter="文号">滨政发〔2016〕12号</span></dd></div>'
    )
    out = document_text(html)
    assert '<h1 data-pagefind-meta="title" data-pagefind-ignore>关于A&amp;B的通知</h1><h1>关于 于A A &amp; B的' in out
    assert (
        '<span data-pagefind-meta="docno" data-pagefind-filter="文号" data-pagefind-ignore>滨政发〔2016〕12号</span>'
        "滨政 政发 发2 〔20 01 16 61 〕12 2号 号" in out
    )


def test_the_permanent_link_after_a_heading_is_left_out():
    assert document_text('<h2 id="x">总则<a class="headerlink" href="#x">¶</a></h2>') == '<h2 id="x">总则 则| </h2>'


def test_spaces_and_block_ends_are_kept_for_the_excerpt():
    """Search excerpts read "发布日期 2021年11月5日 10:40", "Pagefind 1.4"; a "|" of the page is kept."""
    html = "<dt>发布日期</dt><dd>2021年11月5日 10:40</dd><p>用 Pagefind 1.4，A | B。</p>"
    assert document_text(html) == (
        "<dt>发布 布日 日期 期| </dt><dd>20 02 21 1年 年1 11 1月 月5 5日 日| 10 0 : 40 0| </dd>"
        "<p>用| Pa ag ge ef fi in nd d| 1 . 4 ， A| || B 。| </p>"
    )
