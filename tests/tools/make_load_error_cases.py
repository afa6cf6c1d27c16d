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
