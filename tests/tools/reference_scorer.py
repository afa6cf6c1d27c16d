#!/usr/bin/env python3
"""Independent checker for kpi-rules/1 rule sets, written from docs/SPEC.md and docs/FORMATS.md
(not from the engine's code), to cross-check the engine on the built-in rule sets.

    python3 tests/tools/reference_scorer.py rules/subdistrict.json rules/department.json rules/enterprise.json
    python3 tests/tools/reference_scorer.py rules/enterprise.json --show "小型非高危企业（多项不涉及）"
    python3 tests/tools/reference_scorer.py rules/enterprise.json --values sub.json     # a submission's values

Companions: tests/tools/crosscheck.py RULES.json N SEED scores N random submissions with the engine binary
(target/release/kpi score --format json) and with this file and lists every difference (total, grade,
status, subtotal, item scores and statuses, triggered vetoes); (a property check was run the same way) checks the
engine's property-test invariants (bounds, more accidents / fewer fixed hazards never raise a total).
rules/src/*.py are the generator sources of the three JSON files (python3 X.py > rules/X.json).
tests/tools/differential.py does the same over thousands of generated rule sets (tests/tools/gen_rules.py),
single submissions and batches, through RuleSet.score and RuleSet.score_batch.

For every file it prints: lint problems (sums, bands, caps, expression types, unused inputs …),
a feature-coverage table (which scoring rules and patterns the file uses), then every embedded test
recomputed here and compared with its "expect" (total, grade, status, items, vetoes).

Semantics implemented (docs/SPEC.md):
- item score rounded to `scale`, half away from zero (ROUND_HALF_UP on Decimal = away from zero), a
  pending or not-applicable item's full points too;
- deduct: points - min(limit, sum of lines) (limit = cap or points); `combine: max` keeps the largest line;
  a `per` line deducts P * max(0, value - free);
- rate step: steps = shortfall / step, rounded per `partial` (exact / up = ceil / down = floor),
  deduction = steps * points_per_step, limited by cap; proportional: points * v / target
  ("lower": points * target / v), at most points, deduction limited by cap; shortfall <= 0 is full marks;
  a division by zero in `value` follows `when_undefined` (full, zero, pending);
- bands: first band with min <= v < max; the band with the greatest max includes its max;
- judged: the entered number; rank: pending outside a batch (counted at full points);
- formula: clamped to 0..points;
- applicable false: full points ("full") or left out ("rescale": sum of applicable scores / sum of
  applicable points * full_score, rounded; pending items count as applicable at full points);
- section with out_of: sum * points / out_of, rounded;
- adjustments: lines (sum or max), capped, rounded; bonus items capped by their points, all bonus by cap;
- total = max(0, sections - adjustments) + bonus; grade = first grade with min <= total; vetoes:
  fail -> lowest, zero -> total 0 and lowest, max_grade, lower_grades; the lowest resulting grade wins;
- status "provisional" when anything is pending (rank items, undefined values, empty inputs);
- expressions (see `ev`): pending when an empty input is met on the evaluated path, whatever the order of
  the operands; else undefined when a division by zero (or avg over no peers) was met, the evaluation going
  on with 0 in its place; `&&`, `||` and `if` evaluate left to right and skip what they do not need;
- a batch (RuleSet.score_batch; used by tests/tools/differential.py): the peers of a unit are the
  `ranked` units of its `group`; avg/sum over the peers' filled-in values (avg of none is undefined),
  count() = number of peers, rank(id) = 1 + peers with a higher value (pending if the unit's own value is
  empty); a rank item ranks the unit's value among the defined values of the peers it applies to (a
  peer for which it is not applicable, or whose `applicable` is pending, is none; competition ranking, ties
  share the better rank; `ranked: false` units are placed among the peers without taking part), score
  min(points, max(floor, first - (rank - 1) * step)); report rank = competition rank of the total among
  the peers; quotas best grade first: at most floor(max_share x peers) keep the grade by rank, a tie that
  would exceed it moves all tied units down, a unit moved down competes in the next grade's quota, a
  unit a veto already lowered (decided before any quota moves anyone) takes no place (README.md);
- lint (besides sums, bands, types …): full_score, section points and out_of, item points, adjustment
  caps, bonus.cap and bonus item points have at most `scale` decimal places (engine: points.scale);
- format additions (../notes/format-additions.md, issue 19): top-level `documents` ({id, title, number?,
  issuer?, date?, file?}) and `sources: [{doc, quote}]` on items, lines, adjustments, bonus items, vetoes,
  grades and quotas (doc must name a document: sources.unknown_doc; quote non-empty, at most 2,000
  characters; never scored); `example: true` on the same (never scored); top-level `unit_tags`
  ([{id, label, help?}], ids in the input namespace): in expressions a tag id is a bool, true iff the
  unit carries the tag, never pending; a unit's `tags` must be declared and distinct. An embedded test's
  `unit.tags` (and a batch unit's) give the tags; `--values` takes a submission's unit.tags too.
"""
import json
import re
import sys
from collections import Counter
from decimal import Decimal, ROUND_HALF_UP, ROUND_CEILING, ROUND_FLOOR, Inexact, getcontext, localcontext
from functools import lru_cache

getcontext().prec = 60

# Which constructs a scoring run went through (tests/tools/differential.py prints them as coverage).
HITS = Counter()

# The engine computes with 28-digit decimals (rust_decimal), this file with 60 digits. Where an exact edge
# (a comparison, floor/ceil, a band edge, a rounding half-point) is reached through a non-terminating
# quotient (1.3 / 3 * 3.75 = 1.625), the last digit decides and either side is defensible. To recognise
# that case, differential.py scores again with NUDGE[0] = -1e-40 and +1e-40: the k-th inexact quotient is
# moved by k times that relative amount (so that nudges do not cancel in a quotient of quotients); a
# result that moves with them sits on such an edge.
NUDGE = [None, 0]


def div(a, b):
    """a / b (b != 0), nudged when inexact and NUDGE is set."""
    with localcontext() as c:
        c.clear_flags()
        q = a / b
        if NUDGE[0] is not None and c.flags[Inexact]:
            NUDGE[1] += 1
            q = q * (1 + NUDGE[0] * NUDGE[1])
    return q


class Undef:  # division by zero
    def __repr__(self):
        return "UNDEF"


class Pend:  # empty input or batch aggregate outside a batch
    def __repr__(self):
        return "PENDING"


UNDEF = Undef()
PENDING = Pend()


def D(x):
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        raise ValueError("bool is not a decimal")
    return Decimal(str(x))


def places(x):
    """Decimal places of x once trailing zeros are dropped ("2.50" has 1, "100" has 0)."""
    return max(0, -x.normalize().as_tuple().exponent)


def rnd(x, scale):
    return x.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)


def fmt(x, scale):
    s = rnd(x, scale)
    if s == 0:
        s = abs(s)
    return f"{s:.{scale}f}"


# ---------------------------------------------------------------- expressions
TOKEN = re.compile(r"""\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>"[^"]*")|(?P<id>[A-Za-z_][A-Za-z0-9_]*)|
                     (?P<op>&&|\|\||<=|>=|==|!=|[-+*/<>!(),]))""", re.X)
