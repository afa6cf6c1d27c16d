"""The constructs of issue 14 for the rule-set generator (gen_rules.py), kept apart so that gen_rules.py
stays readable. Every function takes gen_rules' objects (a Gen `g`, an Exprs `ex`) and the generator's
random source; nothing here imports gen_rules.

- record lists: `records` inputs (1–5 fields of every scalar type, literal bounds, optional fields with and
  without defaults, a field now and then named like an input it shadows, min_rows/max_rows, describe,
  unit) and their values (0–4 rows; empty required cells in provisional submissions);
- list functions in expressions (count with and without a row condition, sum, max, min, any, all) with row
  expressions over the list's fields and the inputs; `each` lines (if, per, amount, tiers); `amount` and
  `tiers` lines without `each`; groups of lines;
- bounds: grades with `over`, bands written with over/under/upto (left- or right-closed), rates with
  `above`/`below`;
- vetoes with `ungraded` and `ranking`; rule sets without grades;
- `assessor_na` items and bonus items and submissions marking them; `notes_required` and notes;
  judged items aggregating several assessors' scores (`multiple`); self-assessments (values or items).
"""
import json
from decimal import Decimal

D = Decimal
NUMERIC = ("count", "number", "percent")
FIELD_TYPES = ["count", "number", "percent", "bool", "choice", "text", "date"]
OPTIONS = [["生产", "交通", "火灾"], ["是", "否"], ["轻微", "一般", "较大"]]


def records_input(g):
    """A `records` input (not yet in g.inputs)."""
    r = g.r
    lid = g.new_id("rec")
    fields, ids = [], set()
    for k in range(r.randint(1, 5)):
        t = r.choices(FIELD_TYPES, [30, 20, 10, 16, 12, 6, 6])[0]
        fid = f"f{k + 1}"
        shadowable = [i["id"] for i in g.inputs if i["id"] not in ids]
        if shadowable and r.random() < 0.1:
            fid = r.choice(shadowable)  # a field shadows the input of that name in row expressions
        ids.add(fid)
        f = {"id": fid, "label": f"字段{k + 1}", "type": t}
        if t == "number" and r.random() < 0.5:
            lo = D(str(r.choice([0, 0, 1, 5, -3])))
            f["min"], f["max"] = g.w.dec(lo), g.w.dec(lo + D(str(r.choice([1, 10, 15, "2.5"]))))
        elif t == "count" and r.random() < 0.2:
            f["max"] = g.w.dec(r.choice([3, 5, 10]))
        elif t == "choice":
            f["options"] = list(r.choice(OPTIONS))
        if r.random() < 0.25 and t not in ("text", "date"):
            f["required"] = False
            lo = D(str(f.get("min", 0)))
            hi = D(str(f.get("max", 100)))
            if t == "choice" or r.random() < 0.5 or not lo <= 0 <= hi:
                f["default"] = field_default(f, r, g)
        elif t in ("text", "date") and r.random() < 0.4:
            f["required"] = False
        fields.append(f)
    inp = {"id": lid, "label": f"明细{g.n}", "type": "records", "fields": fields}
    if r.random() < 0.3:
        inp["unit"] = r.choice(["起", "次", "户"])
    if r.random() < 0.2:
        inp["required"] = False
    if r.random() < 0.2:
        inp["max_rows"] = r.choice([4, 5, 10])
    if r.random() < 0.1:
        inp["min_rows"] = 0
    named = [f["id"] for f in fields if f["type"] in ("text", "date", "count", "choice")]
    if named and r.random() < 0.3:
        inp["describe"] = r.sample(named, min(len(named), r.randint(1, 2)))
    return inp


def field_default(f, r, g):
    t = f["type"]
    if t == "choice":
        return r.choice(f["options"])
    if t == "bool":
        return r.random() < 0.5
    lo = D(str(f.get("min", 0)))
    hi = D(str(f.get("max", lo + 10)))
    if t == "count":
        return r.randint(int(lo), int(min(hi, lo + 3)))
    return g.w.dec(lo + (hi - lo) / 2)


def lists(ex):
    return [i for i in ex.inputs if i["type"] == "records"]


def row_exprs(ex, lst):
    """An Exprs over one row of `lst`: its fields (which shadow inputs) and the other inputs, without list
    functions or batch aggregates (they may be used, but the engine's row budget is small)."""
    fields = lst["fields"]
    names = {f["id"] for f in fields}
    scope = fields + [i for i in ex.inputs if i["id"] not in names and i["type"] != "records"]
    rex = type(ex)(ex.r, scope, 0.0)
    rex.row = True
    return rex, names


def merge(ex, rex, names):
    """What a row expression used, back into the rule set's Exprs (fields are not inputs)."""
    ex.used |= {u for u in rex.used if u not in names}
    ex.lits |= rex.lits


