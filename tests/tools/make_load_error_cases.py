#!/usr/bin/env python3
"""Writes tests/cases/load-*/rules.json: the valid rule set tests/cases/deduct/rules.json with one
mistake each. The expected problems (rules.out.json) come from `UPDATE_EXPECT=1 cargo test --test
golden` and are reviewed by hand. Add a case by adding a line to CASES."""
import copy, json, os, pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "cases"
base = json.loads((root / "deduct" / "rules.json").read_text(encoding="utf-8"))

def items(r): return r["sections"][0]["items"]

def mutate(name, fn):
    r = copy.deepcopy(base)
    text = fn(r)
    d = root / f"load-{name}"
    d.mkdir(exist_ok=True)
    out = text if isinstance(text, str) else json.dumps(r, ensure_ascii=False, indent=1)
    (d / "rules.json").write_text(out + ("" if out.endswith("\n") else "\n"), encoding="utf-8")

def set_(path_fn):
    def f(r):
        path_fn(r)
    return f

CASES = {
    "sources-unknown-doc": lambda r: (r.update(documents=[{"id": "PT23", "title": "普陀区2023年安全生产工作意见"}, {"id": "PT23", "title": "重复"}]),
                                      items(r)[0].update(sources=[{"doc": "BS26", "quote": "工作要点"}, {"doc": "PT23"}]),
                                      items(r)[0].update(example="yes")),
    "unit-tags": lambda r: r.update(unit_tags=[{"id": "meetings", "label": "与输入项同名"}, {"id": "fire", "label": "消防"},
                                               {"id": "fire", "label": "重复"}, {"id": "2x", "label": "非法标识符"}, {"id": "if", "label": "保留字"}]),
    "input-applicable": lambda r: r["inputs"][1].update(applicable="meetings > "),
    "sections-sum": lambda r: r.update(full_score="25"),
    "items-sum": lambda r: items(r)[0].update(points="5"),
    "unknown-id": lambda r: items(r)[0]["deduct"][0].update({"if": "!plan_mad"}),
    "bool-as-number": lambda r: items(r)[1]["deduct"][0].update(per="plan_made * 2"),
    "number-as-bool": lambda r: items(r)[0]["deduct"][0].update({"if": "meetings"}),
    "grades-order": lambda r: r.update(grades=[{"name": "合格", "min": "12"}, {"name": "优秀", "min": "18"}, {"name": "不合格", "min": "0"}]),
    "grades-lowest": lambda r: r.update(grades=[{"name": "优秀", "min": "18"}, {"name": "合格", "min": "12"}]),
    "duplicate-ids": lambda r: (items(r)[1].update(id="1.1"), r["inputs"][1].update(id="plan_made")),
    "unknown-max": lambda r: r["inputs"][1].update(max="meeting_plan"),
    "unknown-max-grade": lambda r: r.update(vetoes=[{"id": "v", "title": "否优", "when": "interview", "effect": {"max_grade": "良"}}]),
    "unknown-field": lambda r: (items(r)[0].update(pionts="4"), r.update(titel="x")),
    "two-rules": lambda r: items(r)[0].update(formula="4"),
    "no-rule": lambda r: items(r)[0].pop("deduct"),
    "cap-on-formula": lambda r: r["sections"][0]["items"].__setitem__(5, {"id": "1.6", "title": "通报与约谈", "points": "2", "cap": "1", "formula": "if(notice, 1, 2) + if(interview, 0, 0)"}),
    "cap-too-big": lambda r: items(r)[2].update(cap="6"),
    "bad-decimal": lambda r: (items(r)[0].update(points="四"), items(r)[1].update(points=1e400 if False else "1e13")),
    "expr-syntax": lambda r: items(r)[1]["deduct"][0].update(per="max(4 - meetings, 0"),
    "expr-arity": lambda r: items(r)[1]["deduct"][0].update(per="max(4 - meetings) + abs(1, 2)"),
    "expr-too-deep": lambda r: items(r)[1]["deduct"][0].update(per="(" * 40 + "meetings" + ")" * 40),
    "expr-too-deep-unary": lambda r: items(r)[0]["deduct"][0].update({"if": "!" * 41 + "plan_made"}),
    "expr-hostile-nesting": lambda r: items(r)[1]["deduct"][0].update(per="(" * 100000 + "meetings" + ")" * 100000),
    "expr-div-zero": lambda r: (items(r)[1]["deduct"][0].update(per="max(4 - meetings, 0) / 0"),
                                items(r)[0]["deduct"][0].update({"if": "!plan_made || problems / (2 - 2) > 1"})),
    "expr-overflow": lambda r: items(r)[3]["deduct"][0].update(per="1000000000000*1000000000000*problems"),
    "expr-too-long": lambda r: items(r)[1]["deduct"][0].update(per="+".join(["meetings"] * 300)),
    "json-too-deep": lambda r: "[" * 100000 + "]" * 100000,
    "json-syntax": lambda r: json.dumps(r, ensure_ascii=False)[:-30],
    "not-rules": lambda r: json.dumps({"format": "kpi-submission/1", "values": {}}),
    "unused-input": lambda r: r["inputs"].append({"id": "spare", "label": "未使用的输入（项）", "type": "count"}),
    "rescale-with-out-of": lambda r: (r.update(not_applicable="rescale"), r["sections"][0].update(out_of="20")),
    "choice-option": lambda r: (r["inputs"].append({"id": "level", "label": "标准化等级", "type": "choice", "options": ["一级", "二级"]}),
                                items(r)[5]["deduct"].append({"if": "level == \"三级\"", "points": "1", "reason": "x"})),
    "text-in-expr": lambda r: (r["inputs"].append({"id": "remark", "label": "备注", "type": "text", "required": False}),
                               items(r)[5]["deduct"].append({"if": "remark", "points": "1", "reason": "x"})),
    "line-shape": lambda r: items(r)[0]["deduct"].append({"if": "notice", "per": "meetings", "points": "-1"}),
    "line-shape-unit": lambda r: items(r)[0]["deduct"][0].update(unit="项", free="1"),
    "veto-effect": lambda r: r.update(vetoes=[{"id": "v", "title": "否决", "when": "interview", "effect": "void"},
                                              {"id": "v2", "title": "降档", "when": "notice", "effect": {"lower_grades": 0}}]),
    "judged-input": lambda r: r["sections"][0]["items"].__setitem__(5, {"id": "1.6", "title": "评议", "points": "2", "judged": {"input": "notice"}}),
    "quota-grade": lambda r: r.update(quotas=[{"grade": "良好", "max_share": "0.3"}, {"grade": "优秀", "max_share": "1.5"}]),
    "input-bounds": lambda r: (r["inputs"][5].update(min="3", max="2"), r["inputs"][0].update(max="1"), r["inputs"][2].update(max="remarks")),
}