FUNCS = {"if": 3, "min": None, "max": None, "abs": 1, "floor": 1, "ceil": 1, "round": 2,
         "avg": 1, "sum": 1, "count": 0, "rank": 1}


def tokenize(s):
    pos, out = 0, []
    s = s.rstrip()
    while pos < len(s):
        m = TOKEN.match(s, pos)
        if not m or m.end() == pos:
            raise SyntaxError(f"bad token at {pos} in {s!r}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    out.append(("end", None))
    return out


class Parser:
    BIN = [("||",), ("&&",), ("==", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "/")]

    def __init__(self, text):
        self.toks = tokenize(text)
        self.i = 0

    def peek(self):
        return self.toks[self.i]

    def take(self, val=None):
        t = self.toks[self.i]
        if val is not None and t[1] != val:
            raise SyntaxError(f"expected {val}, got {t}")
        self.i += 1
        return t

    def parse(self):
        e = self.binary(0)
        if self.peek()[0] != "end":
            raise SyntaxError(f"trailing {self.peek()}")
        return e

    def binary(self, level):
        if level == len(self.BIN):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self.BIN[level]:
            op = self.take()[1]
            right = self.binary(level + 1)
            left = ("bin", op, left, right)
        return left

    def unary(self):
        t = self.peek()
        if t == ("op", "!"):
            self.take()
            return ("not", self.unary())
        if t == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        return self.atom()

    def atom(self):
        kind, val = self.take()
        if kind == "num":
            return ("num", Decimal(val))
        if kind == "str":
            return ("str", val[1:-1])
        if kind == "op" and val == "(":
            e = self.binary(0)
            self.take(")")
            return e
        if kind == "id":
            if val in ("true", "false"):
                return ("bool", val == "true")
            if self.peek() == ("op", "("):
                self.take()
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.binary(0))
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.binary(0))
                self.take(")")
                if val not in FUNCS:
                    raise SyntaxError(f"unknown function {val}")
                n = FUNCS[val]
                if (n is not None and len(args) != n) or (n is None and len(args) < 2):
                    raise SyntaxError(f"{val}: wrong arity {len(args)}")
                return ("call", val, args)
            return ("id", val)
        raise SyntaxError(f"unexpected {kind} {val}")


@lru_cache(maxsize=None)
def parse(text):
    return Parser(text).parse()


def ids_of(e, acc=None):
    acc = set() if acc is None else acc
    tag = e[0]
    if tag == "id":
        acc.add(e[1])
    elif tag in ("not", "neg"):
        ids_of(e[1], acc)
    elif tag == "bin":
        ids_of(e[2], acc)
        ids_of(e[3], acc)
    elif tag == "call":
        for a in e[2]:
            ids_of(a, acc)
    return acc


def uses_batch(e):
    if e[0] == "call":
        return e[1] in ("avg", "sum", "count", "rank") or any(uses_batch(a) for a in e[2])
    if e[0] in ("not", "neg"):
        return uses_batch(e[1])
    if e[0] == "bin":
        return uses_batch(e[2]) or uses_batch(e[3])
    return False


NUMERIC = {"count", "number", "percent"}


def typeof(e, inputs, problems, where):
    """'num' | 'bool' | 'str' | ('choice', id)."""
    tag = e[0]
    if tag == "num":
        return "num"
    if tag == "bool":
        return "bool"
    if tag == "str":
        return "str"
    if tag == "id":
        inp = inputs.get(e[1])
        if inp is None:
            problems.append(f"{where}: unknown id {e[1]}")
            return "num"
        t = inp["type"]
        if t in NUMERIC:
            return "num"
        if t == "bool":
            return "bool"
        if t == "choice":
            return ("choice", e[1])
        problems.append(f"{where}: text input {e[1]} in an expression")
        return "num"
    if tag == "not":
        if typeof(e[1], inputs, problems, where) != "bool":
            problems.append(f"{where}: ! on a non-bool")
        return "bool"
    if tag == "neg":
        if typeof(e[1], inputs, problems, where) != "num":
            problems.append(f"{where}: unary - on a non-number")
        return "num"
    if tag == "bin":
        op, a, b = e[1], typeof(e[2], inputs, problems, where), typeof(e[3], inputs, problems, where)
        if op in ("&&", "||"):
            if a != "bool" or b != "bool":
                problems.append(f"{where}: {op} on non-bools")
            return "bool"
        if op in ("==", "!="):
            if isinstance(a, tuple) or isinstance(b, tuple):
                ch, lit = (a, e[3]) if isinstance(a, tuple) else (b, e[2])
                if lit[0] != "str" or lit[1] not in inputs[ch[1]]["options"]:
                    problems.append(f"{where}: choice {ch[1]} compared with {lit}")
                return "bool"
            if a == "str" or b == "str":
                problems.append(f"{where}: string literal not compared with a choice")
            if a != b:
                problems.append(f"{where}: {op} between {a} and {b}")
            return "bool"
        if a != "num" or b != "num":
            problems.append(f"{where}: {op} on non-numbers ({a}, {b})")
        return "bool" if op in ("<", "<=", ">", ">=") else "num"
    if tag == "call":
        f, args = e[1], e[2]
        if f in ("avg", "sum", "rank"):
            if args[0][0] != "id" or inputs.get(args[0][1], {}).get("type") not in NUMERIC:
                problems.append(f"{where}: {f} needs a numeric input id")
            return "num"
        if f == "count":
            return "num"
        ts = [typeof(a, inputs, problems, where) for a in args]
        if f == "if":
            if ts[0] != "bool":
                problems.append(f"{where}: if condition not bool")
            if ts[1] != ts[2]:
                problems.append(f"{where}: if branches differ")
            return ts[1]
        if f == "round" and args[1][0] != "num":
            problems.append(f"{where}: round digits must be a literal")
        if any(t != "num" for t in ts):
            problems.append(f"{where}: {f} on non-numbers")
        return "num"
    raise AssertionError(e)


BATCH = "\0batch"  # env key of the unit's peers (a Peers) when scored in a batch


class Peers:
    """The ranked units of one group of a batch (DESIGN: ranks, quotas and aggregates are computed within
    each group; `ranked: false` units are scored but left out of ranks, quotas and aggregates)."""

    def __init__(self, envs):
        self.envs = envs
        self.rank_values = {}

    def values(self, iid):
        """The peers' filled-in values of an input (an empty one takes no part)."""
        return [e[iid] for e in self.envs if e.get(iid) is not None]


class _Pending(Exception):
    """An empty input (or a batch aggregate outside a batch) met on the evaluated path."""


def ev(e, env):
    """Decimal | bool | str | UNDEF | PENDING.

    Operands are evaluated left to right. An empty input met on the evaluated path makes the whole
    expression PENDING (DESIGN: an item whose expression needs an empty input is pending), whatever the
    order of the operands. A division by zero (or an average over no peers) makes it UNDEF, but the
    evaluation goes on with 0 in its place, so an empty input met later still makes it pending: `1 / a + b`
    and `b + 1 / a` agree. `&&`, `||` and `if` evaluate only the operand or branch they need (with an
    undefined value counting as 0 in the condition), so an input only in a skipped branch does not count."""
    state = {"undefined": False}
    try:
        v = _ev(e, env, state)
    except _Pending:
        if state["undefined"]:
            HITS["expression pending after a division by zero"] += 1
        return PENDING
    return UNDEF if state["undefined"] else v


