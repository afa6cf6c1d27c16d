"""Helpers shared by the rule-set sources in this folder.

The rule sets are written as Python so that points, ids and quotes stay consistent; the JSON files in
rules/ are what ships (python3 rules/src/build.py writes them). Every `src(doc, quote)` is checked
here, when the rule set is built, against the document's text in docs/sources/ (whitespace ignored,
as tests/tools/check_sources.py does), so a quote that is not the document's exact words fails the
build at once.
"""
import copy
import functools
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]

# The five public source documents (docs/sources/README.md lists them with the same data).
DOCUMENTS = [
    {"id": "BS26", "title": "宝山区应急管理局2026年工作要点", "number": "宝应急〔2026〕2号",
     "issuer": "上海市宝山区应急管理局", "date": "2026-04-08",
     "file": "docs/sources/BS26-宝山区应急管理局2026年工作要点.txt"},
    {"id": "SJ26", "title": "松江区应急管理局2026年工作要点", "number": "沪松应急局〔2026〕1号",
     "issuer": "上海市松江区应急管理局", "date": "2026-01-21",
     "file": "docs/sources/SJ26-松江区应急管理局2026年工作要点.txt"},
    {"id": "PT25", "title": "上海市普陀区应急管理局2025年工作要点", "number": "普应急〔2025〕8号",
     "issuer": "上海市普陀区应急管理局", "date": "2025-03-28",
     "file": "docs/sources/PT25-普陀区应急管理局2025年工作要点.txt"},
    {"id": "YP14", "title": "杨浦区应急管理“十四五”规划", "number": "杨府发〔2021〕13号",
     "issuer": "上海市杨浦区人民政府", "date": "2021-09-26",
     "file": "docs/sources/YP14-杨浦区应急管理十四五规划.txt"},
    {"id": "PT23", "title": "普陀区2023年安全生产工作意见（附件：区政府领导2023年安全生产重点工作责任清单）",
     "number": "普安委〔2023〕4号", "issuer": "上海市普陀区安全生产委员会", "date": "2023-08-01",
     "file": "docs/sources/PT23-普陀区2023年安全生产工作意见.txt"},
]
DOC_IDS = [d["id"] for d in DOCUMENTS]

SPACE = re.compile(r"\s+")


def squeeze(text):
    """The text without any white space (line breaks inside sentences, page breaks, table tabs)."""
    return SPACE.sub("", text)


@functools.lru_cache(maxsize=None)
def doc_text(doc):
    d = next(d for d in DOCUMENTS if d["id"] == doc)
    return squeeze((ROOT / d["file"]).read_text(encoding="utf-8"))


def src(doc, quote):
    """A source reference {doc, quote}; the quote must be the document's exact words."""
    if doc not in DOC_IDS:
        raise ValueError(f"unknown document {doc}")
    if not squeeze(quote) or squeeze(quote) not in doc_text(doc):
        raise ValueError(f"{doc}: quote not found verbatim: {quote}")
    return {"doc": doc, "quote": quote}


def BS(q): return src("BS26", q)
def SJ(q): return src("SJ26", q)
def PT25(q): return src("PT25", q)
def YP(q): return src("YP14", q)
def PT23(q): return src("PT23", q)


def _srcs(sources):
    if isinstance(sources, dict):
        return [sources]
    return list(sources)


def I(id, label, type, section, **kw):
    d = {"id": id, "label": label, "type": type}
    if section:
        d["section"] = section
    d.update(kw)
    return d


def item(id, title, points, basis, sources, example=False, **rule):
    """An item: `sources` (one src or a list), `example` when a threshold or point value here is the
    author's (示例值), then exactly one scoring rule (deduct=…, rate=…, bands=…, judged=…, formula=…)
    and optional applicable/cap/combine."""
    d = {"id": id, "title": title, "points": points, "basis": basis}
    if example:
        d["example"] = True
    for k in ("applicable", "cap", "combine"):
        if k in rule:
            d[k] = rule.pop(k)
    d.update(rule)
    d["sources"] = _srcs(sources)
    return d


def _line(d, sources, example):
    if example:
        d["example"] = True
    if sources:
        d["sources"] = _srcs(sources)
    return d


def per(expr, points, reason, sources=None, example=False, **kw):
    d = {"per": expr, "points": points, "reason": reason}
    d.update(kw)
    return _line(d, sources, example)


def when(cond, points, reason, sources=None, example=False):
    return _line({"if": cond, "points": points, "reason": reason}, sources, example)


def adjustment(id, title, basis, deduct, sources, cap=None, example=True, combine=None):
    d = {"id": id, "title": title, "basis": basis}
    if example:
        d["example"] = True
    if cap is not None:
        d["cap"] = cap
    if combine:
        d["combine"] = combine
    d["deduct"] = deduct
    d["sources"] = _srcs(sources)
    return d