def duplicate_keys(r):
    # A second "when" in a veto (JSON readers keep the last one silently), and a repeated id in an item.
    r.update(vetoes=[{"id": "v", "title": "重大事故否决", "when": "interview", "effect": "fail"}])
    text = json.dumps(r, ensure_ascii=False, indent=1)
    text = text.replace('"when": "interview"', '"when": "interview",\n   "when": "false"')
    return text.replace('"id": "1.2",', '"id": "1.2", "id": "1.2b",', 1)
CASES["duplicate-keys"] = duplicate_keys

def text_controls(r):
    # Control characters that redraw a terminal line, reverse text or cut a string: refused in
    # names, reasons and ids; long texts keep line breaks and tabs, nothing else.
    items(r)[0]["title"] = "年度工作计划\r总分：100.00 等次：优秀"
    items(r)[0]["deduct"][0]["reason"] = "未制定\u001b[2J计划"
    items(r)[1]["basis"] = "每季度至少召开1次，\n\t每少1次扣1分"
    items(r)[2]["basis"] = "迟报一次扣1分\u202e分2扣次一报谎"
    r["unit_kind"] = "subdistrict\u0000"
    r["inputs"][6]["label"] = "被通报批评\u0085"
    r["grades"][1]["name"] = "合\u2066格"
CASES["text-control"] = text_controls