def _undefined(state):
    state["undefined"] = True
    return Decimal(0)


def _ev(e, env, st):
    tag = e[0]
    if tag in ("num", "bool", "str"):
        return e[1]
    if tag == "id":
        v = env.get(e[1])
        if v is None:
            raise _Pending
        return v
    if tag == "not":
        return not _ev(e[1], env, st)
    if tag == "neg":
        return -_ev(e[1], env, st)
    if tag == "bin":
        op = e[1]
        if op in ("&&", "||"):
            a = _ev(e[2], env, st)
            if st["undefined"]:
                HITS["&& or || after a division by zero"] += 1
            if op == "&&" and not a:
                return False
            if op == "||" and a:
                return True
            return _ev(e[3], env, st)
        a = _ev(e[2], env, st)
        b = _ev(e[3], env, st)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return _undefined(st) if b == 0 else div(a, b)
        return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if tag == "call":
        f, args = e[1], e[2]
        if f in ("avg", "sum", "count", "rank"):
            peers = env.get(BATCH)
            if peers is None:
                raise _Pending  # single unit: batch aggregates are pending
            HITS[f"aggregate {f}"] += 1
            if f == "count":
                return Decimal(len(peers.envs))
            vals = peers.values(args[0][1])
            if f == "sum":
                return sum(vals, Decimal(0))
            if f == "avg":
                return _undefined(st) if not vals else div(sum(vals, Decimal(0)), Decimal(len(vals)))
            own = env.get(args[0][1])
            if own is None:
                raise _Pending
            return Decimal(1 + sum(1 for v in vals if v > own))
        if f == "if":
            c = _ev(args[0], env, st)
            if st["undefined"]:
                HITS["if() after a division by zero"] += 1
            return _ev(args[1] if c else args[2], env, st)
        vs = [_ev(a, env, st) for a in args]
        if f == "min":
            return min(vs)
        if f == "max":
            return max(vs)
        if f == "abs":
            return abs(vs[0])
        if f == "floor":
            return vs[0].to_integral_value(rounding=ROUND_FLOOR)
        if f == "ceil":
            return vs[0].to_integral_value(rounding=ROUND_CEILING)
        if f == "round":
            return rnd(vs[0], int(vs[1]))
    raise AssertionError(e)


# ---------------------------------------------------------------- loading and lint
RULE_KEYS = ("deduct", "rate", "bands", "judged", "rank", "formula")
TOP_FIELDS = {"$schema", "format", "id", "version", "title", "period", "unit_kind", "description",
              "full_score", "scale", "not_applicable", "inputs", "sections", "adjustments", "bonus",
              "vetoes", "grades", "quotas", "tests", "documents", "unit_tags"}
TRACE = {"sources", "example"}  # traceability fields (format additions §1–2): never scored
DOCUMENT_FIELDS = {"id", "title", "number", "issuer", "date", "file"}
TAG_FIELDS = {"id", "label", "help"}
INPUT_FIELDS = {"id", "label", "type", "section", "required", "min", "max", "options", "default", "unit", "help", "applicable"}
SECTION_FIELDS = {"id", "title", "points", "out_of", "items"}
ITEM_FIELDS = {"id", "title", "points", "basis", "cap", "combine", "applicable"} | set(RULE_KEYS) | TRACE
LINE_FIELDS_IF = {"if", "points", "reason"} | TRACE
LINE_FIELDS_PER = {"per", "points", "free", "unit", "reason"} | TRACE
ADJUSTMENT_FIELDS = {"id", "title", "basis", "cap", "combine", "deduct"} | TRACE
BONUS_ITEM_FIELDS = {"id", "title", "points", "basis", "combine", "add"} | TRACE
VETO_FIELDS = {"id", "title", "basis", "when", "effect"} | TRACE
GRADE_FIELDS = {"name", "min"} | TRACE
QUOTA_FIELDS = {"grade", "max_share"} | TRACE
RATE_FIELDS = {"value", "target", "direction", "mode", "step", "points_per_step", "partial", "when_undefined"}



def scaled_points(d):
    """The fields whose decimal places `scale` limits (points.scale), as (JSON pointer, value): full_score,
    section points and out_of, item points, adjustment caps, bonus.cap and bonus item points, and grade mins
    (a total is compared with them)."""
    out = [("/full_score", d["full_score"])]
    for si, s in enumerate(d["sections"]):
        out += [(f"/sections/{si}/{k}", s[k]) for k in ("points", "out_of") if k in s]
        out += [(f"/sections/{si}/items/{ii}/points", it["points"]) for ii, it in enumerate(s["items"])]
    out += [(f"/adjustments/{ai}/cap", a["cap"]) for ai, a in enumerate(d.get("adjustments", [])) if "cap" in a]
    if "bonus" in d:
        out.append(("/bonus/cap", d["bonus"]["cap"]))
        out += [(f"/bonus/items/{bi}/points", b["points"]) for bi, b in enumerate(d["bonus"]["items"])]
    out += [(f"/grades/{gi}/min", g["min"]) for gi, g in enumerate(d["grades"])]
    return out


