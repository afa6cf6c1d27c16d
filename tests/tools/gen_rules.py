#!/usr/bin/env python3
"""Seeded generator of random *valid* kpi-rules/1 rule sets and of submissions for them, for the
differential check (tests/tools/differential.py). Written from docs/SPEC.md and docs/FORMATS.md.

    python3 tests/tools/gen_rules.py SEED [K]      # print rule set K of seed SEED and its submissions

`ruleset(rng)` returns a rule-set document (plain JSON data) that the loader must accept:
- inputs of every type: count (optionally a literal max, or another input's id as max), number (literal
  min/max, an input id as min or max, or unbounded), percent (optionally narrowed), bool, choice, text;
  optional inputs with and without `default`;
- items with every rule: deduct (`if` / `per` lines, `free`, `unit`, `cap`, `combine: max|sum`), rate
  (step with partial exact/up/down, proportional, higher/lower, when_undefined full/zero/pending, cap),
  bands (open-ended or closed with the inclusive last max, listed ascending, descending or shuffled),
  judged, rank, formula; `applicable` on any item; `not_applicable` full (explicit or default) or rescale;
- sections with `out_of` (never together with rescale); adjustments with/without cap and combine max;
  bonus items with combine max and a bonus cap; vetoes with all four effects; 2–5 grades with varied
  bounds (one may equal full_score); scale 0..4 (rarely 5, 6; sometimes omitted); for batches
  (`batch=True`): more rank items and aggregates, and quotas on one or more grades;
- expressions with `+ - * /`, unary `-` and `!`, comparisons, `&& ||`, `if()`, `min/max/abs/floor/ceil/
  round`, choice equality (both orders), bool equality, batch aggregates (pending outside a batch),
  divisions whose divisor can be zero; minimal or redundant parentheses (precedence is exercised).
Points add up (item points = section points or out_of; full_score = Σ sections), bands tile without
gaps and cover every value their expression can take, ids are unique, every non-text input is used by an
expression, every decimal is written either as a JSON string or as a JSON number.

`submissions(doc, rng, lits, n)` returns n `values` objects: random values within bounds, edge values taken
from the rule set's own thresholds, all-zero values (divisions by zero, undefined rates), and provisional
forms with empty (null or absent) inputs. `batch_units(doc, rng, lits, n)` returns n (unit, values) for one
batch: groups in some batches, some `ranked: false` units, repeated values (ties).

What the generator deliberately avoids: what the engine refuses at load (docs/SPEC.md and FORMATS.md
list it) that a generator would easily write (a default on a text input, a rank floor above first, a grade min above
full_score, chained comparisons such as `a < b == c`); an optional number input without default whose
range excludes 0 (its implicit 0 would be out of range: a load error); points finer than `scale` where
totals add them up (points.scale: full_score, section points and out_of, item points, adjustment caps,
bonus.cap, bonus item points; item caps, line points, band scores, rate constants, rank points and grade
mins may be finer, and some points are written with trailing zeros beyond `scale`).
`applicable` on a rank item in a batch: a unit for which the item does not apply is no peer in its
ranking (the engine's rule; the reference scorer does the same).

The constructs of issue 14 (record lists, list functions, each/amount/tiers lines, groups, over/under/upto,
above/below, empty grades, ungraded and veto ranking, assessor_na, notes_required, judged aggregates,
self-assessments) come from gen_fidelity.py.
"""
import json
import os
import random
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fidelity as gf  # noqa: E402  (the constructs of issue 14)

D = Decimal
NUMERIC = ("count", "number", "percent")
OPTIONS = [["一级", "二级", "三级", "无"], ["是", "否"], ["A", "B", "C"], ["达标", "基本达标", "不达标"],
           ["高", "中", "低", "无风险"]]
GRADE_NAMES = ["优秀", "良好", "合格", "基本合格", "不合格"]
UNITS = ["起", "项", "人", "次", "家", "%"]
NICE_POINTS = [D("0.5"), D(1), D("1.5"), D(2), D("2.5"), D(3), D(4), D(5), D(6), D("7.5"), D(8), D(10),
               D(12), D(15), D(20), D("0.25"), D("3.75")]


def places(x):
    """Decimal places of x once trailing zeros are dropped ("2.50" has 1, "100" has 0)."""
    return max(0, -D(x).normalize().as_tuple().exponent)


def fitting(choices, scale):
    """The choices with at most `scale` decimal places."""
    return [c for c in choices if places(D(str(c))) <= scale]


def q(x):
    """A decimal as written in a document: canonical text without exponent."""
    x = D(x)
    s = format(x.normalize(), "f")
    return s


class Writer:
    """Writes a decimal either as a JSON string or as a JSON number (the engine reads both from the text)."""

    def __init__(self, rng):
        self.rng = rng

    def dec(self, x):
        s = q(x)
        r = self.rng.random()
        if r < 0.6:
            return s
        if "." not in s:
            return int(s)
        f = float(s)
        if D(repr(f)) == D(s):
            return f
        return s

    def points(self, x, scale):
        """A point value that totals add up (full_score, section points and out_of, item points, adjustment
        and bonus caps, bonus item points): at most `scale` decimal places once trailing zeros are dropped
        (the engine refuses finer ones: points.scale), sometimes written with trailing zeros beyond that
        ("2.50" or "2.500" at scale 1: still one place)."""
        assert places(D(x)) <= scale, (x, scale)
        if self.rng.random() < 0.08:
            s = q(x)
            have = len(s.split(".")[1]) if "." in s else 0
            pad = self.rng.randint(1, 2) + max(0, scale - have) * self.rng.randint(0, 1)
            return s + ("" if "." in s else ".") + "0" * pad
        return self.dec(x)