def lookalike_ids(r):
    # Ids that look the same are the same: case, full width, ideographic space; ids with invisible
    # characters or white space at either end are refused.
    items(r)[1]["id"] = "１．１"                      # full-width 1.1
    r["inputs"].append({"id": "Meetings", "label": "会议", "type": "count"})  # meetings in another case
    r["sections"][0]["id"] = "s\u200b"              # zero-width space
    items(r)[2]["id"] = " 1.3"
    r["grades"][1]["name"] = "优秀 "
    r["grades"][2]["name"] = "ＵＮ"
    r["grades"].insert(2, {"name": "un", "min": "6"})
    r["inputs"][5]["section"] = "s\ufeff"
    r["documents"] = [{"id": "BS26", "title": "宝山"}, {"id": "bs26", "title": "重复"}]
CASES["lookalike-ids"] = lookalike_ids

# Issue 14: record lists, line groups, bounds, vetoes without grades, judged aggregates, embedded tests.
ACC = {"id": "acc", "label": "事故明细", "type": "records", "unit": "起",
       "fields": [{"id": "date", "label": "日期", "type": "date"}, {"id": "deaths", "label": "死亡（人）", "type": "count"}]}
def with_records(r, *lines):
    r["inputs"].append(copy.deepcopy(ACC))
    items(r)[5]["deduct"].extend(lines)