def list_number(ex, d):
    """count(L), count(L, c), sum(L, x), max(L, x) or min(L, x); None when there is no list."""
    ls = lists(ex)
    if not ls or getattr(ex, "row", False):
        return None
    r = ex.r
    lst = r.choice(ls)
    ex.use(lst["id"])
    f = r.choice(["count", "count", "sum", "max", "min"])
    if f == "count" and r.random() < 0.4:
        return f"count({lst['id']})"
    rex, names = row_exprs(ex, lst)
    arg = rex.boolean(max(d - 1, 0))[0] if f == "count" else rex.num(max(d - 1, 0))[0]
    merge(ex, rex, names)
    return f"{f}({lst['id']}, {arg})"


def list_bool(ex, d):
    """any(L, c) or all(L, c); None when there is no list."""
    ls = lists(ex)
    if not ls or getattr(ex, "row", False):
        return None
    lst = ex.r.choice(ls)
    ex.use(lst["id"])
    rex, names = row_exprs(ex, lst)
    arg = rex.boolean(max(d - 1, 0))[0]
    merge(ex, rex, names)
    return f"{ex.r.choice(['any', 'all'])}({lst['id']}, {arg})"


def each_line(g, ex, kind):
    """A line with `each` over a record list (if, per, amount or tiers), or None without lists."""
    ls = lists(ex)
    if not ls:
        return None
    r = g.r
    lst = r.choice(ls)
    ex.use(lst["id"])
    rex, names = row_exprs(ex, lst)
    line = {"each": lst["id"]}
    line.update(line_body(g, rex, r.choice(["if", "per", "amount", "tiers"])))
    merge(ex, rex, names)
    return line


def line_body(g, ex, form):
    """The form fields of a line (if, per, amount, tiers) over `ex`'s scope."""
    r = g.r
    pts = lambda: g.w.dec(r.choice([D("0.5"), D(1), D(2), D(3), D("1.25"), D(5), D(10)]))
    if form == "if":
        return {"if": ex.boolean(1)[0], "points": pts(), "reason": r.choice(["发生事故", "第{n}起"])}
    if form == "per":
        return {"per": ex.num(1)[0], "points": g.w.dec(r.choice([D("0.5"), D(1), D(2)])),
                "reason": r.choice(["受伤", "每人扣{points}分，共{amount}分"])}
    if form == "amount":
        return {"amount": ex.num(1)[0], "reason": r.choice(["核定扣分", "核定扣{amount}分"])}
    tiers = [{"if": ex.boolean(1)[0], "points": pts(), "reason": f"第{k + 1}档"} for k in range(r.randint(1, 3))]
    body = {"tiers": tiers}
    if r.random() < 0.5:
        body["reason"] = "按最高档计"
    return body


def group_lines(r, lines):
    """Some consecutive lines under a sub-heading (a group has no points of its own)."""
    if len(lines) < 1 or r.random() > 0.15:
        return lines
    a = r.randrange(len(lines))
    b = r.randint(a + 1, len(lines))
    return lines[:a] + [{"group": f"（{a + 1}）分组", "lines": lines[a:b]}] + lines[b:]


def bounds_style(r, bands, closed):
    """Rewrites bands [min, max) into over/under/upto forms that tile the same range: left-closed
    [lo, hi) (the last closed band [lo, hi]) or right-closed (lo, hi] (the first [lo, hi])."""
    style = r.choice(["legacy", "legacy", "left", "right"])
    if style == "legacy":
        return bands
    ordered = sorted(bands, key=lambda b: D(str(b["min"])) if "min" in b else D("-1e30"))
    last = len(ordered) - 1
    for k, b in enumerate(ordered):
        lo, hi = b.pop("min", None), b.pop("max", None)
        if style == "left":
            if lo is not None:
                b["min"] = lo
            if hi is not None:
                b["upto" if k == last and closed else "under"] = hi
        else:
            if lo is not None:
                b["min" if k == 0 else "over"] = lo
            elif k > 0:
                raise AssertionError("only the first band is open below")
            if hi is not None:
                b["upto"] = hi
    return bands


def exclusive_rate(r, rate):
    """A step rate's target as `above` (higher) or `below` (lower): met only beyond it."""
    if rate["mode"] != "step" or r.random() > 0.25:
        return rate
    target = rate.pop("target")
    if rate.get("direction") == "lower":
        rate["below"] = target
        if r.random() < 0.5:
            del rate["direction"]
    else:
        rate["above"] = target
    return rate


def multiple_judged(g, ex, pts):
    """A judged item over several assessors' scores (a `multiple` input)."""
    j = {"id": g.new_id("m"), "label": f"评议分{g.n}", "type": "number", "multiple": True}
    g.inputs.append(j)
    ex.used.add(j["id"])
    return {"input": j["id"], "aggregate": g.r.choice(["mean", "trimmed_mean"])}