class Exprs:
    """Typed random expressions over the rule set's inputs; records which inputs they use."""

    # precedence: || 1, && 2, == != 3, < <= > >= 4, + - 5, * / 6, unary 7, atom 8
    def __init__(self, rng, inputs, aggregates=0.015):
        self.r = rng
        self.inputs = inputs
        self.aggregates = aggregates
        self.used = set()
        self.lits = set()
        self.row = False  # a row expression's scope: no list functions in it

    def numeric(self):
        return [i for i in self.inputs if i["type"] in NUMERIC and not i.get("multiple")]

    def lit(self, choices=None):
        r = self.r
        if choices is None:
            choices = [0, 1, 2, 3, 4, 5, 10, 100, "0.5", "2.5", "0.25", "1.5", "12.75", 60, 90, 95, 7, 3]
        v = D(str(r.choice(choices)))
        self.lits.add(v)
        return q(v)

    def use(self, iid):
        self.used.add(iid)
        return iid

    @staticmethod
    def wrap(t, prec, need):
        return (f"({t})", 8) if prec < need else (t, prec)

    def maybe_paren(self, t, prec):
        if prec < 8 and self.r.random() < 0.08:
            return f"({t})", 8
        return t, prec

    # ---- numbers
    def num_leaf(self):
        nums = self.numeric()
        if nums and self.r.random() < 0.7:
            return self.use(self.r.choice(nums)["id"]), 8
        return self.lit(), 8

    def divisor(self):
        nums = self.numeric()
        r = self.r.random()
        if nums and r < 0.55:
            return self.use(self.r.choice(nums)["id"]), 8
        if nums and r < 0.75:
            a, b = self.r.choice(nums)["id"], self.r.choice(nums)["id"]
            return f"({self.use(a)} - {self.use(b)})", 8
        if nums and r < 0.85:
            return f"({self.use(self.r.choice(nums)['id'])} - {self.lit([1, 2, 5, 10, 100])})", 8
        return self.lit([2, 3, 4, 5, "0.5", 8, 10, 100, 7, "1.5"]), 8

    def num(self, d=2):
        """(text, precedence) of a numeric expression."""
        r = self.r
        if d <= 0 or r.random() < 0.3:
            return self.num_leaf()
        k = r.random()
        if k < 0.05 and self.numeric():
            # a quotient on the left of another operand: a division by zero followed by an empty input is
            # pending, as the other way round (the evaluation goes on past the undefined quotient)
            a = self.num_leaf()
            op = r.choice("+-*")
            c = self.wrap(*self.num(d - 1), 7 if op == "*" else 6)
            return self.maybe_paren(f"{a[0]} / {self.divisor()[0]} {op} {c[0]}", 5 if op in "+-" else 6)
        if k < 0.40:
            op = r.choice("+-*/")
            lvl = 5 if op in "+-" else 6
            a = self.wrap(*self.num(d - 1), lvl)
            if op == "/":
                b = self.divisor()
            elif op == "*":
                b = (self.lit([2, 3, "0.5", 10, "1.5", "0.25", 100]), 8) if r.random() < 0.6 else self.num_leaf()
            else:
                b = self.wrap(*self.num(d - 1), lvl + 1)
            return self.maybe_paren(f"{a[0]} {op} {b[0]}", lvl)
        if k < 0.47:
            a = self.wrap(*self.num(d - 1), 7)
            if a[0].startswith("-"):
                a = (f"({a[0]})", 8)
            return f"-{a[0]}", 7
        if k < 0.65:
            f = r.choice(["min", "max"])
            args = [self.num(d - 1)[0] for _ in range(r.choice([2, 2, 2, 3]))]
            return f"{f}({', '.join(args)})", 8
        if k < 0.78:
            f = r.choice(["abs", "floor", "ceil"])
            return f"{f}({self.num(d - 1)[0]})", 8
        if k < 0.85:
            return f"round({self.num(d - 1)[0]}, {r.choice([0, 1, 2, 3])})", 8
        if k < 0.90 and (t := gf.list_number(self, d)):
            return t, 8
        if k < 1 - self.aggregates:
            return f"if({self.boolean(d - 1)[0]}, {self.num(d - 1)[0]}, {self.num(d - 1)[0]})", 8
        # batch aggregates: pending outside a batch
        nums = self.numeric()
        if not nums:
            return self.num_leaf()
        f = r.choice(["avg", "sum", "rank", "count"])
        if f == "count":
            return "count()", 8
        return f"{f}({self.use(r.choice(nums)['id'])})", 8

    # ---- booleans
    def cmp(self, d):
        r = self.r
        op = r.choice(["<", "<=", ">", ">=", "==", "!="])
        lvl = 3 if op in ("==", "!=") else 4
        a = self.wrap(*self.num(d), lvl + 1) if r.random() < 0.5 else self.wrap(*self.num_leaf(), lvl + 1)
        b = self.wrap(*self.num(d - 1), lvl + 1) if r.random() < 0.3 else (self.lit(), 8)
        if r.random() < 0.2:
            a, b = b, a
        return f"{a[0]} {op} {b[0]}", lvl

    def bool_leaf(self, d):
        r = self.r
        bools = [i for i in self.inputs if i["type"] == "bool"]
        choices = [i for i in self.inputs if i["type"] == "choice"]
        k = r.random()
        if bools and k < 0.35:
            return self.use(r.choice(bools)["id"]), 8
        if choices and k < 0.55:
            c = r.choice(choices)
            opt = json.dumps(r.choice(c["options"]), ensure_ascii=False)
            op = r.choice(["==", "==", "!="])
            if r.random() < 0.2:
                return f"{opt} {op} {self.use(c['id'])}", 3
            return f"{self.use(c['id'])} {op} {opt}", 3
        if k < 0.62 and (t := gf.list_bool(self, d)):
            return t, 8
        if k < 0.97 and self.numeric():
            return self.cmp(max(d, 0))
        return r.choice(["true", "false"]), 8

    def boolean(self, d=2):
        r = self.r
        if d <= 0 or r.random() < 0.4:
            return self.maybe_paren(*self.bool_leaf(d - 1))
        k = r.random()
        if k < 0.06 and self.numeric():
            # a condition on a quotient before `&&`/`||`: when the divisor is zero the condition is decided as
            # if the quotient were 0 and the result is undefined, unless the operand it then evaluates (and
            # only that one) meets an empty input
            op = r.choice(["&&", "||"])
            lvl = 2 if op == "&&" else 1
            c = f"{self.num_leaf()[0]} / {self.divisor()[0]} {r.choice(['<', '<=', '>', '>='])} {self.lit()}"
            b = self.wrap(*self.boolean(d - 1), lvl + 1)
            return f"{c} {op} {b[0]}", lvl
        if k < 0.6:
            op = r.choice(["&&", "||"])
            lvl = 2 if op == "&&" else 1
            a = self.wrap(*self.boolean(d - 1), lvl)
            b = self.wrap(*self.boolean(d - 1), lvl + 1)
            return f"{a[0]} {op} {b[0]}", lvl
        if k < 0.8:
            a = self.wrap(*self.boolean(d - 1), 7)
            return f"!{a[0]}", 7
        if k < 0.9:
            bools = [i for i in self.inputs if i["type"] == "bool"]
            if len(bools) >= 1:
                a = self.wrap(*self.boolean(d - 1), 5)  # the engine refuses a < b == c
                return f"{a[0]} {self.r.choice(['==', '!='])} {self.use(self.r.choice(bools)['id'])}", 3
            return self.bool_leaf(d - 1)
        return f"if({self.boolean(d - 1)[0]}, {self.boolean(d - 1)[0]}, {self.boolean(d - 1)[0]})", 8