class RuleSet:
    def __init__(self, doc, problems):
        self.doc = doc
        self.p = problems
        self.scale = int(doc.get("scale", 2))
        self.inputs = {i["id"]: i for i in doc["inputs"]}
        # unit tags (format additions §3): bools in the input namespace, for type checking only
        self.tags = [t["id"] for t in doc.get("unit_tags", [])]
        self.typing = dict(self.inputs, **{t: {"id": t, "type": "bool", "label": t} for t in self.tags})
        self.used = set()
        self.parsed = {}
        self.lint()

    def expr(self, text, want, where):
        try:
            e = parse(text)
        except SyntaxError as err:
            self.p.append(f"{where}: syntax: {err}")
            return ("num", Decimal(0))
        t = typeof(e, self.typing, self.p, where)
        if want != t:
            self.p.append(f"{where}: expected {want}, got {t}")
        self.used |= ids_of(e)
        self.parsed[(where, text)] = e
        return e

    def lines(self, lines, where):
        out = []
        for k, l in enumerate(lines):
            w = f"{where}/{k}"
            if "if" in l:
                extra = set(l) - LINE_FIELDS_IF
                cond = self.expr(l["if"], "bool", w + "/if")
                out.append(("if", cond, D(l["points"]), l))
            else:
                extra = set(l) - LINE_FIELDS_PER
                val = self.expr(l["per"], "num", w + "/per")
                out.append(("per", val, D(l["points"]), l))
                if D(l.get("free", 0)) < 0:
                    self.p.append(f"{w}: negative free")
            if extra:
                self.p.append(f"{w}: unknown fields {extra}")
            if not l.get("reason"):
                self.p.append(f"{w}: no reason")
            if D(l["points"]) <= 0:
                self.p.append(f"{w}: points must be > 0")
        return out

    def lint(self):
        d, p = self.doc, self.p
        if set(d) - TOP_FIELDS:
            p.append(f"unknown top-level fields {set(d) - TOP_FIELDS}")
        if d.get("format") != "kpi-rules/1":
            p.append("format")
        for k in ("id", "version", "title", "period", "unit_kind"):
            if not d.get(k):
                p.append(f"missing {k}")
        na = d.get("not_applicable", "full")
        self.lint_trace()
        # inputs
        seen = set()
        for i, inp in enumerate(d["inputs"]):
            w = f"/inputs/{i} ({inp.get('id')})"
            if set(inp) - INPUT_FIELDS:
                p.append(f"{w}: unknown fields {set(inp) - INPUT_FIELDS}")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", inp["id"]) or inp["id"] in FUNCS or inp["id"] in ("true", "false"):
                p.append(f"{w}: bad id")
            if inp["id"] in seen:
                p.append(f"{w}: duplicate id")
            seen.add(inp["id"])
            t = inp["type"]
            if t not in NUMERIC | {"bool", "choice", "text"}:
                p.append(f"{w}: bad type")
            if "applicable" in inp:  # a condition, not a use of the inputs it reads
                used_before = set(self.used)
                self.expr(inp["applicable"], "bool", w + "/applicable")
                self.used = used_before
            for b in ("min", "max"):
                if b in inp:
                    if t not in NUMERIC:
                        p.append(f"{w}: {b} on {t}")
                    v = inp[b]
                    if isinstance(v, str) and re.fullmatch(r"[A-Za-z_]\w*", v):
                        if self.inputs.get(v, {}).get("type") not in NUMERIC:
                            p.append(f"{w}: {b} names a non-numeric input {v}")
                        self.used.add(v)  # a bound is not a use, but harmless here
                    else:
                        D(v)
            if t == "choice" and (not inp.get("options") or len(set(inp["options"])) != len(inp["options"])):
                p.append(f"{w}: options")
            if "section" in inp and inp["section"] not in [s["id"] for s in d["sections"]]:
                p.append(f"{w}: unknown section {inp['section']}")
            if not inp.get("label"):
                p.append(f"{w}: no label")
        # sections and items
        sec_sum = Decimal(0)
        item_ids = set()
        uses_out_of = False
        self.items = []
        for si, s in enumerate(d["sections"]):
            w = f"/sections/{si} ({s['title']})"
            if set(s) - SECTION_FIELDS:
                p.append(f"{w}: unknown fields {set(s) - SECTION_FIELDS}")
            sec_sum += D(s["points"])
            target = D(s.get("out_of", s["points"]))
            if "out_of" in s:
                uses_out_of = True
            isum = Decimal(0)
            for ii, it in enumerate(s["items"]):
                wi = f"{w}/items/{ii} ({it['id']} {it['title']})"
                if set(it) - ITEM_FIELDS:
                    p.append(f"{wi}: unknown fields {set(it) - ITEM_FIELDS}")
                if it["id"] in item_ids:
                    p.append(f"{wi}: duplicate item id")
                item_ids.add(it["id"])
                pts = D(it["points"])
                isum += pts
                rules = [k for k in RULE_KEYS if k in it]
                if len(rules) != 1:
                    p.append(f"{wi}: needs exactly one rule, has {rules}")
                    continue
                rule = rules[0]
                if "cap" in it:
                    if rule not in ("deduct", "rate"):
                        p.append(f"{wi}: cap on {rule}")
                    if not (0 < D(it["cap"]) <= pts):
                        p.append(f"{wi}: cap out of range")
                if "combine" in it and (rule != "deduct" or it["combine"] not in ("sum", "max")):
                    p.append(f"{wi}: combine on {rule}")
                if "applicable" in it:
                    self.expr(it["applicable"], "bool", wi + "/applicable")
                if rule == "deduct":
                    self.lines(it["deduct"], wi + "/deduct")
                elif rule == "rate":
                    r = it["rate"]
                    if set(r) - RATE_FIELDS:
                        p.append(f"{wi}: unknown rate fields {set(r) - RATE_FIELDS}")
                    self.expr(r["value"], "num", wi + "/rate/value")
                    if r["mode"] == "step":
                        if D(r["step"]) <= 0 or "points_per_step" not in r:
                            p.append(f"{wi}: step")
                    elif r["mode"] == "proportional":
                        if D(r["target"]) <= 0:
                            p.append(f"{wi}: proportional target")
                    else:
                        p.append(f"{wi}: mode")
                elif rule == "bands":
                    b = it["bands"]
                    self.expr(b["value"], "num", wi + "/bands/value")
                    self.check_bands(b["bands"], pts, wi)
                elif rule == "judged":
                    inp = self.inputs.get(it["judged"]["input"])
                    if not inp or inp["type"] != "number":
                        p.append(f"{wi}: judged input must be a number input")
                    else:
                        self.used.add(inp["id"])
                        if D(inp.get("min", -1)) != 0 or D(inp.get("max", -1)) != pts:
                            p.append(f"{wi}: judged input bounds should be 0..{pts}")
                elif rule == "rank":
                    r = it["rank"]
                    self.expr(r["value"], "num", wi + "/rank/value")
                    if r.get("order", "desc") not in ("asc", "desc"):
                        p.append(f"{wi}: order")
                elif rule == "formula":
                    self.expr(it["formula"], "num", wi + "/formula")
                self.items.append((s, it, rule))
            if isum != target:
                p.append(f"{w}: items sum {isum} != {target}")
        if sec_sum != D(d["full_score"]):
            p.append(f"sections sum {sec_sum} != full_score {d['full_score']}")
        if uses_out_of and na == "rescale":
            p.append("rescale together with out_of")
        for ai, a in enumerate(d.get("adjustments", [])):
            if "cap" in a and D(a["cap"]) <= 0:
                p.append(f"/adjustments/{ai}: cap")
            self.lines(a["deduct"], f"/adjustments/{ai}")
        if "bonus" in d:
            for bi, b in enumerate(d["bonus"]["items"]):
                self.lines(b["add"], f"/bonus/items/{bi}")
        grades = d["grades"]
        names = [g["name"] for g in grades]
        for a, b in zip(grades, grades[1:]):
            if not D(a["min"]) > D(b["min"]):
                p.append("grades not strictly descending")
        if D(grades[-1]["min"]) != 0:
            p.append("last grade min must be 0")
        for vi, v in enumerate(d.get("vetoes", [])):
            self.expr(v["when"], "bool", f"/vetoes/{vi}/when")
            eff = v["effect"]
            if isinstance(eff, dict):
                if "max_grade" in eff and eff["max_grade"] not in names:
                    p.append(f"/vetoes/{vi}: unknown grade")
                if "lower_grades" in eff and int(eff["lower_grades"]) < 1:
                    p.append(f"/vetoes/{vi}: lower_grades")
            elif eff not in ("fail", "zero"):
                p.append(f"/vetoes/{vi}: effect")
        for q in d.get("quotas", []):
            if q["grade"] not in names or not (0 < D(q["max_share"]) <= 1):
                p.append(f"quota {q}")
        for inp in d["inputs"]:
            if inp["type"] != "text" and inp["id"] not in self.used:
                p.append(f"input {inp['id']} ({inp['label']}) unused")
        # points that totals add up are whole units of `scale` places (points.scale): full_score, section
        # points and out_of, item points, adjustment caps, bonus.cap and bonus item points, and grade mins
        # (a total is compared with them)
        for w, v in scaled_points(d):
            if places(D(v)) > self.scale:
                p.append(f"{w}: {v} has more decimal places than scale {self.scale}")

    def lint_trace(self):
        """documents, sources, example and unit_tags (format additions §1–3)."""
        d, p = self.doc, self.p
        docs = set()
        for k, doc in enumerate(d.get("documents", [])):
            if set(doc) - DOCUMENT_FIELDS:
                p.append(f"/documents/{k}: unknown fields {set(doc) - DOCUMENT_FIELDS}")
            if not doc.get("id") or not doc.get("title"):
                p.append(f"/documents/{k}: id and title are required")
            if doc.get("id") in docs:
                p.append(f"/documents/{k}: duplicate id {doc.get('id')}")
            docs.add(doc.get("id"))

        def walk(o, w):
            if isinstance(o, dict):
                if "sources" in o and w.rsplit("/", 1)[-1] not in ("values",):
                    srcs = o["sources"]
                    if not isinstance(srcs, list):
                        p.append(f"{w}/sources: not a list")
                    else:
                        for k, s in enumerate(srcs):
                            if set(s) != {"doc", "quote"}:
                                p.append(f"{w}/sources/{k}: fields must be doc and quote")
                            if s.get("doc") not in docs:
                                p.append(f"{w}/sources/{k}: sources.unknown_doc {s.get('doc')}")
                            q = s.get("quote")
                            if not isinstance(q, str) or not q.strip() or len(q) > 2000:
                                p.append(f"{w}/sources/{k}: quote must be 1..2000 characters")
                if "example" in o and not isinstance(o["example"], bool):
                    p.append(f"{w}/example: not a bool")
                for k, v in o.items():
                    if k not in ("tests", "inputs", "documents", "unit_tags"):
                        walk(v, f"{w}/{k}")
            elif isinstance(o, list):
                for k, v in enumerate(o):
                    walk(v, f"{w}/{k}")
        walk(d, "")
        for name, fields, objs in (("adjustments", ADJUSTMENT_FIELDS, d.get("adjustments", [])),
                                   ("bonus/items", BONUS_ITEM_FIELDS, d.get("bonus", {}).get("items", [])),
                                   ("vetoes", VETO_FIELDS, d.get("vetoes", [])),
                                   ("grades", GRADE_FIELDS, d.get("grades", [])),
                                   ("quotas", QUOTA_FIELDS, d.get("quotas", []))):
            for k, o in enumerate(objs):
                if set(o) - fields:
                    p.append(f"/{name}/{k}: unknown fields {set(o) - fields}")
        ids = {i["id"] for i in d["inputs"]}
        seen = set()
        for k, t in enumerate(d.get("unit_tags", [])):
            if set(t) - TAG_FIELDS:
                p.append(f"/unit_tags/{k}: unknown fields {set(t) - TAG_FIELDS}")
            tid = t.get("id", "")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", tid) or tid in FUNCS or tid in ("true", "false"):
                p.append(f"/unit_tags/{k}: bad id {tid!r}")
            if tid in ids or tid in seen:
                p.append(f"/unit_tags/{k}: id.duplicate {tid}")
            if not t.get("label"):
                p.append(f"/unit_tags/{k}: no label")
            seen.add(tid)

    def unit_tags(self, tags):
        """The set of a unit's tags, refused when undeclared (value.unknown) or repeated."""
        tags = list(tags or [])
        for t in tags:
            if t not in self.tags:
                raise ValueError(f"unit tag {t!r} is not declared by the rule set (value.unknown)")
        if len(set(tags)) != len(tags):
            raise ValueError(f"unit tags repeated: {tags}")
        return set(tags)

    def check_bands(self, bands, pts, w):
        if sum(1 for b in bands if "min" not in b) > 1 or sum(1 for b in bands if "max" not in b) > 1:
            self.p.append(f"{w}: more than one open band end")
        for b in bands:
            if not (0 <= D(b["score"]) <= pts):
                self.p.append(f"{w}: band score out of 0..points")
            if "min" in b and "max" in b and D(b["min"]) >= D(b["max"]):
                self.p.append(f"{w}: empty band")
        ordered = sorted(bands, key=lambda b: D(b["min"]) if "min" in b else Decimal("-1e30"))
        if "min" in ordered[0] and "min" not in ordered[0]:
            pass
        for a, b in zip(ordered, ordered[1:]):
            if "max" not in a or "min" not in b or D(a["max"]) != D(b["min"]):
                self.p.append(f"{w}: bands gap/overlap between {a} and {b}")

    # ------------------------------------------------------------ scoring
    @staticmethod
    def empty_value(inp):
        """What an optional input left empty counts as: its default, else 0 or false."""
        if "default" in inp:
            v = inp["default"]
            return D(v) if inp["type"] in NUMERIC else v
        if inp["type"] in NUMERIC:
            return Decimal(0)
        if inp["type"] == "bool":
            return False
        return None

    def env(self, values, tags=()):
        env = {t: (t in self.unit_tags(tags)) for t in self.tags}  # a tag is never pending
        for iid, inp in self.inputs.items():
            v = values.get(iid)
            if v is None:
                if inp.get("required", True) is False:
                    if "default" in inp:
                        v = inp["default"]
                    elif inp["type"] in NUMERIC:
                        v = 0
                    elif inp["type"] == "bool":
                        v = False
                if v is None:
                    env[iid] = None
                    continue
            t = inp["type"]
            if t in NUMERIC:
                v = D(v)
                if t == "count" and (v != v.to_integral_value() or v < 0):
                    raise ValueError(f"{iid}: count must be an integer >= 0: {v}")
                if t == "percent" and not (0 <= v <= 100):
                    raise ValueError(f"{iid}: percent out of range: {v}")
            elif t == "bool":
                if not isinstance(v, bool):
                    raise ValueError(f"{iid}: not a bool")
            elif t == "choice":
                if v not in inp["options"]:
                    raise ValueError(f"{iid}: not an option: {v}")
            env[iid] = v
        # An input whose `applicable` condition is false for these values is not required: left
        # empty it counts as an optional input left empty would (a condition that cannot be
        # evaluated yet keeps it required).
        for iid, inp in self.inputs.items():
            if "applicable" in inp and env.get(iid) is None and inp.get("required", True) is not False:
                if ev(parse(inp["applicable"]), env) is False:
                    env[iid] = self.empty_value(inp)
        for iid, inp in self.inputs.items():  # bounds
            for b, cmp in (("min", lambda x, y: x >= y), ("max", lambda x, y: x <= y)):
                if b in inp and env.get(iid) is not None:
                    bound = inp[b]
                    bound = env.get(bound) if isinstance(bound, str) and bound in self.inputs else D(bound)
                    if bound is not None and not cmp(env[iid], bound):
                        raise ValueError(f"{iid} ({inp['label']}): {env[iid]} violates {b} {inp[b]}")
        return env

    def eval_lines(self, lines, env, combine="sum"):
        amounts = []
        for l in lines:
            if "if" in l:
                c = ev(parse(l["if"]), env)
                if c in (UNDEF, PENDING):
                    return c
                if c:
                    amounts.append(D(l["points"]))
            else:
                v = ev(parse(l["per"]), env)
                if v in (UNDEF, PENDING):
                    return v
                n = max(Decimal(0), v - D(l.get("free", 0)))
                if n:
                    amounts.append(n * D(l["points"]))
        if not amounts:
            return Decimal(0)
        return max(amounts) if combine == "max" else sum(amounts)

    def score_item(self, it, rule, env):
        """(score or None, status); every score rounded to `scale` (a pending item's full points too)."""
        score, status = self._score_item(it, rule, env)
        HITS[f"item {rule} {status}"] += 1
        return (None if score is None else rnd(score, self.scale)), status

    def _score_item(self, it, rule, env):
        pts = D(it["points"])
        na = self.doc.get("not_applicable", "full")
        if "applicable" in it:
            a = ev(parse(it["applicable"]), env)
            if a in (UNDEF, PENDING):
                return pts, "pending"
            if not a:
                return (None if na == "rescale" else pts), "not_applicable"
        limit = min(D(it["cap"]), pts) if "cap" in it else pts
        if rule == "deduct":
            tot = self.eval_lines(it["deduct"], env, it.get("combine", "sum"))
            if tot in (UNDEF, PENDING):
                return pts, "pending"
            if limit < pts and tot > limit:
                HITS["deduct cap cut"] += 1
            if tot > pts:
                HITS["deduct beyond points (扣完为止)"] += 1
            return rnd(pts - min(limit, tot), self.scale), "scored"
        if rule == "rate":
            r = it["rate"]
            v = ev(parse(r["value"]), env)
            if v is PENDING:
                return pts, "pending"
            if v is UNDEF:
                wu = r.get("when_undefined", "full")
                HITS[f"rate undefined -> {wu}{' (item has a cap)' if 'cap' in it else ''}"] += 1
                if wu == "full":
                    return pts, "scored"
                if wu == "zero":
                    return Decimal(0), "scored"
                return pts, "pending"
            target = D(r["target"])
            lower = r.get("direction", "higher") == "lower"
            shortfall = (v - target) if lower else (target - v)
            if shortfall <= 0:
                HITS["rate at or beyond target"] += 1
                return rnd(pts, self.scale), "scored"
            HITS[f"rate {r['mode']} {r.get('partial', 'exact') if r['mode'] == 'step' else ''} shortfall"] += 1
            if r["mode"] == "step":
                steps = div(shortfall, D(r["step"]))
                partial = r.get("partial", "exact")
                if partial == "up":
                    steps = steps.to_integral_value(rounding=ROUND_CEILING)
                elif partial == "down":
                    steps = steps.to_integral_value(rounding=ROUND_FLOOR)
                ded = steps * D(r["points_per_step"])
            else:
                s = div(pts * target, v) if lower else div(pts * v, target)
                s = max(Decimal(0), min(pts, s))
                ded = pts - s
            return rnd(pts - min(limit, ded), self.scale), "scored"
        if rule == "bands":
            v = ev(parse(it["bands"]["value"]), env)
            if v in (UNDEF, PENDING):
                return pts, "pending"
            bands = it["bands"]["bands"]
            for b in bands:
                if ("min" not in b or D(b["min"]) <= v) and ("max" not in b or v < D(b["max"])):
                    return rnd(D(b["score"]), self.scale), "scored"
            maxes = [D(b["max"]) for b in bands if "max" in b]
            for b in bands:
                if maxes and "max" in b and D(b["max"]) == max(maxes) == v:
                    HITS["band inclusive last max"] += 1
                    return rnd(D(b["score"]), self.scale), "scored"
            raise ValueError(f"item {it['id']}: no band for {v}")
        if rule == "judged":
            v = env.get(it["judged"]["input"])
            if v is None:
                return pts, "pending"
            return rnd(v, self.scale), "scored"
        if rule == "rank":
            peers = env.get(BATCH)
            if peers is None:
                return pts, "pending"  # batch only
            r = it["rank"]
            v = ev(parse(r["value"]), env)
            if v in (UNDEF, PENDING):
                return pts, "pending"
            if it["id"] not in peers.rank_values:
                # the peers' values: those for which the item applies and the value is defined
                vals = []
                for pe in peers.envs:
                    if "applicable" in it and ev(parse(it["applicable"]), pe) is not True:
                        HITS["rank item: a peer it does not apply to left out"] += 1
                        continue
                    pv = ev(parse(r["value"]), pe)
                    if pv not in (UNDEF, PENDING):
                        vals.append(pv)
                peers.rank_values[it["id"]] = vals
            desc = r.get("order", "desc") == "desc"
            rank = 1 + sum(1 for p in peers.rank_values[it["id"]] if (p > v if desc else p < v))
            HITS[f"rank item rank {min(rank, 4)}{'+' if rank >= 4 else ''}"] += 1
            s = max(D(r.get("floor", 0)), D(r["first"]) - (rank - 1) * D(r["step"]))
            return min(pts, s), "scored"
        if rule == "formula":
            v = ev(parse(it["formula"]), env)
            if v in (UNDEF, PENDING):
                return pts, "pending"
            return rnd(max(Decimal(0), min(pts, v)), self.scale), "scored"
        raise AssertionError(rule)

    def score_batch(self, units):
        """units: [(unit dict, values)] scored together: peers per group, ranks by total, quotas."""
        envs = [self.env(v, u.get("tags", ())) for u, v in units]
        groups = {}
        for k, (u, _) in enumerate(units):
            groups.setdefault(u.get("group"), []).append(k)
        out = [None] * len(units)
        names = [g["name"] for g in self.doc["grades"]]
        for members in groups.values():
            ranked = [k for k in members if units[k][0].get("ranked", True) is not False]
            peers = Peers([envs[k] for k in ranked])
            for k in ranked:
                envs[k][BATCH] = peers
            for k in members:
                envs[k][BATCH] = peers
                out[k] = self.score(units[k][1], envs[k])
                out[k]["rank"] = None
            totals = {k: D(out[k]["total"]) for k in ranked}
            for k in ranked:  # competition ranking: ties share the better rank (1-2-2-4)
                out[k]["rank"] = 1 + sum(1 for j in ranked if totals[j] > totals[k])
            # quotas, best grade first (DESIGN + README): at most floor(max_share x units) units keep the
            # grade, chosen by rank; a tie that would exceed it moves all tied units down; a unit moved
            # down competes for the next grade's quota; a unit a veto already lowered (its grade after
            # vetoes is below its grade by score, decided before any quota moves anyone) takes no place
            # and is not moved; a triggered veto that lowered nothing shields nothing
            quotas = sorted(self.doc.get("quotas", []), key=lambda q: names.index(q["grade"]))
            by_score = {k: names.index(out[k]["grade_by_score"]) for k in ranked}
            veto_lowered = {k for k in ranked if names.index(out[k]["grade"]) > by_score[k]}
            for q in quotas:
                gi = names.index(q["grade"])
                limit = int((D(q["max_share"]) * len(ranked)).to_integral_value(rounding=ROUND_FLOOR))
                holders = [k for k in ranked if out[k]["grade"] == q["grade"] and k not in veto_lowered]
                for k in holders:
                    if sum(1 for j in holders if out[j]["rank"] <= out[k]["rank"]) > limit and gi + 1 < len(names):
                        out[k]["grade"] = names[gi + 1]
                        out[k]["quota_moves"] = out[k].get("quota_moves", 0) + 1
                        HITS["quota moved a unit down"] += 1
        return self.mark_incomplete(units, out)

    def mark_incomplete(self, units, out):
        """Ranks and quotas are final only when every unit of the group is: while a peer is provisional,
        every report that depends on its peers (ranked units; any unit when the rules read peers'
        values) is provisional too, with a pending entry of kind "batch" (id "")."""
        groups = {}
        for k, (u, _) in enumerate(units):
            groups.setdefault(u.get("group"), []).append(k)
        reads_peers = self.reads_peers()
        for members in groups.values():
            open_ = sum(1 for k in members if out[k]["status"] == "provisional")
            for k in members:
                if not (units[k][0].get("ranked", True) is not False or reads_peers):
                    continue
                own = 1 if out[k]["status"] == "provisional" else 0
                if open_ - own > 0:
                    out[k]["status"] = "provisional"
                    out[k]["pending"] = out[k]["pending"] + [""]
                    HITS["batch report provisional for an incomplete peer"] += 1
        return out

    def reads_peers(self):
        """Whether a unit's score can depend on its peers' values: a rank item or a batch aggregate."""
        d = self.doc
        exprs = []
        for s in d["sections"]:
            for it in s["items"]:
                if "rank" in it:
                    return True
                exprs += [it.get("applicable")] + [l.get("if") or l.get("per") for l in it.get("deduct", [])]
                for k in ("rate", "bands"):
                    if k in it:
                        exprs.append(it[k]["value"])
                if "formula" in it:
                    exprs.append(it["formula"])
        for a in d.get("adjustments", []):
            exprs += [l.get("if") or l.get("per") for l in a["deduct"]]
        for b in d.get("bonus", {}).get("items", []):
            exprs += [l.get("if") or l.get("per") for l in b["add"]]
        exprs += [v["when"] for v in d.get("vetoes", [])]
        return any(uses_batch(parse(e)) for e in exprs if e)

    def score(self, values, env=None, tags=()):
        d, sc = self.doc, self.scale
        env = self.env(values, tags) if env is None else env
        pending = []
        out_items, sections = {}, {}
        earned = Decimal(0)
        applicable_pts = Decimal(0)
        any_na = False
        for s in d["sections"]:
            raw = Decimal(0)
            for it in s["items"]:
                rule = [k for k in RULE_KEYS if k in it][0]
                score, status = self.score_item(it, rule, env)
                out_items[it["id"]] = (score, status)
                if status == "pending":
                    pending.append(it["id"])
                if status == "not_applicable":
                    any_na = True
                if score is not None:
                    raw += score
                    if status != "not_applicable":
                        applicable_pts += D(it["points"])
            if "out_of" in s:
                sec = rnd(div(raw * D(s["points"]), D(s["out_of"])), sc)
            else:
                sec = raw
            sections[s["id"]] = sec
            earned += sec
        full = D(d["full_score"])
        if d.get("not_applicable", "full") == "rescale" and any_na:
            subtotal = full if applicable_pts == 0 else rnd(div(earned * full, applicable_pts), sc)
        else:
            subtotal = earned
        if d.get("not_applicable", "full") == "rescale" and any_na:
            HITS["rescale applied" if applicable_pts else "rescale with nothing applicable"] += 1
        adj_total = Decimal(0)
        adjustments, adj_status = {}, {}
        for a in d.get("adjustments", []):
            t = self.eval_lines(a["deduct"], env, a.get("combine", "sum"))
            adj_status[a["id"]] = "scored"
            if t in (UNDEF, PENDING):
                pending.append(a["id"])
                adj_status[a["id"]] = "pending"
                t = Decimal(0)
            if "cap" in a:
                if t > D(a["cap"]):
                    HITS["adjustment cap cut"] += 1
                t = min(t, D(a["cap"]))
            t = rnd(t, sc)
            adjustments[a["id"]] = t
            adj_total += t
        if subtotal - adj_total < 0:
            HITS["total floored at zero"] += 1
        base = max(Decimal(0), subtotal - adj_total)
        bonus_amt = Decimal(0)
        bonus_items = {}
        if "bonus" in d:
            for b in d["bonus"]["items"]:
                t = self.eval_lines(b["add"], env, b.get("combine", "sum"))
                st = "scored"
                if t in (UNDEF, PENDING):
                    pending.append(b["id"])
                    st = "pending"
                    t = Decimal(0)
                amt = rnd(min(t, D(b["points"])), sc)
                bonus_items[b["id"]] = (fmt(amt, sc), st)
                bonus_amt += amt
            cap = D(d["bonus"]["cap"])
            if bonus_amt > cap:
                HITS["bonus cap cut"] += 1
            bonus_amt = min(bonus_amt, cap)
        total = base + bonus_amt
        grades = d["grades"]
        names = [g["name"] for g in grades]
        gi = next(i for i, g in enumerate(grades) if D(g["min"]) <= total)
        grade_by_score = gi
        lowest = len(grades) - 1
        triggered = []
        for v in d.get("vetoes", []):
            w = ev(parse(v["when"]), env)
            if w in (UNDEF, PENDING):
                pending.append(v["id"])
                HITS["veto pending"] += 1
                continue
            if not w:
                continue
            triggered.append(v["id"])
            eff = v["effect"]
            HITS[f"veto triggered {eff if isinstance(eff, str) else next(iter(eff))}"] += 1
            if eff == "fail":
                gi = max(gi, lowest)
            elif eff == "zero":
                total = Decimal(0)
                gi = max(gi, lowest)
            elif "max_grade" in eff:
                gi = max(gi, names.index(eff["max_grade"]))
            else:
                gi = max(gi, min(lowest, grade_by_score + int(eff["lower_grades"])))
        HITS[f"grade index {gi}"] += 1
        return {
            "total": fmt(total, sc), "grade": names[gi], "grade_by_score": names[grade_by_score],
            "status": "provisional" if pending else "final", "pending": pending,
            "subtotal": fmt(subtotal, sc), "sections": {k: fmt(v, sc) for k, v in sections.items()},
            "adjustments": {k: fmt(v, sc) for k, v in adjustments.items()}, "adjustment_status": adj_status,
            "bonus": fmt(bonus_amt, sc), "bonus_items": bonus_items,
            "items": {k: (None if s is None else fmt(s, sc), st) for k, (s, st) in out_items.items()},
            "vetoes": triggered,
        }