CASES.update({
    "records-fields": lambda r: r["inputs"].extend([
        {"id": "acc", "label": "事故明细", "type": "records", "min_rows": 3, "max_rows": 2, "describe": ["where"],
         "fields": [{"id": "d", "label": "死亡（人）", "type": "count", "max": "meetings"},
                    {"id": "d", "label": "重复", "type": "count"},
                    {"id": "sub", "label": "嵌套", "type": "records"}]},
        {"id": "empty", "label": "无字段明细", "type": "records", "max_rows": 5000},
        {"id": "flat", "label": "普通输入", "type": "count", "fields": [], "describe": []}]),
    "records-usage": lambda r: with_records(r,
        {"if": "acc > 0", "points": "1", "reason": "明细当作数值"},
        {"if": "count(acc, count(acc, deaths > 0) > 1)", "points": "1", "reason": "嵌套明细函数"},
        {"if": "any(meetings, deaths > 0)", "points": "1", "reason": "any 的第1个参数不是明细"},
        {"per": "sum(acc, deaths > 1)", "points": "1", "reason": "sum 的条件不是数值"},
        {"each": "acc", "if": "deaths > 0 && date", "points": "1", "reason": "日期不能参与计分"}),
    "line-each": lambda r: with_records(r,
        {"each": "meetings", "if": "true", "points": "1", "reason": "each 不是明细"},
        {"each": "acc", "amount": "deaths", "points": "2", "reason": "amount 不设 points"},
        {"each": "acc", "tiers": [], "reason": "没有档"},
        {"each": "acc", "if": "deaths > 0", "per": "deaths", "amount": "deaths", "points": "1", "reason": "多种写法"}),
    "line-group": lambda r: items(r)[5]["deduct"].extend([
        {"group": "（一）通报", "lines": []},
        {"group": "（二）约谈", "lines": [{"group": "嵌套", "lines": [{"if": "interview", "points": "1", "reason": "x"}]}]}]),
    "grades-overlap": lambda r: r.update(grades=[{"name": "优秀", "over": "18"}, {"name": "良好", "min": "18"},
                                                 {"name": "合格", "min": "12"}, {"name": "基本合格", "min": "12"},
                                                 {"name": "较差", "over": "12"}, {"name": "不合格", "over": "0"}]),
    "band-point": lambda r: (items(r)[1].pop("deduct"), items(r)[1].update(bands={"value": "meetings", "bands": [
        {"min": "0", "upto": "2", "score": "0"}, {"min": "2", "under": "4", "score": "2"},
        {"over": "4", "max": "6", "score": "3"}, {"min": "6", "over": "6", "score": "3"}]})),
    "rate-bounds": lambda r: (items(r)[1].pop("deduct"), items(r)[1].update(rate={
        "value": "meetings", "above": "4", "below": "2", "mode": "step", "step": "1", "points_per_step": "1"}),
        items(r)[2].pop("deduct"), items(r)[2].update(rate={"value": "late", "below": "1", "direction": "higher",
                                                             "mode": "proportional"})),
    "no-grades": lambda r: r.update(grades=[], quotas=[{"grade": "优秀", "max_share": "0.3"}],
                                    vetoes=[{"id": "v1", "title": "不合格", "when": "interview", "effect": "fail"},
                                            {"id": "v2", "title": "降档", "when": "notice", "effect": {"lower_grades": 1}},
                                            {"id": "v3", "title": "否优", "when": "notice", "effect": {"max_grade": "优秀"}},
                                            {"id": "v4", "title": "排名", "when": "notice", "effect": "ungraded", "ranking": "first"}]),
    "judged-aggregate": lambda r: (r["inputs"].extend([
        {"id": "panel", "label": "评议分（分）", "type": "number", "multiple": True},
        {"id": "one", "label": "单人评议（分）", "type": "number"},
        {"id": "opt", "label": "选填评议（分）", "type": "number", "multiple": True, "required": False},
        {"id": "cnt", "label": "计数评议", "type": "count", "multiple": True}]),
        r["sections"][0]["items"].__setitem__(5, {"id": "1.6", "title": "评议", "points": "2", "judged": {"input": "panel"}}),
        r["sections"].append({"id": "s2", "title": "评议", "points": "2", "items": [
            {"id": "2.1", "title": "评议二", "points": "1", "judged": {"input": "one", "aggregate": "mean"}},
            {"id": "2.2", "title": "评议三", "points": "1", "formula": "opt + cnt"}]}),
        r.update(full_score="22")),
    "tests-unknown": lambda r: r.update(tests=[{"name": "笔误", "values": {"meeting": 4, "plan_made": True},
                                                "not_applicable": {"1.9": "x"},
                                                "expect": {"grade": "良好", "items": {"1.7": "1"}, "vetoes": ["v9"]}}]),
    # Issue 13's checks on issue 14's parts: record field ids compared after the look-alike fold, a
    # row expression's constant parts checked like any other's, no control characters in a field's
    # label or a group's heading.
    "records-checks": lambda r: with_records(r,
        {"group": "（一）\u001b[2J事故", "lines": [
            {"each": "acc", "if": "deaths > 0", "points": "1", "reason": "死亡事故"}]},
        {"per": "sum(acc, deaths / (1 - 1))", "points": "1", "reason": "常量除数"},
        {"if": "count(acc, Deaths > 1000000000000 * 1000000000000)", "points": "1", "reason": "常量溢出"}) or
        r["inputs"][-1]["fields"].extend([{"id": "Deaths", "label": "死亡\u202e（人）", "type": "count"},
                                           {"id": "ｄａｔｅ", "label": "日期", "type": "date"}]),
    "lints-after-typo": lambda r: (items(r)[0]["deduct"][0].update({"if": "!plan_mad"}), items(r)[1].update(points="4"),
                                   r.update(grades=[{"name": "合格", "min": "12"}, {"name": "优秀", "min": "18"}, {"name": "不合格", "min": "0"}])),
})

bands_base = {"value": "meetings", "bands": [{"min": "0", "max": "2", "score": "0"}, {"min": "2", "max": "4", "score": "2"}, {"min": "4", "score": "3"}]}
def bands(bs):
    def f(r):
        b = copy.deepcopy(bands_base); b["bands"] = bs
        items(r)[1].pop("deduct"); items(r)[1]["bands"] = b
    return f
CASES["band-gap"] = bands([{"min": "0", "max": "2", "score": "0"}, {"min": "3", "max": "4", "score": "2"}, {"min": "4", "score": "3"}])
CASES["band-overlap"] = bands([{"min": "0", "max": "3", "score": "0"}, {"min": "2", "max": "4", "score": "2"}, {"min": "4", "score": "5"}])

for name, fn in CASES.items():
    mutate(name, fn)
print(f"{len(CASES)} load-error cases written")