class Gen:
    def __init__(self, rng, batch=False):
        self.batch = batch
        self.r = rng
        self.w = Writer(rng)
        self.inputs = []
        self.n = 0
        self.bound_refs = set()  # inputs named as another input's bound
        self.bounded = set()  # inputs whose bound names an input

    def new_id(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    # ------------------------------------------------------------ inputs
    def make_inputs(self):
        r = self.r
        for _ in range(r.randint(3, 10)):
            t = r.choices(["count", "number", "percent", "bool", "choice", "text"], [30, 18, 15, 16, 13, 8])[0]
            self.add_input(t)
        if not any(i["type"] in NUMERIC for i in self.inputs):
            self.add_input("count")
        if r.random() < 0.3:
            for _ in range(r.choice([1, 1, 2])):
                self.inputs.append(gf.records_input(self))
        if r.random() < 0.4:  # a found/fixed pair: fixed <= found
            a = self.add_input("count", plain=True)
            b = self.add_input("count", plain=True)
            b["max"] = a["id"]
            self.bound_refs.add(a["id"])
            self.bounded.add(b["id"])

    def add_input(self, t, plain=False):
        r = self.r
        prefix = {"count": "c", "number": "n", "percent": "p", "bool": "q", "choice": "ch", "text": "t"}[t]
        i = {"id": self.new_id(prefix), "label": f"输入{self.n}", "type": t}
        earlier = [x for x in self.inputs if x["type"] in NUMERIC and x["id"] not in self.bounded
                   and x.get("required", True)]
        nonneg = [x for x in earlier if x["type"] in ("count", "percent")
                  or (x["type"] == "number" and "min" in x and D(str(x["min"])) >= 0)]
        if t == "count" and not plain:
            k = r.random()
            if k < 0.2:
                i["max"] = self.w.dec(r.choice([1, 3, 5, 10, 20, 50]))
            elif k < 0.35 and nonneg:
                ref = r.choice(nonneg)["id"]
                i["max"] = ref
                self.bound_refs.add(ref)
                self.bounded.add(i["id"])
            if r.random() < 0.08 and "max" not in i:
                i["min"] = self.w.dec(r.choice([0, 1, 2]))
        elif t == "number":
            k = r.random()
            if k < 0.45:
                lo = D(str(r.choice([0, 0, 0, "0.5", 1, -10, -2.5])))
                hi = lo + D(str(r.choice([1, 2, 5, 10, 100, "2.5"])))
                i["min"], i["max"] = self.w.dec(lo), self.w.dec(hi)
            elif k < 0.55 and nonneg:
                ref = r.choice(nonneg)["id"]
                i["min"], i["max"] = self.w.dec(0), ref
                self.bound_refs.add(ref)
                self.bounded.add(i["id"])
            elif k < 0.62 and earlier:
                ref = r.choice(earlier)["id"]
                i["min"] = ref
                self.bound_refs.add(ref)
                self.bounded.add(i["id"])
            elif k < 0.7:
                i["min"] = self.w.dec(r.choice([0, 1, -5]))
            elif k < 0.75:
                i["max"] = self.w.dec(r.choice([0, 10, 1000]))
        elif t == "percent" and r.random() < 0.15:
            i["min"] = self.w.dec(r.choice([0, 50, "60.5"]))
            i["max"] = self.w.dec(r.choice([100, 99, "99.5"]))
        elif t == "choice":
            i["options"] = list(r.choice(OPTIONS))
        if r.random() < 0.2:
            i["unit"] = r.choice(UNITS)
        if r.random() < 0.15 and not plain and i["id"] not in self.bounded:
            i["required"] = False
            lo, hi = literal_bounds(i)
            # an empty optional number without default is 0, which must lie within its bounds
            if t == "text":
                pass  # the engine refuses any default on a text input
            elif t == "choice" or r.random() < 0.5 or (t in NUMERIC and not lo <= 0 <= hi):
                i["default"] = self.default_for(i)
        elif r.random() < 0.1:
            i["required"] = True
        if t == "text":
            i["required"] = r.random() < 0.3
        self.inputs.append(i)
        return i

    def default_for(self, i):
        t, r = i["type"], self.r
        if t == "choice":
            return r.choice(i["options"])
        if t == "bool":
            return r.random() < 0.5
        lo, hi = literal_bounds(i)
        if t == "count":
            return r.randint(int(lo), int(min(hi, lo + 5)))
        v = lo + (min(hi, lo + 10) - lo) * D(r.randint(0, 4)) / 4
        return self.w.dec(v)

    # ------------------------------------------------------------ points
    def split(self, total, n):
        """n positive parts summing to total (multiples of 0.25 when possible)."""
        r = self.r
        units_tried = fitting([r.choice([D(1), D("0.5"), D("0.25")]), D("0.25"), D("0.05"), D("0.01")], self.scale)
        for unit in units_tried + [D(1).scaleb(-self.scale)]:  # whole units of `scale` places: points.scale
            units = int(total / unit)
            if units * unit == total and units >= n:
                break
        cuts = sorted(r.sample(range(1, units), n - 1)) if n > 1 else []
        bounds = [0] + cuts + [units]
        return [unit * (b - a) for a, b in zip(bounds, bounds[1:])]

    # ------------------------------------------------------------ lines
    def lines(self, ex, kind="deduct"):
        r = self.r
        out = []
        for _ in range(r.choice([1, 1, 2, 2, 3, 4])):
            k = r.random()
            if k < 0.12 and (line := gf.each_line(self, ex, kind)):
                out.append(line)
                continue
            if k < 0.18:
                out.append(gf.line_body(self, ex, r.choice(["amount", "tiers"])))
                continue
            if r.random() < 0.45:
                line = {"if": ex.boolean(2)[0],
                        "points": self.w.dec(r.choice([D("0.5"), D(1), D(2), D(3), D("1.25"), D(5), D(10)])),
                        "reason": r.choice(["未按要求开展工作", "被通报批评", "检查发现问题{n}"])}
            else:
                per = self.per_expr(ex)
                line = {"per": per, "points": self.w.dec(r.choice([D("0.1"), D("0.25"), D("0.5"), D(1), D(2),
                                                                    D("1.5"), D(3)])),
                        "reason": r.choice(["发现问题", "每次扣{points}分，共{n}次扣{amount}分", "未完成"])}
                if r.random() < 0.25:
                    line["free"] = self.w.dec(r.choice([1, 2, 3, "0.5"]))
                if r.random() < 0.15:
                    line["unit"] = r.choice(UNITS)
            out.append(line)
        return gf.group_lines(r, out)

    def per_expr(self, ex):
        r = self.r
        nums = ex.numeric()
        k = r.random()
        if nums and k < 0.4:
            return ex.use(r.choice(nums)["id"])
        if nums and k < 0.55:
            return f"max({ex.lit([1, 2, 4, 5, 10])} - {ex.use(r.choice(nums)['id'])}, 0)"
        if nums and k < 0.65:
            p = ex.use(r.choice(nums)["id"])
            return f"max(min({ex.lit([96, 90, 100])} - {p}, {ex.lit([6, 5, 10])}), 0)"
        return ex.num(2)[0]

    # ------------------------------------------------------------ items
    def item(self, ex, iid, pts, rescale):
        r = self.r
        it = {"id": iid, "title": f"项目{iid}", "points": self.w.points(pts, self.scale)}
        if r.random() < 0.3:
            it["basis"] = "按细则评分"
        rule = r.choices(["deduct", "rate", "bands", "judged", "rank", "formula"],
                         [30, 20, 16, 8, 18 if self.batch else 6, 16])[0]
        if r.random() < (0.25 if rescale else 0.15):
            it["applicable"] = ex.boolean(1)[0]
        if r.random() < 0.15:
            it["assessor_na"] = True
        if rule == "deduct":
            it["deduct"] = self.lines(ex)
            if r.random() < 0.25:
                it["cap"] = self.w.dec(r.choice([pts, pts / 2, pts / 4]))
            k = r.random()
            if k < 0.2:
                it["combine"] = "max"
            elif k < 0.25:
                it["combine"] = "sum"
        elif rule == "rate":
            it["rate"] = self.rate(ex, pts)
            if r.random() < 0.15:
                it["cap"] = self.w.dec(r.choice([pts, pts / 2]))
        elif rule == "bands":
            it["bands"] = self.bands(ex, pts)
        elif rule == "judged" and r.random() < 0.3:
            it["judged"] = gf.multiple_judged(self, ex, pts)
        elif rule == "judged":
            j = {"id": self.new_id("j"), "label": f"评议分{self.n}", "type": "number",
                 "min": self.w.dec(0), "max": self.w.dec(pts)}
            if r.random() < 0.1:
                j["required"] = True
            self.inputs.append(j)
            ex.used.add(j["id"])
            it["judged"] = {"input": j["id"]}
        elif rule == "rank":
            rk = {"value": ex.num(1)[0], "first": self.w.dec(r.choice([pts, pts, pts + 1, pts / 2])),
                  "step": self.w.dec(r.choice([D("0.5"), D(1), D("0.25")]))}
            if r.random() < 0.7:
                rk["order"] = r.choice(["asc", "desc"])
            if r.random() < 0.5:  # floor <= first
                rk["floor"] = self.w.dec(min(D(str(rk["first"])), r.choice([0, D("0.5"), D(1)])))
            it["rank"] = rk
        else:
            it["formula"] = self.formula(ex, pts)
        return it

    def formula(self, ex, pts):
        r = self.r
        nums = ex.numeric()
        choices = [i for i in ex.inputs if i["type"] == "choice"]
        k = r.random()
        if choices and k < 0.2:
            c = r.choice(choices)
            opts = c["options"]
            s = q(r.choice([0, pts / 2, D(1)]))
            for o in opts[:-1]:
                s = f"if({ex.use(c['id'])} == {json.dumps(o, ensure_ascii=False)}, {q(r.choice([pts, pts / 2, pts * 2, D(0)]))}, {s})"
            return s
        if nums and k < 0.4:
            return f"{q(pts)} - {ex.use(r.choice(nums)['id'])} * {ex.lit(['0.5', 1, 2, '0.25'])}"
        if nums and k < 0.5:
            a, b = r.choice(nums)["id"], r.choice(nums)["id"]
            return f"{ex.use(a)} / {ex.use(b)} * {q(pts)}"
        return ex.num(3)[0]

    def rate(self, ex, pts):
        r = self.r
        nums = ex.numeric()
        pairs = [i for i in ex.inputs if i["type"] == "count" and isinstance(i.get("max"), str)]
        pcts = [i for i in ex.inputs if i["type"] == "percent"]
        k = r.random()
        if pairs and k < 0.35:
            b = r.choice(pairs)
            value = f"{ex.use(b['id'])} / {ex.use(b['max'])} * 100"
        elif pcts and k < 0.6:
            value = ex.use(r.choice(pcts)["id"])
        elif nums and k < 0.7:
            a, b = r.choice(nums)["id"], r.choice(nums)["id"]
            value = f"({ex.use(a)} + 1) / {ex.use(b)} * 10"
        elif nums and k < 0.78:
            # inputs after a quotient: with a zero divisor the value is undefined (when_undefined), unless an
            # input it then needs is empty (pending); `if` evaluates only the branch the condition picks
            a, c = r.choice(nums)["id"], r.choice(nums)["id"]
            if r.random() < 0.5:
                value = f"{ex.use(a)} / {ex.divisor()[0]} * 100 - {ex.use(c)}"
            else:
                value = (f"if({ex.use(a)} / {ex.divisor()[0]} {r.choice(['<', '<=', '>', '>='])} {ex.lit()}, "
                         f"{ex.num(1)[0]}, {ex.num(1)[0]})")
        else:
            value = ex.num(2)[0]
        mode = r.choice(["step", "step", "proportional"])
        rate = {"value": value}
        target = D(str(r.choice([100, 100, 95, 90, "97.5", 80, 60, 5, 1])))
        ex.lits.add(target)
        rate["target"] = self.w.dec(target)
        if r.random() < 0.7:
            rate["direction"] = r.choice(["higher", "lower"]) if r.random() < 0.7 else "higher"
        rate["mode"] = mode
        if mode == "step":
            rate["step"] = self.w.dec(r.choice([1, 1, D("0.5"), 2, 5, D("0.3")]))
            rate["points_per_step"] = self.w.dec(r.choice([D("0.5"), 1, 2, D("0.25"), D("0.1")]))
            if r.random() < 0.7:
                rate["partial"] = r.choice(["exact", "up", "down"])
        if r.random() < 0.7:
            rate["when_undefined"] = r.choice(["full", "zero", "pending"])
        return gf.exclusive_rate(r, rate)

    def bands(self, ex, pts):
        r = self.r
        nums = ex.numeric()
        closed = r.random() < 0.5
        k = r.random()
        pcts = [i for i in ex.inputs if i["type"] == "percent" and "min" not in i]
        if closed and pcts and k < 0.5:
            value, lo, hi = ex.use(r.choice(pcts)["id"]), D(0), D(100)
        elif closed:
            lo, hi = D(0), D(str(r.choice([1, 10, 100, 5])))
            value = f"min(max({ex.num(2)[0]}, {q(lo)}), {q(hi)})"
        else:
            value = ex.num(2)[0] if r.random() < 0.6 or not nums else ex.use(r.choice(nums)["id"])
            lo, hi = D(str(r.choice([0, -10, 1]))), D(str(r.choice([10, 100, 50])))
        n = r.randint(2, 5)
        span = hi - lo
        cuts = sorted(set(lo + span * D(r.randint(1, 19)) / 20 for _ in range(n - 1)))
        edges = [lo] + cuts + [hi]
        bands = []
        for a, b in zip(edges, edges[1:]):
            ex.lits.add(a)
            ex.lits.add(b)
            bands.append({"min": self.w.dec(a), "max": self.w.dec(b),
                          "score": self.w.dec(r.choice([pts, pts / 2, D(0), pts * D("0.8"), pts / 4]))})
        if not closed:
            del bands[0]["min"]
            del bands[-1]["max"]
        else:
            if r.random() < 0.3:
                del bands[0]["min"]  # open below, closed (inclusive) above
        gf.bounds_style(r, bands, closed)
        order = r.random()
        if order < 0.35:
            bands.reverse()
        elif order < 0.5:
            r.shuffle(bands)
        return {"value": value, "bands": bands}

    # ------------------------------------------------------------ whole rule set
    def ruleset(self, name="gen"):
        r = self.r
        self.make_inputs()
        ex = Exprs(r, self.inputs, 0.06 if self.batch else 0.015)
        # points that totals add up, and grade mins, have at most `scale` places (points.scale); item caps,
        # line points, band scores, rate constants and rank points may be finer
        scale = self.scale = r.choices([0, 1, 2, 3, 4, 5, 6], [12, 12, 40, 17, 17, 1, 1])[0]
        rescale = r.random() < 0.3
        doc = {"format": "kpi-rules/1", "id": name, "version": "1", "period": "2026",
               "title": f"随机生成的考核细则 {name}", "unit_kind": r.choice(["subdistrict", "department", "enterprise"])}
        sections = []
        item_no = 0
        for si in range(r.randint(1, 4)):
            n_items = r.randint(1, 5)
            sec = {"id": f"s{si + 1}", "title": f"第{si + 1}部分"}
            if not rescale and r.random() < 0.25:
                out_of = D(str(r.choice(fitting([10, 20, 50, 100, "12.5"], scale))))
                sec["points"] = self.w.points(D(str(r.choice(fitting([5, 10, 15, 20, 30, "7.5", 40], scale)))), scale)
                sec["out_of"] = self.w.points(out_of, scale)
                parts = self.split(out_of, n_items)
            else:
                parts = [r.choice(fitting(NICE_POINTS, scale)) for _ in range(n_items)]
                sec["points"] = self.w.points(sum(parts), scale)
            sec["items"] = []
            for pts in parts:
                item_no += 1
                sec["items"].append(self.item(ex, f"{si + 1}.{len(sec['items']) + 1}", pts, rescale))
            sections.append(sec)
        full = sum(D(str(s["points"])) for s in sections)
        doc["full_score"] = self.w.points(full, scale)
        if scale != 2 or r.random() < 0.5:
            doc["scale"] = scale
        if rescale:
            doc["not_applicable"] = "rescale"
        elif r.random() < 0.2:
            doc["not_applicable"] = "full"
        if r.random() < 0.1:
            doc["notes_required"] = True
        doc["inputs"] = self.inputs
        doc["sections"] = sections
        adjustments = []
        for k in range(r.choice([0, 0, 1, 1, 2, 3])):
            a = {"id": f"adj{k + 1}", "title": f"扣分事项{k + 1}", "deduct": self.lines(ex)}
            if r.random() < 0.5:
                a["cap"] = self.w.points(r.choice(fitting([1, 2, 5, 10, D("2.5")], scale)), scale)
            if r.random() < 0.2:
                a["combine"] = "max"
            adjustments.append(a)
        bonus = None
        if r.random() < 0.4:
            items = []
            for k in range(r.randint(1, 3)):
                b = {"id": f"bonus{k + 1}", "title": f"加分事项{k + 1}",
                     "points": self.w.points(r.choice(fitting([1, 2, 3, 4, D("0.5")], scale)), scale),
                     "add": self.lines(ex, "add")}
                if r.random() < 0.15:
                    b["assessor_na"] = True
                if r.random() < 0.25:
                    b["combine"] = "max"
                items.append(b)
            bonus = {"cap": self.w.points(r.choice(fitting([1, 2, 3, 5, D("2.5"), D("1.25")], scale)), scale),
                     "items": items}
        names = self.grades(doc, full)
        graded = self.batch or r.random() > 0.06
        if not graded:
            names = {}
        vetoes = []
        for k in range(r.choice([0, 0, 1, 1, 2, 3])):
            eff = r.choice(["fail", "zero", "max", "lower"])
            if eff == "max" and names:
                eff = {"max_grade": r.choice(list(names))}
            elif eff == "lower":
                eff = {"lower_grades": r.choice([1, 1, 2, 3])}
            vetoes.append(gf.veto_extras(r, {"id": f"veto{k + 1}", "title": f"否决事项{k + 1}",
                                             "when": ex.boolean(2)[0], "effect": eff}, graded))
        # every non-text input must be used by an expression
        for i in self.inputs:
            if i["type"] == "text" or i["id"] in ex.used:
                continue
            if i["type"] == "records":
                line = {"per": f"count({ex.use(i['id'])})", "points": self.w.dec(D("0.5")), "reason": "补充扣分"}
            elif i["type"] == "bool":
                line = {"if": ex.use(i["id"]) if r.random() < 0.5 else f"!{ex.use(i['id'])}",
                        "points": self.w.dec(1), "reason": "补充扣分"}
            elif i["type"] == "choice":
                line = {"if": f"{ex.use(i['id'])} == {json.dumps(r.choice(i['options']), ensure_ascii=False)}",
                        "points": self.w.dec(1), "reason": "补充扣分"}
            else:
                line = {"per": ex.use(i["id"]) if r.random() < 0.6 else f"{ex.use(i['id'])} / 10",
                        "points": self.w.dec(D("0.5")), "reason": "补充扣分"}
            hosts = [it["deduct"] for s in sections for it in s["items"] if "deduct" in it]
            hosts += [a["deduct"] for a in adjustments]
            k = r.random()
            if hosts and k < 0.7:
                r.choice(hosts).append(line)
            elif i["type"] in ("bool", "choice") and k < 0.85:
                vetoes.append({"id": f"veto{len(vetoes) + 1}", "title": "补充否决", "when": line["if"],
                               "effect": r.choice(["fail", {"lower_grades": 1}] if graded else ["zero", "ungraded"])})
            else:
                adjustments.append({"id": f"adj{len(adjustments) + 1}", "title": "补充扣分事项", "deduct": [line]})
        if adjustments:
            doc["adjustments"] = adjustments
        if bonus:
            doc["bonus"] = bonus
        if vetoes:
            doc["vetoes"] = vetoes
        doc["grades"] = [{"name": n, "min": m} for n, m in names.items()]
        for g in doc["grades"][:-1]:  # 超过 X (over) instead of X以上 (min) now and then
            if r.random() < 0.25 and D(str(g["min"])) < full:
                g["over"] = g.pop("min")
        if self.batch and len(names) > 1 and r.random() < 0.6:
            upper = list(names)[:-1]
            doc["quotas"] = [{"grade": g, "max_share": self.w.dec(D(str(r.choice(["0.2", "0.3", "0.5", "1", "0.34",
                                                                                   "0.25"]))))}
                             for g in r.sample(upper, r.randint(1, len(upper)))]
        for i in self.inputs:
            if r.random() < 0.3 and not i.get("multiple"):
                i["section"] = r.choice(sections)["id"]
        self.lits = ex.lits
        return doc

    def grades(self, doc, full):
        r = self.r
        k = r.randint(2, 5)
        names = GRADE_NAMES[:k - 1] + [GRADE_NAMES[-1]]
        fracs = sorted(set(r.choice([D(1), D("0.95"), D("0.9"), D("0.85"), D("0.8"), D("0.75"), D("0.7"), D("0.6"),
                                     D("0.5"), D("0.333"), D("0.2")]) for _ in range(k - 1)), reverse=True)
        # grade mins on the rule set's scale (points.scale)
        mins = [(full * f).quantize(D(1).scaleb(-min(self.scale, 2)), rounding="ROUND_DOWN") for f in fracs]
        mins = sorted(set(m for m in mins if m > 0), reverse=True)
        names = names[:len(mins)] + [GRADE_NAMES[-1]]
        out = {n: self.w.dec(m) for n, m in zip(names, mins)}
        out[GRADE_NAMES[-1]] = self.w.dec(0)
        return out


def literal_bounds(i):
    """(lo, hi) from literal bounds and the type, for defaults and value generation."""
    t = i["type"]
    lo = D(0) if t in ("count", "percent") else D(-50)
    hi = D(100) if t == "percent" else (D(40) if t == "count" else D(200))
    for b in ("min", "max"):
        v = i.get(b)
        if v is None or (isinstance(v, str) and v[:1].isalpha()):
            continue
        v = D(str(v))
        if b == "min":
            lo = max(lo, v)
        else:
            hi = min(hi, v)
    return lo, hi


def ruleset(rng, name="gen", batch=False):
    """(rule set, literals it uses); batch=True: more rank items and aggregates, quotas."""
    g = Gen(rng, batch)
    doc = g.ruleset(name)
    return doc, g.lits


# ---------------------------------------------------------------- submissions
def submissions(doc, rng, lits, n=6):
    """n values objects: random, edge (the rule set's thresholds), all zero, provisional."""
    kinds = ["random", "edge", "zero", "provisional", "random", "edge-provisional", "random", "edge"]
    return [values(doc, rng, lits, kinds[k % len(kinds)]) for k in range(n)]


def batch_units(doc, rng, lits, n):
    """n (unit, values) for one batch: groups (分类排名) in some batches, some `ranked: false` units,
    repeated values (ties in totals and rank values), the same kinds of values as `submissions`."""
    r = rng
    grouped = r.random() < 0.3
    out = []
    kinds = ["random", "edge", "random", "zero", "provisional", "edge", "random", "edge-provisional"]
    for k in range(n):
        unit = {"id": f"u{k}", "name": f"单位{k}"}
        if grouped:
            unit["group"] = r.choice(["甲组", "乙组"])
        if r.random() < 0.12:
            unit["ranked"] = False
        elif r.random() < 0.05:
            unit["ranked"] = True
        if out and r.random() < 0.3:
            v = dict(r.choice(out)[1])  # a tie with an earlier unit, perhaps not on every input
            if r.random() < 0.5:
                other = values(doc, r, lits, r.choice(kinds))
                linked = {i["id"] for i in doc["inputs"] for b in ("min", "max")
                          if isinstance(i.get(b), str) and i[b][:1].isalpha()}
                linked |= {i[b] for i in doc["inputs"] for b in ("min", "max")
                           if isinstance(i.get(b), str) and i[b][:1].isalpha()}
                free = sorted(set(other) - linked)
                for iid in r.sample(free, min(len(free), 1)):
                    v[iid] = other[iid]
        else:
            v = values(doc, r, lits, kinds[k % len(kinds)] if r.random() < 0.7 else r.choice(kinds))
        out.append((unit, v))
    return out


def values(doc, r, lits, kind):
    w = Writer(r)
    vals = {}
    inputs = doc["inputs"]
    empty = set()
    if kind == "provisional" and r.random() < 0.5:
        kind = "zero-provisional"
    if kind == "zero-provisional":
        # zeros (divisions by zero) next to many empty inputs: an empty input met on the evaluated path
        # makes the expression pending, whether before or after the undefined quotient
        cand = [i["id"] for i in inputs]
        empty = set(r.sample(cand, max(1, round(len(cand) * r.choice([0.2, 0.3, 0.4])))))
    elif "provisional" in kind:
        cand = [i["id"] for i in inputs]
        empty = set(r.sample(cand, min(len(cand), r.choice([1, 1, 2, 3]))))
    for i in inputs:
        iid, t = i["id"], i["type"]
        if iid in empty or (i.get("required", True) is False and r.random() < 0.4):
            if r.random() < 0.5:
                vals[iid] = None
            continue
        if t == "records":
            vals[iid] = gf.rows_value(i, r, w, kind, lits)
            continue
        if i.get("multiple"):
            item = next(it for s in doc["sections"] for it in s["items"] if it.get("judged", {}).get("input") == iid)
            vals[iid] = gf.scores_value(item, r, w)
            continue
        if t == "bool":
            vals[iid] = r.random() < 0.5
        elif t == "choice":
            vals[iid] = r.choice(i["options"])
        elif t == "text":
            vals[iid] = r.choice(["", "说明", "附件3"])
        else:
            v = number_value(i, vals, r, lits, kind)
            if v is None:
                continue
            if t == "count":
                vals[iid] = int(v) if r.random() < 0.8 else str(int(v))
            else:
                vals[iid] = w.dec(v)
    return vals


def number_value(i, vals, r, lits, kind):
    t = i["type"]
    lo, hi = literal_bounds(i)
    for b in ("min", "max"):
        ref = i.get(b)
        if isinstance(ref, str) and ref[:1].isalpha():
            if ref not in vals or vals[ref] is None:
                continue
            v = D(str(vals[ref]))
            if b == "min":
                lo = max(lo, v)
                hi = max(hi, lo + 20)
            else:
                hi = min(hi, v)
    if t == "count":
        lo = D(int(lo.to_integral_value(rounding="ROUND_CEILING")))
        hi = D(int(hi.to_integral_value(rounding="ROUND_FLOOR")))
    if hi < lo:
        return None
    if "zero" in kind:
        return max(lo, min(hi, D(0)))
    if "edge" in kind and r.random() < 0.7:
        cand = [x for x in lits if lo <= x <= hi and (t != "count" or x == x.to_integral_value())]
        cand += [lo, hi]
        if isinstance(i.get("max"), str):
            cand += [hi, hi, hi]
        return r.choice(cand)
    k = r.random()
    if t == "count":
        if k < 0.5:
            return min(hi, max(lo, D(r.choice([0, 0, 1, 2, 3, 5]))))
        return D(r.randint(int(lo), int(min(hi, lo + 40))))
    if k < 0.2:
        return r.choice([lo, hi])
    step = r.choice([D(1), D("0.5"), D("0.1"), D("0.01"), D("0.25")])
    n = int((hi - lo) / step)
    return lo + step * r.randint(0, max(n, 0))


if __name__ == "__main__":
    seed = sys.argv[1] if len(sys.argv) > 1 else "1"
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    rng = random.Random(f"{seed}:{k}")
    doc, lits = ruleset(rng, f"gen-{seed}-{k}")
    print(json.dumps(doc, ensure_ascii=False, indent=1))
    for v in submissions(doc, rng, lits):
        print(json.dumps(v, ensure_ascii=False))