# ---------------------------------------------------------------- feature coverage (the brief's checklist)
def coverage(rs):
    d = rs.doc
    f = {}
    items = [it for _, it, _ in rs.items]
    rules = [r for _, _, r in rs.items]
    for r in RULE_KEYS:
        f[f"rule {r}"] = rules.count(r)
    ded = [it for it in items if "deduct" in it]
    lines = [l for it in ded for l in it["deduct"]]
    f["deduct if-line"] = sum("if" in l for l in lines)
    f["deduct per-line"] = sum("per" in l for l in lines)
    f["deduct free"] = sum("free" in l for l in lines)
    f["deduct item cap"] = sum("cap" in it for it in ded)
    f["deduct combine max"] = sum(it.get("combine") == "max" for it in ded)
    rates = [it["rate"] for it in items if "rate" in it]
    f["rate step exact"] = sum(r["mode"] == "step" and r.get("partial", "exact") == "exact" for r in rates)
    f["rate step up"] = sum(r["mode"] == "step" and r.get("partial") == "up" for r in rates)
    f["rate step down"] = sum(r["mode"] == "step" and r.get("partial") == "down" for r in rates)
    f["rate proportional"] = sum(r["mode"] == "proportional" for r in rates)
    f["rate lower"] = sum(r.get("direction") == "lower" for r in rates)
    f["rate when_undefined"] = sum("when_undefined" in r for r in rates)
    f["rate cap"] = sum("cap" in it for it in items if "rate" in it)
    f["applicable"] = sum("applicable" in it for it in items)
    f["section out_of"] = sum("out_of" in s for s in d["sections"])
    f["tiered per lines (min(...) pattern)"] = sum(
        1 for it in ded if sum("per" in l and "min(" in l["per"] for l in it["deduct"]) >= 1
        and sum("per" in l for l in it["deduct"]) >= 2)
    ranged = {i["id"] for i in d["inputs"] if i["type"] == "number" and "min" in i and "max" in i}
    judged = {it["judged"]["input"] for it in items if "judged" in it}
    f["assessor range (number input, per points 1)"] = sum(
        1 for l in lines if "per" in l and l["per"] in ranged - judged and D(l["points"]) == 1)
    f["max naming an input"] = sum(1 for i in d["inputs"] if isinstance(i.get("max"), str) and i["max"] in rs.inputs)
    f["last-year inputs"] = sum(1 for i in d["inputs"] if "last_year" in i["id"] or "上年" in i["label"])
    f["choice input"] = sum(1 for i in d["inputs"] if i["type"] == "choice")
    f["adjustments"] = len(d.get("adjustments", []))
    f["adjustment cap"] = sum("cap" in a for a in d.get("adjustments", []))
    f["bonus combine max"] = sum(b.get("combine") == "max" for b in d.get("bonus", {}).get("items", []))
    for eff in ("fail", "zero"):
        f[f"veto {eff}"] = sum(v["effect"] == eff for v in d.get("vetoes", []))
    f["veto max_grade"] = sum(isinstance(v["effect"], dict) and "max_grade" in v["effect"] for v in d.get("vetoes", []))
    f["veto lower_grades"] = sum(isinstance(v["effect"], dict) and "lower_grades" in v["effect"] for v in d.get("vetoes", []))
    f["items"] = len(items)
    f["tests"] = len(d.get("tests", []))
    return f


