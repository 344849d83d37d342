"""Loose name keys: remembered per text, never confused between values that compare equal."""

from __future__ import annotations

from dealtrack.imports.values import name_key


def test_names_compare_loosely():
    assert name_key("GTX Pro") == name_key("GTXPro") == name_key("ｇｔｘ＿ｐｒｏ") == "gtxpro"
    assert name_key(" 华为 科技（深圳） ") == "华为科技深圳"


def test_equal_numbers_of_other_types_keep_their_own_keys():
    keys = [name_key(1), name_key(1.0), name_key(True), name_key("1")]

    assert keys == ["1", "10", "true", "1"]
    assert [name_key(True), name_key(1.0), name_key(1)] == ["true", "10", "1"]  # asked again, in another order
