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
- issue 14 (docs/SPEC.md "Record lists" and after): `records` inputs (a list of rows of typed fields; a
  required cell left empty makes a row expression reading it pending; an optional one is its default, 0,
  false), `date` inputs and fields (never scored); list functions count/sum/max/min/any/all over a list
  with a row expression (fields shadow inputs; every row evaluated: any pending row -> pending, else any
  undefined row -> undefined; no rows: 0, false for any, true for all); `each` lines (if/per/amount/tiers
  once per row; pending before undefined over the rows), `amount` lines (max(0, value)), `tiers` (the
  largest tier that holds, the first of equals), line groups (no points of their own); grade `over`,
  band `over`/`under`/`upto`, rate `above`/`below` (an exclusive target: at it a started step); empty
  grades (no grade); veto effect `ungraded` (no grade) and `ranking` last/excluded; items the assessors
  mark not applicable (`assessor_na` + a submission's `not_applicable`); nothing applicable is refused
  (score.nothing_applicable); a section whose every item is not applicable has no score under rescale;
  `notes_required` (a scored item below its points without a note is pending, kind note); judged
  `aggregate` mean / trimmed_mean over a `multiple` input (rounded to scale); self-assessment (values:
  scored in full; items: sections of the own scores, an item not given at the assessors' score,
  converted and rescaled as the assessors', graded by score).
"""
import json
import re
import sys
from collections import ChainMap, Counter
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
         "avg": 1, "sum": (1, 2), "count": (0, 1, 2), "rank": 1, "any": 2, "all": 2}
LIST_FUNCS = ("count", "sum", "max", "min", "any", "all")


class Rows:
    """A record list's value: a list of row dicts (field id -> value, None = empty), or None when the list
    was not given (pending when read)."""

    def __init__(self, rows):
        self.rows = rows


class NothingApplicable(Exception):
    """Every item is not applicable: the engine refuses to score (score.nothing_applicable)."""


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
                if isinstance(n, tuple):
                    ok = len(args) in n
                else:
                    ok = (n is not None and len(args) == n) or (n is None and len(args) >= 2)
                if not ok:
                    raise SyntaxError(f"{val}: wrong arity {len(args)}")
                return ("call", val, args)
            return ("id", val)
        raise SyntaxError(f"unexpected {kind} {val}")


@lru_cache(maxsize=None)
def parse(text):
    return Parser(text).parse()


def ids_of(e, acc=None, shadow=frozenset()):
    """The input ids an expression names (not the row fields in `shadow`, which shadow inputs)."""
    acc = set() if acc is None else acc
    tag = e[0]
    if tag == "id":
        if e[1] not in shadow:
            acc.add(e[1])
    elif tag == "call" and e[1] in LIST_FUNCS and e[2] and e[2][0][0] == "id" and e[2][0][1] in LIST_SHADOW:
        acc.add(e[2][0][1])
        for a in e[2][1:]:
            ids_of(a, acc, LIST_SHADOW[e[2][0][1]])
        return acc
    elif tag in ("not", "neg"):
        ids_of(e[1], acc, shadow)
    elif tag == "bin":
        ids_of(e[2], acc, shadow)
        ids_of(e[3], acc, shadow)
    elif tag == "call":
        for a in e[2]:
            ids_of(a, acc, shadow)
    return acc


# record list id -> its field ids (set by RuleSet while it lints; ids_of reads it)
LIST_SHADOW = {}


def uses_batch(e):
    """Whether an expression reads the batch: avg(id), rank(id), count() or sum(id) (count(L, …) and
    sum(L, x) over a record list read the unit's own rows)."""
    if e[0] == "call":
        name, args = e[1], e[2]
        batch = name in ("avg", "rank") or (name == "count" and not args) or (name == "sum" and len(args) == 1)
        return batch or any(uses_batch(a) for a in args)
    if e[0] in ("not", "neg"):
        return uses_batch(e[1])
    if e[0] == "bin":
        return uses_batch(e[2]) or uses_batch(e[3])
    return False


NUMERIC = {"count", "number", "percent"}


def typeof(e, inputs, problems, where, row=None):
    """'num' | 'bool' | 'str' | ('choice', id) | ('list', id). `row`: the record list whose row is in scope
    (its fields shadow inputs in `inputs`, which then holds them)."""
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
        if inp.get("multiple"):
            problems.append(f"{where}: multiple input {e[1]} in an expression")
            return "num"
        if t in NUMERIC:
            return "num"
        if t == "bool":
            return "bool"
        if t == "choice":
            return ("choice", e[1])
        if t == "records":
            return ("list", e[1])
        problems.append(f"{where}: {t} input {e[1]} in an expression")
        return "num"
    if tag == "not":
        if typeof(e[1], inputs, problems, where, row) != "bool":
            problems.append(f"{where}: ! on a non-bool")
        return "bool"
    if tag == "neg":
        if typeof(e[1], inputs, problems, where, row) != "num":
            problems.append(f"{where}: unary - on a non-number")
        return "num"
    if tag == "bin":
        op, a, b = e[1], typeof(e[2], inputs, problems, where, row), typeof(e[3], inputs, problems, where, row)
        if op in ("&&", "||"):
            if a != "bool" or b != "bool":
                problems.append(f"{where}: {op} on non-bools")
            return "bool"
        if op in ("==", "!="):
            if (isinstance(a, tuple) and a[0] == "list") or (isinstance(b, tuple) and b[0] == "list"):
                problems.append(f"{where}: a record list compared")
                return "bool"
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
        first = typeof(args[0], inputs, [], where, row) if args else None
        if f in LIST_FUNCS and isinstance(first, tuple) and first[0] == "list":
            if row is not None:
                problems.append(f"{where}: list functions do not nest (expr.nesting)")
            lst = inputs[first[1]]
            if len(args) == 1:
                if f != "count":
                    problems.append(f"{where}: {f} over a list needs a row expression")
                return "num"
            if len(args) != 2:
                problems.append(f"{where}: {f} over a list takes 2 arguments")
                return "num"
            scope = dict(inputs, **{fl["id"]: fl for fl in lst["fields"]})
            t = typeof(args[1], scope, problems, where, first[1])
            want = "bool" if f in ("count", "any", "all") else "num"
            if t != want:
                problems.append(f"{where}: {f} row expression is {t}, not {want}")
            return "bool" if f in ("any", "all") else "num"
        if f in ("any", "all"):
            problems.append(f"{where}: {f} needs a record list")
            return "bool"
        if f == "count" and args:
            problems.append(f"{where}: count() with arguments needs a record list")
            return "num"
        if f == "sum" and len(args) != 1:
            problems.append(f"{where}: sum with 2 arguments needs a record list")
            return "num"
        if f in ("avg", "sum", "rank"):
            if args[0][0] != "id" or inputs.get(args[0][1], {}).get("type") not in NUMERIC:
                problems.append(f"{where}: {f} needs a numeric input id")
            return "num"
        if f == "count":
            return "num"
        ts = [typeof(a, inputs, problems, where, row) for a in args]
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
        if f in LIST_FUNCS and args and args[0][0] == "id" and isinstance(env.get(args[0][1]), Rows):
            return _ev_list(f, args, env, st)
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


def _ev_list(f, args, env, st):
    """count/sum/max/min/any/all over a record list: every row evaluated; a pending row makes the result
    pending, an undefined row undefined (with the row's value as computed)."""
    rows = env[args[0][1]].rows
    if rows is None:
        raise _Pending
    HITS[f"list function {f}{' (no rows)' if not rows else ''}"] += 1
    if len(args) == 1:
        return Decimal(len(rows))
    vals, pending = [], False
    for row in rows:
        st2 = {"undefined": False}
        try:
            v = _ev(args[1], ChainMap(row, env), st2)
        except _Pending:
            pending = True
            continue
        if st2["undefined"]:
            st["undefined"] = True
        vals.append(v)
    if pending:
        raise _Pending
    if f == "count":
        return Decimal(sum(1 for v in vals if v))
    if f == "sum":
        return sum(vals, Decimal(0))
    if f == "max":
        return max(vals) if vals else Decimal(0)
    if f == "min":
        return min(vals) if vals else Decimal(0)
    if f == "any":
        return any(vals)
    return all(vals)


# ---------------------------------------------------------------- loading and lint
RULE_KEYS = ("deduct", "rate", "bands", "judged", "rank", "formula")
TOP_FIELDS = {"$schema", "format", "id", "version", "title", "period", "unit_kind", "description",
              "full_score", "scale", "not_applicable", "inputs", "sections", "adjustments", "bonus",
              "vetoes", "grades", "quotas", "tests", "documents", "unit_tags", "notes_required"}
TRACE = {"sources", "example"}  # traceability fields (format additions §1–2): never scored
DOCUMENT_FIELDS = {"id", "title", "number", "issuer", "date", "file"}
TAG_FIELDS = {"id", "label", "help"}
INPUT_FIELDS = {"id", "label", "type", "section", "required", "min", "max", "options", "default", "unit", "help", "applicable",
                "fields", "min_rows", "max_rows", "describe", "multiple"}
FIELD_FIELDS = {"id", "label", "type", "required", "min", "max", "options", "default", "unit", "help"}
SECTION_FIELDS = {"id", "title", "points", "out_of", "items"}
ITEM_FIELDS = {"id", "title", "points", "basis", "cap", "combine", "applicable", "assessor_na"} | set(RULE_KEYS) | TRACE
LINE_FIELDS_IF = {"if", "points", "reason", "each"} | TRACE
LINE_FIELDS_PER = {"per", "points", "free", "unit", "reason", "each"} | TRACE
LINE_FIELDS_AMOUNT = {"amount", "reason", "each"} | TRACE
LINE_FIELDS_TIERS = {"tiers", "reason", "each"} | TRACE
GROUP_FIELDS = {"group", "lines"} | TRACE
ADJUSTMENT_FIELDS = {"id", "title", "basis", "cap", "combine", "deduct"} | TRACE
BONUS_ITEM_FIELDS = {"id", "title", "points", "basis", "combine", "add", "assessor_na"} | TRACE
VETO_FIELDS = {"id", "title", "basis", "when", "effect", "ranking"} | TRACE
GRADE_FIELDS = {"name", "min", "over"} | TRACE
QUOTA_FIELDS = {"grade", "max_share"} | TRACE
RATE_FIELDS = {"value", "target", "above", "below", "direction", "mode", "step", "points_per_step", "partial",
               "when_undefined"}
BAND_FIELDS = {"min", "over", "max", "under", "upto", "score"}


def flat(lines):
    """Lines with groups (「（一）…」 sub-headings, no points of their own) expanded in place."""
    out = []
    for l in lines:
        out.extend(l["lines"] if "group" in l else [l])
    return out


def line_exprs(lines):
    """Every expression of some lines (groups expanded): if, per, amount and each tier's if."""
    out = []
    for l in flat(lines):
        out += [l.get(k) for k in ("if", "per", "amount")] + [t["if"] for t in l.get("tiers", [])]
    return out


def grade_bound(g):
    """(value, exclusive) of a grade: `min` X (>= X) or `over` X (> X)."""
    return (D(g["over"]), True) if "over" in g else (D(g["min"]), False)


def admits(g, total):
    v, over = grade_bound(g)
    return total > v if over else total >= v


def band_holds(b, v):
    """The band's own bounds (a legacy `max` exclusive; its inclusive top handled by the caller)."""
    if "min" in b and not D(b["min"]) <= v:
        return False
    if "over" in b and not D(b["over"]) < v:
        return False
    if "max" in b and not v < D(b["max"]):
        return False
    if "under" in b and not v < D(b["under"]):
        return False
    if "upto" in b and not v <= D(b["upto"]):
        return False
    return True



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
    out += [(f"/grades/{gi}/{'over' if 'over' in g else 'min'}", g.get("over", g.get("min")))
            for gi, g in enumerate(d["grades"])]
    return out


class RuleSet:
    def __init__(self, doc, problems):
        self.doc = doc
        self.p = problems
        self.scale = int(doc.get("scale", 2))
        self.inputs = {i["id"]: i for i in doc["inputs"]}
        LIST_SHADOW.clear()
        LIST_SHADOW.update({i["id"]: frozenset(f["id"] for f in i.get("fields", []))
                            for i in doc["inputs"] if i["type"] == "records"})
        # unit tags (format additions §3): bools in the input namespace, for type checking only
        self.tags = [t["id"] for t in doc.get("unit_tags", [])]
        self.typing = dict(self.inputs, **{t: {"id": t, "type": "bool", "label": t} for t in self.tags})
        self.used = set()
        self.parsed = {}
        self.lint()

    def expr(self, text, want, where, row=None):
        """Type-checks an expression; with `row` (a record list id), as a row expression over that list."""
        try:
            e = parse(text)
        except SyntaxError as err:
            self.p.append(f"{where}: syntax: {err}")
            return ("num", Decimal(0))
        scope, shadow = self.typing, frozenset()
        if row is not None:
            fields = self.inputs[row]["fields"]
            scope = dict(self.typing, **{f["id"]: f for f in fields})
            shadow = frozenset(f["id"] for f in fields)
        t = typeof(e, scope, self.p, where, row)
        if want != t:
            self.p.append(f"{where}: expected {want}, got {t}")
        self.used |= ids_of(e, None, shadow)
        self.parsed[(where, text)] = e
        return e

    def lines(self, lines, where):
        out = []
        for k, l in enumerate(lines):
            w = f"{where}/{k}"
            if "group" in l:
                if set(l) - GROUP_FIELDS or not l.get("lines") or any("group" in x for x in l["lines"]):
                    self.p.append(f"{w}: a group needs lines and no nested group")
                out += self.lines(l["lines"], w + "/lines")
                continue
            row = l.get("each")
            if row is not None:
                if self.inputs.get(row, {}).get("type") != "records":
                    self.p.append(f"{w}: each names no record list")
                    row = None
                self.used.add(l["each"])
            forms = [f for f in ("if", "per", "amount", "tiers") if f in l]
            if len(forms) != 1:
                self.p.append(f"{w}: a line needs exactly one of if, per, amount, tiers")
                continue
            form = forms[0]
            fields = {"if": LINE_FIELDS_IF, "per": LINE_FIELDS_PER, "amount": LINE_FIELDS_AMOUNT,
                      "tiers": LINE_FIELDS_TIERS}[form]
            extra = set(l) - fields
            if form == "if":
                cond = self.expr(l["if"], "bool", w + "/if", row)
                out.append(("if", cond, D(l["points"]), l))
            elif form == "per":
                val = self.expr(l["per"], "num", w + "/per", row)
                out.append(("per", val, D(l["points"]), l))
                if D(l.get("free", 0)) < 0:
                    self.p.append(f"{w}: negative free")
            elif form == "amount":
                out.append(("amount", self.expr(l["amount"], "num", w + "/amount", row), None, l))
            else:
                if not l["tiers"]:
                    self.p.append(f"{w}: no tiers")
                for j, t in enumerate(l["tiers"]):
                    if set(t) != {"if", "points", "reason"} or D(t["points"]) <= 0 or not t["reason"]:
                        self.p.append(f"{w}/tiers/{j}: a tier is if, points > 0 and reason")
                    self.expr(t["if"], "bool", f"{w}/tiers/{j}/if", row)
                out.append(("tiers", None, None, l))
            if extra:
                self.p.append(f"{w}: unknown fields {extra}")
            if form != "tiers" and not l.get("reason"):
                self.p.append(f"{w}: no reason")
            if form in ("if", "per") and D(l["points"]) <= 0:
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
            if t not in NUMERIC | {"bool", "choice", "text", "date", "records"}:
                p.append(f"{w}: bad type")
            if t == "records":
                self.lint_records(inp, w)
            elif set(inp) & {"fields", "min_rows", "max_rows", "describe"}:
                p.append(f"{w}: record-list fields on a {t} input")
            if inp.get("multiple") and (t != "number" or inp.get("required", True) is False or "default" in inp):
                p.append(f"{w}: multiple needs a required number input without default")
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
                    if sum(k in r for k in ("target", "above", "below")) != 1:
                        p.append(f"{wi}: exactly one of target, above, below")
                    if "above" in r and r.get("direction", "higher") != "higher" or \
                            "below" in r and r.get("direction", "lower") != "lower":
                        p.append(f"{wi}: above is higher, below lower")
                    if ("above" in r or "below" in r) and r["mode"] != "step":
                        p.append(f"{wi}: above/below only in step mode")
                    if r["mode"] == "step":
                        if D(r["step"]) <= 0 or "points_per_step" not in r:
                            p.append(f"{wi}: step")
                    elif r["mode"] == "proportional":
                        if D(r.get("target", 0)) <= 0:
                            p.append(f"{wi}: proportional target")
                    else:
                        p.append(f"{wi}: mode")
                elif rule == "bands":
                    b = it["bands"]
                    self.expr(b["value"], "num", wi + "/bands/value")
                    self.check_bands(b["bands"], pts, wi)
                elif rule == "judged":
                    inp = self.inputs.get(it["judged"]["input"])
                    agg = it["judged"].get("aggregate")
                    if not inp or inp["type"] != "number":
                        p.append(f"{wi}: judged input must be a number input")
                    elif bool(inp.get("multiple")) != (agg is not None) or agg not in (None, "mean", "trimmed_mean"):
                        p.append(f"{wi}: aggregate needs a multiple input and the reverse")
                    else:
                        self.used.add(inp["id"])
                        if not agg and (D(inp.get("min", -1)) != 0 or D(inp.get("max", -1)) != pts):
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
        for g in grades:
            if set(g) - GRADE_FIELDS or ("min" in g) == ("over" in g):
                p.append(f"grade {g.get('name')}: exactly one of min and over")
        for a, b in zip(grades, grades[1:]):
            if not grade_bound(a) > grade_bound(b):
                p.append("grades not strictly descending (min X above over X is not allowed, equal is grades.overlap)")
        if grades and (grade_bound(grades[-1]) != (0, False)):
            p.append("last grade must be min 0")
        for vi, v in enumerate(d.get("vetoes", [])):
            self.expr(v["when"], "bool", f"/vetoes/{vi}/when")
            eff = v["effect"]
            if isinstance(eff, dict):
                if "max_grade" in eff and eff["max_grade"] not in names:
                    p.append(f"/vetoes/{vi}: unknown grade")
                if "lower_grades" in eff and int(eff["lower_grades"]) < 1:
                    p.append(f"/vetoes/{vi}: lower_grades")
            elif eff not in ("fail", "zero", "ungraded"):
                p.append(f"/vetoes/{vi}: effect")
            if not grades and eff not in ("zero", "ungraded"):
                p.append(f"/vetoes/{vi}: without grades an effect is zero or ungraded")
            if v.get("ranking", "last") not in ("last", "excluded"):
                p.append(f"/vetoes/{vi}: ranking")
        for q in d.get("quotas", []):
            if q["grade"] not in names or not (0 < D(q["max_share"]) <= 1):
                p.append(f"quota {q}")
        self.lint_tests()
        for inp in d["inputs"]:
            if inp["type"] not in ("text", "date") and inp["id"] not in self.used:
                p.append(f"input {inp['id']} ({inp['label']}) unused")
        # points that totals add up are whole units of `scale` places (points.scale): full_score, section
        # points and out_of, item points, adjustment caps, bonus.cap and bonus item points, and grade mins
        # (a total is compared with them)
        for w, v in scaled_points(d):
            if places(D(v)) > self.scale:
                p.append(f"{w}: {v} has more decimal places than scale {self.scale}")

    def lint_records(self, inp, w):
        """A records input: fields of scalar types with literal bounds and distinct ids, rows 0..1000."""
        p = self.p
        fields = inp.get("fields") or []
        if not fields:
            p.append(f"{w}: a records input needs fields")
        ids = [f["id"] for f in fields]
        if len(set(ids)) != len(ids):
            p.append(f"{w}: field ids repeat")
        for f in fields:
            if set(f) - FIELD_FIELDS or f["type"] not in NUMERIC | {"bool", "choice", "text", "date"}:
                p.append(f"{w}: field {f['id']}")
            for b in ("min", "max"):
                if b in f and isinstance(f[b], str) and re.fullmatch(r"[A-Za-z_]\w*", f[b]):
                    p.append(f"{w}: field {f['id']} {b} names an input")
        lo, hi = int(inp.get("min_rows", 0)), int(inp.get("max_rows", 1000))
        if not 0 <= lo <= hi <= 1000:
            p.append(f"{w}: rows {lo}..{hi}")
        for k in inp.get("describe", []):
            if k not in ids:
                p.append(f"{w}: describe names no field {k}")

    def lint_tests(self):
        """Embedded tests naming unknown inputs, items, vetoes or grades (tests.unknown)."""
        items = {it["id"] for s in self.doc["sections"] for it in s["items"]}
        items |= {b["id"] for b in self.doc.get("bonus", {}).get("items", [])}
        vetoes = {v["id"] for v in self.doc.get("vetoes", [])}
        grades = {g["name"] for g in self.doc["grades"]}
        for t in self.doc.get("tests", []):
            e = t.get("expect", {})
            unknown = (set(t.get("values", {})) - set(self.inputs)) | (set(t.get("not_applicable", {})) - items) \
                | (set(e.get("items", {})) - items) | (set(e.get("vetoes", [])) - vetoes) \
                | ({e["grade"]} - grades if "grade" in e else set())
            if unknown:
                self.p.append(f"test {t.get('name')}: tests.unknown {sorted(unknown)}")

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
        """Sorted by their lower bound (min X before over X), consecutive bands meet exactly: at a shared
        value exactly one of the two includes it (upto or the inclusive top legacy max, against min or
        over)."""
        lower = lambda b: (D(b["min"]), 0) if "min" in b else (D(b["over"]), 1) if "over" in b else None
        upper = lambda b: next(((D(b[k]), k) for k in ("max", "under", "upto") if k in b), None)
        if sum(1 for b in bands if lower(b) is None) > 1 or sum(1 for b in bands if upper(b) is None) > 1:
            self.p.append(f"{w}: more than one open band end")
        for b in bands:
            if set(b) - BAND_FIELDS or sum(k in b for k in ("min", "over")) > 1 \
                    or sum(k in b for k in ("max", "under", "upto")) > 1:
                self.p.append(f"{w}: band bounds")
            if not (0 <= D(b["score"]) <= pts):
                self.p.append(f"{w}: band score out of 0..points")
            lo, hi = lower(b), upper(b)
            if lo and hi and (lo[0] > hi[0] or (lo[0] == hi[0] and (lo[1] or hi[1] != "upto"))):
                self.p.append(f"{w}: empty band")
        legacy = [D(b["max"]) for b in bands if "max" in b]
        top = max(legacy) if legacy else None
        ordered = sorted(bands, key=lambda b: lower(b) or (Decimal("-1e30"), 0))
        for a, b in zip(ordered, ordered[1:]):
            hi, lo = upper(a), lower(b)
            if hi is None or lo is None or hi[0] != lo[0]:
                self.p.append(f"{w}: bands gap/overlap between {a} and {b}")
                continue
            a_in = hi[1] == "upto" or (hi[1] == "max" and lo[1] == 1 and hi[0] == top)
            if a_in == (lo[1] == 0):
                self.p.append(f"{w}: bands meet wrongly at {hi[0]} between {a} and {b}")

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

    def rows(self, inp, rows):
        """A record list's value as rows of field id -> value (None: a required cell left empty; an optional
        one is its default, 0, false), checked as the engine checks it."""
        if rows is None:
            return Rows(None if inp.get("required", True) is not False else [])
        if not isinstance(rows, list) or not int(inp.get("min_rows", 0)) <= len(rows) <= int(inp.get("max_rows", 1000)):
            raise ValueError(f"{inp['id']}: not a list of 0..max_rows rows")
        out = []
        for row in rows:
            if not isinstance(row, dict) or set(row) - {f["id"] for f in inp["fields"]}:
                raise ValueError(f"{inp['id']}: a row is an object of the list's fields")
            cells = {}
            for f in inp["fields"]:
                v = row.get(f["id"])
                if v is None or (f["type"] in ("text", "date") and isinstance(v, str) and not v.strip()):
                    cells[f["id"]] = None if f.get("required", True) is not False else self.empty_value(f)
                    continue
                cells[f["id"]] = self.scalar(f, v)
            out.append(cells)
        return Rows(out)

    def scalar(self, inp, v):
        """One value (an input's or a cell's) converted and checked against literal bounds."""
        t = inp["type"]
        if t in NUMERIC:
            v = D(v)
            if t == "count" and (v != v.to_integral_value() or v < 0):
                raise ValueError(f"{inp['id']}: count must be an integer >= 0: {v}")
            if t == "percent" and not (0 <= v <= 100):
                raise ValueError(f"{inp['id']}: percent out of range: {v}")
            for b, ok in (("min", lambda x, y: x >= y), ("max", lambda x, y: x <= y)):
                if b in inp and not (isinstance(inp[b], str) and inp[b][:1].isalpha()) and not ok(v, D(inp[b])):
                    raise ValueError(f"{inp['id']}: {v} violates {b} {inp[b]}")
        elif t == "bool":
            if not isinstance(v, bool):
                raise ValueError(f"{inp['id']}: not a bool")
        elif t == "choice":
            if v not in inp["options"]:
                raise ValueError(f"{inp['id']}: not an option: {v}")
        elif t == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(v)):
                raise ValueError(f"{inp['id']}: not a date: {v}")
            return None
        elif t == "text":
            return None
        return v

    def env(self, values, tags=()):
        env = {t: (t in self.unit_tags(tags)) for t in self.tags}  # a tag is never pending
        for iid, inp in self.inputs.items():
            if inp["type"] == "records":
                env[iid] = self.rows(inp, values.get(iid))
                continue
            if inp.get("multiple"):
                scores = values.get(iid)
                env[iid] = [D(x) for x in scores] if scores else None
                continue
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

    @staticmethod
    def line_amount(l, env):
        """One line on env: its amount, 0 when it does not apply, or UNDEF/PENDING."""
        if "if" in l:
            c = ev(parse(l["if"]), env)
            return c if c in (UNDEF, PENDING) else (D(l["points"]) if c else Decimal(0))
        if "per" in l:
            v = ev(parse(l["per"]), env)
            return v if v in (UNDEF, PENDING) else max(Decimal(0), v - D(l.get("free", 0))) * D(l["points"])
        if "amount" in l:
            v = ev(parse(l["amount"]), env)
            if v not in (UNDEF, PENDING):
                HITS["amount line"] += 1
            return v if v in (UNDEF, PENDING) else max(Decimal(0), v)
        best = None
        for t in l["tiers"]:  # the largest tier that holds (the first of equals)
            c = ev(parse(t["if"]), env)
            if c in (UNDEF, PENDING):
                return c
            if c and (best is None or D(t["points"]) > best):
                best = D(t["points"])
        if best is not None:
            HITS["tiers line"] += 1
        return best or Decimal(0)

    def eval_lines(self, lines, env, combine="sum"):
        amounts = []
        for l in flat(lines):
            if "each" in l:
                rows = env[l["each"]].rows
                if rows is None:
                    return PENDING
                got = [self.line_amount(l, ChainMap(row, env)) for row in rows]
                HITS[f"each line over {min(len(rows), 3)}{'+' if len(rows) >= 3 else ''} rows"] += 1
                if PENDING in got:
                    return PENDING
                if UNDEF in got:
                    return UNDEF
                amounts += [a for a in got if a]
                continue
            a = self.line_amount(l, env)
            if a in (UNDEF, PENDING):
                return a
            if a:
                amounts.append(a)
        if not amounts:
            return Decimal(0)
        return max(amounts) if combine == "max" else sum(amounts)

    def score_item(self, it, rule, env, na=None):
        """(score or None, status); every score rounded to `scale` (a pending item's full points too).
        `na`: the items the assessors marked not applicable (id -> reason)."""
        if it.get("assessor_na") and it["id"] in (na or {}):
            HITS["item marked not applicable by the assessors"] += 1
            rescale = self.doc.get("not_applicable", "full") == "rescale"
            return (None if rescale else rnd(D(it["points"]), self.scale)), "not_applicable"
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
            exclusive = "above" in r or "below" in r
            target = D(r.get("target", r.get("above", r.get("below"))))
            lower = r.get("direction", "lower" if "below" in r else "higher") == "lower"
            shortfall = (v - target) if lower else (target - v)
            if shortfall < 0 or (shortfall == 0 and not exclusive):
                HITS["rate at or beyond target"] += 1
                return rnd(pts, self.scale), "scored"
            if exclusive and shortfall == 0:
                HITS[f"rate exactly at an exclusive bound ({r.get('partial', 'exact')})"] += 1
            HITS[f"rate {r['mode']} {r.get('partial', 'exact') if r['mode'] == 'step' else ''} shortfall"] += 1
            if r["mode"] == "step":
                steps = div(shortfall, D(r["step"]))
                partial = r.get("partial", "exact")
                if partial == "up" and exclusive:  # at the bound a started step: floor + 1
                    steps = steps.to_integral_value(rounding=ROUND_FLOOR) + 1
                elif partial == "up":
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
                if band_holds(b, v):
                    for k in ("over", "under", "upto"):
                        if k in b:
                            HITS[f"band with {k}"] += 1
                    return rnd(D(b["score"]), self.scale), "scored"
            maxes = [D(b["max"]) for b in bands if "max" in b]
            for b in bands:
                if maxes and "max" in b and D(b["max"]) == max(maxes) == v and \
                        ("min" not in b or D(b["min"]) <= v) and ("over" not in b or D(b["over"]) < v):
                    HITS["band inclusive last max"] += 1
                    return rnd(D(b["score"]), self.scale), "scored"
            raise ValueError(f"item {it['id']}: no band for {v}")
        if rule == "judged":
            v = env.get(it["judged"]["input"])
            if v is None:
                return pts, "pending"
            agg = it["judged"].get("aggregate")
            if agg:  # several assessors: the mean, without one highest and one lowest for trimmed_mean
                HITS[f"judged {agg} of {min(len(v), 5)} scores"] += 1
                if agg == "trimmed_mean":
                    v = sorted(v)[1:-1]
                return rnd(div(sum(v, Decimal(0)), Decimal(len(v))), self.scale), "scored"
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
        """units: [(unit dict, values[, extra])] scored together: peers per group, ranks by total (a unit a
        veto places `last` after the others of its group, one it `excluded` unranked and out of the quotas),
        quotas. `extra`: the submission's not_applicable and notes. A unit that cannot be scored (nothing
        applicable) gets {"error": code} and no rank, but stays among the peers of the aggregates."""
        envs = [self.env(u[1], u[0].get("tags", ())) for u in units]
        groups = {}
        for k, u in enumerate(units):
            groups.setdefault(u[0].get("group"), []).append(k)
        out = [None] * len(units)
        names = [g["name"] for g in self.doc["grades"]]
        for members in groups.values():
            peer_ks = [k for k in members if units[k][0].get("ranked", True) is not False]
            peers = Peers([envs[k] for k in peer_ks])
            for k in members:
                envs[k][BATCH] = peers
            for k in members:
                extra = units[k][2] if len(units[k]) > 2 else None
                out[k] = self.score(units[k][1], envs[k], sub=extra)
                out[k]["rank"] = None
            scored = [k for k in members if "error" not in out[k]]
            ranked = [k for k in scored if units[k][0].get("ranked", True) is not False
                      and out[k].get("placement") != "excluded"]
            first = [k for k in ranked if out[k].get("placement") != "last"]
            last = [k for k in ranked if out[k].get("placement") == "last"]
            totals = {k: D(out[k]["total"]) for k in ranked}
            for k in first:  # competition ranking: ties share the better rank (1-2-2-4)
                out[k]["rank"] = 1 + sum(1 for j in first if totals[j] > totals[k])
            for k in last:  # after every unit no such veto placed
                HITS["veto ranked a unit last"] += 1
                out[k]["rank"] = len(first) + 1 + sum(1 for j in last if totals[j] > totals[k])
            # quotas, best grade first (DESIGN + README): at most floor(max_share x units) units keep the
            # grade, chosen by rank; a tie that would exceed it moves all tied units down; a unit moved
            # down competes for the next grade's quota; a unit a veto already lowered (its grade after
            # vetoes is below its grade by score, or withheld, decided before any quota moves anyone) takes
            # no place and is not moved; a triggered veto that lowered nothing shields nothing
            quotas = sorted(self.doc.get("quotas", []), key=lambda q: names.index(q["grade"]))
            veto_lowered = {k for k in ranked if out[k]["grade"] != out[k]["grade_by_score"]}
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
        for k, u in enumerate(units):
            groups.setdefault(u[0].get("group"), []).append(k)
        reads_peers = self.reads_peers()
        incomplete = lambda r: "error" in r or r["status"] == "provisional"
        for members in groups.values():
            open_ = sum(1 for k in members if incomplete(out[k]))
            for k in members:
                if "error" in out[k]:
                    continue
                # A unit a veto took out of the ranking (excluded) has no rank or quota to wait for.
                ranked = units[k][0].get("ranked", True) is not False and out[k].get("placement") != "excluded"
                if not (ranked or reads_peers):
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
                exprs += [it.get("applicable")] + line_exprs(it.get("deduct", []))
                for k in ("rate", "bands"):
                    if k in it:
                        exprs.append(it[k]["value"])
                if "formula" in it:
                    exprs.append(it["formula"])
        for a in d.get("adjustments", []):
            exprs += line_exprs(a["deduct"])
        for b in d.get("bonus", {}).get("items", []):
            exprs += line_exprs(b["add"])
        exprs += [v["when"] for v in d.get("vetoes", [])]
        return any(uses_batch(parse(e)) for e in exprs if e)

    def score(self, values, env=None, tags=(), sub=None):
        """One unit's result; `sub` may carry the submission's not_applicable (id -> reason), notes
        (id -> text) and self ({"values": …} or {"items": …}). {"error": code} when it cannot be scored."""
        try:
            return self._score(values, env, tags, sub or {})
        except NothingApplicable:
            HITS["nothing applicable: refused"] += 1
            return {"error": "score.nothing_applicable"}

    def sections_of(self, env, na):
        """Items and sections: (items {id: (score, status)}, sections {id: score or None}, earned,
        applicable points, any not applicable)."""
        out_items, sections = {}, {}
        earned = applicable_pts = Decimal(0)
        any_na = False
        rescale = self.doc.get("not_applicable", "full") == "rescale"
        for s in self.doc["sections"]:
            raw = Decimal(0)
            statuses = []
            for it in s["items"]:
                rule = [k for k in RULE_KEYS if k in it][0]
                score, status = self.score_item(it, rule, env, na)
                out_items[it["id"]] = (score, status)
                statuses.append(status)
                any_na |= status == "not_applicable"
                if score is not None:
                    raw += score
                    if status != "not_applicable":
                        applicable_pts += D(it["points"])
            sec = rnd(div(raw * D(s["points"]), D(s["out_of"])), self.scale) if "out_of" in s else raw
            all_na = all(st == "not_applicable" for st in statuses)
            if all_na:
                HITS["section with every item not applicable"] += 1
            sections[s["id"]] = None if all_na and rescale else sec
            earned += sec
        if out_items and all(st == "not_applicable" for _, st in out_items.values()):
            raise NothingApplicable()
        return out_items, sections, earned, applicable_pts, any_na

    def _score(self, values, env, tags, sub):
        d, sc = self.doc, self.scale
        env = self.env(values, tags) if env is None else env
        na = sub.get("not_applicable") or {}
        out_items, sections, earned, applicable_pts, any_na = self.sections_of(env, na)
        pending = [i for i, (_, st) in out_items.items() if st == "pending"]
        full = D(d["full_score"])
        rescaled = d.get("not_applicable", "full") == "rescale" and any_na
        subtotal = rnd(div(earned * full, applicable_pts), sc) if rescaled else earned
        if rescaled:
            HITS["rescale applied"] += 1
        if d.get("notes_required"):  # an item that lost points needs a note (pending, kind note)
            notes = sub.get("notes") or {}
            for it in (it for s in d["sections"] for it in s["items"]):
                score, st = out_items[it["id"]]
                if st == "scored" and score < D(it["points"]) and not (notes.get(it["id"]) or "").strip():
                    HITS["note required and missing"] += 1
                    pending.append(it["id"])
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
                if b.get("assessor_na") and b["id"] in na:
                    HITS["bonus item marked not applicable"] += 1
                    bonus_items[b["id"]] = (fmt(Decimal(0), sc), "not_applicable")
                    continue
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
        gi = self.grade_index(total)
        grade_by_score = gi
        lowest = len(grades) - 1
        triggered, ungraded, placement = [], False, None
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
            if v.get("ranking") == "excluded" or placement == "excluded":
                placement = "excluded"
            elif v.get("ranking") == "last":
                placement = "last"
            if eff == "ungraded":
                ungraded = True
            elif not grades:
                if eff == "zero":
                    total = Decimal(0)
            elif eff == "fail":
                gi = max(gi, lowest)
            elif eff == "zero":
                total = Decimal(0)
                gi = max(gi, lowest)
            elif "max_grade" in eff:
                gi = max(gi, names.index(eff["max_grade"]))
            else:
                gi = max(gi, min(lowest, grade_by_score + int(eff["lower_grades"])))
        HITS[f"grade index {gi}" if grades else "no grades"] += 1
        out = {
            "total": fmt(total, sc),
            "grade": None if ungraded or not grades else names[gi],
            "grade_by_score": names[grade_by_score] if grades else None,
            "status": "provisional" if pending else "final", "pending": pending,
            "subtotal": fmt(subtotal, sc),
            "sections": {k: None if v is None else fmt(v, sc) for k, v in sections.items()},
            "adjustments": {k: fmt(v, sc) for k, v in adjustments.items()}, "adjustment_status": adj_status,
            "bonus": fmt(bonus_amt, sc), "bonus_items": bonus_items,
            "items": {k: (None if s is None else fmt(s, sc), st) for k, (s, st) in out_items.items()},
            "vetoes": triggered, "placement": placement,
        }
        if "self" in sub:
            out["self"] = self.own(sub["self"], out, tags, sub)
        return out

    def grade_index(self, total):
        """The first grade the total reaches (None without grades)."""
        grades = self.doc["grades"]
        if not grades:
            return None
        return next((i for i, g in enumerate(grades) if admits(g, total)), len(grades) - 1)

    def own(self, own, assessed, tags, sub):
        """The self-assessment beside the assessors' result: {total, grade, difference, items: {id: score}}."""
        sc = self.scale
        if "values" in own:
            HITS["self-assessment by values"] += 1
            r = self.score(own["values"], None, tags, {k: v for k, v in sub.items() if k != "self"})
            if "error" in r:  # the unit's own values leave nothing to score: no self-assessed total
                HITS["self-assessment with nothing applicable"] += 1
                return {"total": None, "grade": None, "difference": None,
                        "items": {k: None for k in assessed["items"]}}
            items = {k: s for k, (s, _) in r["items"].items()}
            total, grade = D(r["total"]), r["grade"]
        else:
            HITS["self-assessment by item scores"] += 1
            scores = {k: D(v) for k, v in own["items"].items()}
            items = {k: (fmt(scores[k], sc) if k in scores else None) for k in assessed["items"]}
            earned = applicable = Decimal(0)
            rescale = self.doc.get("not_applicable", "full") == "rescale"
            any_na = False
            for s in self.doc["sections"]:
                raw = Decimal(0)
                for it in s["items"]:
                    a, st = assessed["items"][it["id"]]
                    mine = scores.get(it["id"], None if a is None else D(a))
                    if mine is not None:
                        raw += mine
                    any_na |= st == "not_applicable"
                    if st != "not_applicable":
                        applicable += D(it["points"])
                earned += rnd(div(raw * D(s["points"]), D(s["out_of"])), sc) if "out_of" in s else raw
            if rescale and any_na and applicable:
                earned = rnd(div(earned * D(self.doc["full_score"]), applicable), sc)
            total = earned
            gi = self.grade_index(total)
            grade = None if gi is None else self.doc["grades"][gi]["name"]
        return {"total": fmt(total, sc), "grade": grade, "difference": fmt(D(assessed["total"]) - total, sc),
                "items": items}


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
            r = rs.score(t["values"], tags=t.get("unit", {}).get("tags", ()),
                         sub={"not_applicable": t.get("not_applicable"), "notes": t.get("notes")})
            if "error" in r:
                raise ValueError(r["error"])
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