def style(rs):
    """The brief's house rules: basis everywhere, labels with units, description wording."""
    d, p = rs.doc, []
    for _, it, _ in rs.items:
        if not it.get("basis"):
            p.append(f"item {it['id']} has no basis")
    for i in d["inputs"]:
        if i["type"] in ("count", "number", "percent"):
            if not re.search(r"（[^（）]+）$", i["label"]):
                p.append(f"input {i['id']}: label without （unit）: {i['label']}")
            if "unit" not in i:
                p.append(f"input {i['id']}: no unit")
        if i["type"] != "text" and "section" not in i:
            p.append(f"(info) input {i['id']} has no section (adjustment/bonus/veto input)")
    desc = d.get("description", "")
    if "公开工作计划" not in desc or "非官方" not in desc:
        p.append("description should say 公开工作计划 … 非官方细则")
    for k, v in (("full_score", "100"), ("scale", 2)):
        if str(d.get(k)) != str(v):
            p.append(f"{k} is {d.get(k)}")
    return p


def run_tests(rs, show=None):
    fails = 0
    for t in rs.doc.get("tests", []):
        try:
            r = rs.score(t["values"], tags=t.get("unit", {}).get("tags", ()))
        except ValueError as e:
            print(f"  ✗ {t['name']}: {e}")
            fails += 1
            continue
        missing = [i for i, inp in rs.inputs.items() if inp.get("required", True) and i not in t["values"]]
        exp = t["expect"]
        bad = []
        if missing:
            bad.append(f"missing required inputs {missing}")
        for k in ("total", "grade", "status"):
            if k in exp and exp[k] != r[k]:
                bad.append(f"{k}: expected {exp[k]}, got {r[k]}")
        for iid, want in exp.get("items", {}).items():
            got = r["items"][iid][0]
            if got is None or D(got) != D(want):
                bad.append(f"item {iid}: expected {want}, got {got}")
        if "vetoes" in exp and sorted(exp["vetoes"]) != sorted(r["vetoes"]):
            bad.append(f"vetoes: expected {exp['vetoes']}, got {r['vetoes']}")
        mark = "✗" if bad else "✓"
        fails += bool(bad)
        print(f"  {mark} {t['name']}: total {r['total']} {r['grade']} ({r['status']}) sections {r['sections']}"
              f" adj {r['adjustments']} bonus {r['bonus']} vetoes {r['vetoes']}")
        for b in bad:
            print(f"      {b}")
        if show and show == t["name"]:
            for k, v in r["items"].items():
                print(f"      {k}: {v}")
    return fails


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal, parse_int=Decimal)