def bonus_item(id, title, points, basis, add, sources, example=True, combine=None):
    d = {"id": id, "title": title, "points": points, "basis": basis}
    if example:
        d["example"] = True
    if combine:
        d["combine"] = combine
    d["add"] = add
    d["sources"] = _srcs(sources)
    return d


def veto(id, title, basis, when_, effect, sources, example=False):
    d = {"id": id, "title": title, "basis": basis}
    if example:
        d["example"] = True
    d["when"] = when_
    d["effect"] = effect
    d["sources"] = _srcs(sources)
    return d


def shortfall(part, whole):
    """Percentage points below 100% of part/whole, 0 when whole is 0 (for a `per` line over a rate
    whose target is 100%: every percentage point short deducts, so a unit at 0% loses all)."""
    return f"if({whole} == 0, 0, ({whole} - {part}) * 100 / {whole})"


def section_points(items):
    """A section's points: the sum of its items' points, as a decimal string."""
    from decimal import Decimal
    total = sum(Decimal(it["points"]) for it in items)
    return str(total.normalize()) if total == total.to_integral() else str(total)


def case_list(good, cases):
    """Embedded tests from a baseline: [(name, expect, changes)] or [(name, expect, changes, unit)]."""
    out = []
    for c in cases:
        name, expect, changes = c[:3]
        v = dict(good)
        v.update(changes)
        t = {"name": name}
        if len(c) > 3:
            t["unit"] = c[3]
        t["values"] = v
        t["expect"] = expect
        out.append(t)
    return out


def scope_inputs(rules):
    """Inputs read only by items that apply under one unit-tag condition (`"applicable": "fire"`)
    become required under that condition: a unit carrying the tag must fill them in, every other unit
    never sees them as missing. Inputs read anywhere else stay as they are."""
    tags = {t["id"] for t in rules.get("unit_tags", [])}
    ids = lambda e: set(re.findall(r"[A-Za-z_]\w*", e))
    readers = {i["id"]: set() for i in rules["inputs"]}

    def read(expr, cond):
        for i in ids(expr) & readers.keys():
            readers[i].add(cond)

    def lines(ls, cond):
        for l in ls:
            for k in ("if", "per"):
                if k in l:
                    read(l[k], cond)
    for s in rules["sections"]:
        for it in s["items"]:
            cond = it.get("applicable")
            if cond:
                read(cond, None)
            for k, v in it.items():
                if k == "deduct":
                    lines(v, cond)
                elif k in ("rate", "bands", "rank"):
                    read(v["value"], cond)
                elif k == "judged":
                    readers[v["input"]].add(cond)
                elif k == "formula":
                    read(v, cond)
    for a in rules.get("adjustments", []):
        lines(a["deduct"], None)
    for b in rules.get("bonus", {}).get("items", []):
        lines(b["add"], None)
    for v in rules.get("vetoes", []):
        read(v["when"], None)
    for inp in rules["inputs"]:
        conds = readers[inp["id"]]
        if inp.get("required") is False and "default" not in inp and len(conds) == 1:
            cond = next(iter(conds))
            if cond and ids(cond) <= tags:
                inp["applicable"] = cond
                del inp["required"]
    return rules


# ---------------------------------------------------------------- compat copies for today's engine
TRACE_KEYS = ("sources", "example")


def _strip(o):
    if isinstance(o, dict):
        return {k: _strip(v) for k, v in o.items() if k not in TRACE_KEYS}
    if isinstance(o, list):
        return [_strip(v) for v in o]
    return o


def compat_rules(rules):
    """A copy for an engine that does not yet know `documents`, `sources`, `example` and `unit_tags`:
    those are dropped, each unit tag becomes an optional bool input (default false), and embedded
    tests' unit.tags become values. Scores are the same (format-additions §3: a tag id is a bool)."""
    r = _strip(copy.deepcopy(rules))
    r.pop("documents", None)
    tags = r.pop("unit_tags", [])
    r["inputs"] = [{"id": t["id"], "label": "单位属性：" + t["label"], "type": "bool", "required": False,
                    "default": False} for t in tags] + r["inputs"]
    for new, old in zip(r.get("tests", []), rules.get("tests", [])):
        tags = old.get("unit", {}).get("tags")
        if tags is not None:
            new["unit"] = {k: v for k, v in new["unit"].items() if k != "tags"}
            new["values"] = dict(new["values"], **{tag: True for tag in tags})
    return r


def compat_submission(sub):
    """The submission with unit.tags moved into values (each tag true)."""
    s = copy.deepcopy(sub)
    tags = s.get("unit", {}).pop("tags", None)
    if tags:
        s["values"] = dict(s.get("values") or {}, **{t: True for t in tags})
    return s