def veto_extras(r, veto, graded):
    if not graded:
        veto["effect"] = r.choice(["zero", "ungraded"])
    elif r.random() < 0.1:
        veto["effect"] = "ungraded"
    if r.random() < 0.25:
        veto["ranking"] = r.choice(["last", "excluded"])
    return veto


# ---------------------------------------------------------------- values
def rows_value(inp, r, w, kind, lits):
    """A record list's value: 0–4 rows (up to max_rows); provisional kinds leave cells empty."""
    n = r.choice([0, 1, 1, 2, 2, 3, 4])
    n = min(n, int(inp.get("max_rows", 1000)))
    rows = []
    for _ in range(n):
        row = {}
        for f in inp["fields"]:
            if "provisional" in kind and r.random() < 0.15:
                if r.random() < 0.5:
                    row[f["id"]] = None
                continue
            if f.get("required", True) is False and r.random() < 0.3:
                continue
            row[f["id"]] = cell_value(f, r, w, kind, lits)
        rows.append(row)
    return rows


def cell_value(f, r, w, kind, lits):
    t = f["type"]
    if t == "bool":
        return r.random() < 0.5
    if t == "choice":
        return r.choice(f["options"])
    if t == "text":
        return r.choice(["某公司", "某路口", "东山"])
    if t == "date":
        return r.choice(["2026-03-12", "2026-07-01", "2024-02-29"])
    lo = D(str(f.get("min", 0))) if t != "number" or "min" in f else D(-5)
    hi = D(str(f.get("max", 100 if t == "percent" else 6)))
    if "zero" in kind:
        v = max(lo, min(hi, D(0)))
    elif "edge" in kind and r.random() < 0.6:
        cand = [x for x in lits if lo <= x <= hi and (t != "count" or x == x.to_integral_value())] + [lo, hi]
        v = r.choice(cand)
    elif t == "count":
        v = D(r.randint(int(lo), int(min(hi, lo + 4))))
    else:
        v = lo + (hi - lo) * D(r.randint(0, 8)) / 8
    if t == "count":
        return int(v) if r.random() < 0.8 else str(int(v))
    return w.dec(v)


def scores_value(item, r, w):
    """Several assessors' scores for a judged item (at least three for a trimmed mean)."""
    pts = D(str(item["points"]))
    n = r.randint(3 if item["judged"]["aggregate"] == "trimmed_mean" else 1, 5)
    return [w.dec(pts * D(r.randint(0, 8)) / 8) for _ in range(n)]


def extras(doc, r, values_fn, kind, single):
    """A submission's not_applicable markings, notes and (single submissions only) self-assessment."""
    out = {}
    items = [it for s in doc["sections"] for it in s["items"]] + doc.get("bonus", {}).get("items", [])
    marked = {it["id"]: "现场核实不涉及" for it in items if it.get("assessor_na") and r.random() < 0.35}
    if marked:
        out["not_applicable"] = marked
    if doc.get("notes_required") or r.random() < 0.2:
        notes = {it["id"]: "已说明扣分情况" for it in items if r.random() < 0.5}
        if notes:
            out["notes"] = notes
    if single and r.random() < 0.15:
        if r.random() < 0.5:
            out["self"] = {"values": values_fn(kind)}
        else:
            scale = int(doc.get("scale", 2))
            own = {}
            for s in doc["sections"]:
                for it in s["items"]:
                    if r.random() < 0.8:
                        pts = D(str(it["points"]))
                        own[it["id"]] = str((pts * D(r.randint(0, 8)) / 8).quantize(D(1).scaleb(-scale),
                                                                                     rounding="ROUND_DOWN"))
            out["self"] = {"items": own}
    return out


def coverage(doc, c):
    """Constructs of issue 14 a generated rule set contains (differential.py counts them)."""
    text = json.dumps(doc, ensure_ascii=False)
    for i in doc["inputs"]:
        if i["type"] == "records":
            c["records input"] += 1
            c["records input optional"] += i.get("required") is False
        if i.get("multiple"):
            c["multiple judged input"] += 1
    for tok in ("\"each\"", "\"amount\"", "\"tiers\"", "\"group\"", "\"over\"", "\"under\"", "\"upto\"",
                "\"above\"", "\"below\"", "\"assessor_na\"", "\"ungraded\"", "\"ranking\"", "any(", "all("):
        if tok in text:
            c[f"issue 14: {tok.strip(chr(34))}"] += 1
    if doc.get("notes_required"):
        c["notes_required"] += 1
    if not doc["grades"]:
        c["no grades"] += 1