def main(argv):
    show = None
    values_file = None
    files = []
    it = iter(argv)
    for a in it:
        if a == "--show":
            show = next(it)
        elif a == "--values":
            values_file = next(it)
        else:
            files.append(a)
    total_fail = 0
    for path in files:
        doc = load(path)
        # scale and lower_grades are integers: back to int
        doc["scale"] = int(doc.get("scale", 2))
        problems = []
        rs = RuleSet(doc, problems)
        print(f"== {path}: {doc['id']} {doc['version']} ({len(rs.items)} items)")
        for p in problems:
            print(f"  LINT {p}")
        for p in style(rs):
            print(f"  STYLE {p}")
        cov = coverage(rs)
        missing = [k for k, v in cov.items() if v == 0]
        print("  coverage: " + ", ".join(f"{k}={v}" for k, v in cov.items()))
        if missing:
            print(f"  NOT USED: {missing}")
        if values_file:
            sub = load(values_file)
            r = rs.score(sub.get("values", sub), tags=sub.get("unit", {}).get("tags", ()) if "values" in sub else ())
            print(json.dumps(r, ensure_ascii=False, indent=1, default=str))
        total_fail += len(problems) + run_tests(rs, show)
    print("OK" if total_fail == 0 else f"{total_fail} problem(s)")
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
