#!/usr/bin/env python3
"""Differential check: N generated rule sets, several submissions each, scored by the engine and by the
independent reference scorer (tests/tools/reference_scorer.py, written from docs/SPEC.md); any difference fails.

    python3 tests/tools/differential.py N SEED             # N rule sets from SEED (./test: a fresh $RANDOM)
    python3 tests/tools/differential.py 1 SEED --only K    # replay rule set K of that run (verbose)
    options: --subs S (submissions per rule set, default 6), --jobs J (default: CPU count), KPI=path/to/kpi

Rule sets and submissions come from tests/tools/gen_rules.py (see its docstring for the constructs); rule
set K of a run is generated from random.Random(f"{SEED}:{K}") alone, so `--only K` reproduces it exactly.

How the engine is called: `kpi score --rules R.json SUBS.jsonl --format jsonl --provisional`, the submissions
in a JSON Lines file. Several submissions in one call are a *batch*, which changes `rank` items, the
aggregates avg/sum/count/rank and quotas; so a rule set is checked in one of three ways:
- about a third (BATCH_SHARE) are generated for a batch (more rank items and aggregates, quotas, units
  with groups and `ranked: false`, ties) and scored as one batch; the reference scores the same batch
  (RuleSet.score_batch: peers per group, competition ranks, aggregates, quotas), and each report's
  `rank` is compared too;
- the others that still contain a rank item or an aggregate are scored one submission per call: rank
  items and aggregates pending, as docs/SPEC.md says outside a batch;
- the rest are scored in one call, and the reference scores each submission alone: with no rank item,
  aggregate or quota, batch scoring must equal single scoring. For a quarter of these the same
  submissions also go through `kpi score` without --provisional, which must refuse exactly the
  submissions with an empty (null or absent; a text input also when only white space) required input,
  text inputs included, naming each.
A quarter of the rule sets whose points have decimals are also checked at a lower `scale`: `kpi check` must
refuse the copy with `points.scale` at exactly the paths (full_score, section points and out_of, item
points, adjustment caps, bonus.cap, bonus item points) that have more decimal places than the new scale,
and nothing else; the reference's lint must name the same paths.

Compared per submission: status, total, grade, grade_by_score, subtotal, every section's score, every
item's score and status, every adjustment's amount and status, the bonus amount and every bonus item's
amount and status, the triggered vetoes and the pending list (kind-less ids). A rule set the engine refuses
to load (or the reference lints) is a generator bug or an engine bug and fails too.

Any difference fails, with one exception that is not an engine bug, precision: the engine computes with
28-digit decimals, the reference with 60 digits; where an exact edge (a comparison, floor/ceil/round, a
band edge, a rounding half-point) is reached through a non-terminating quotient (1.3 / 3 * 3.75 = 1.625),
the last digit decides. If the reference's own result changes when every inexact quotient is nudged by
-1e-40 or +1e-40 (relative), the difference is listed ("PRECISION") and not failed.

On failure the rule set, the submission, both results and the differences are written to
target/differential/fail-SEED-K/ and the replay command is printed. Output ends with
"R passed, F failed" (rule sets), the line ./test sums.
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from multiprocessing import Pool

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen_rules  # noqa: E402
import gen_fidelity as gf  # noqa: E402
import reference_scorer as ref  # noqa: E402

KPI = os.environ.get("KPI", os.path.join(ROOT, "target", "release", "kpi"))
OUT = os.path.join(ROOT, "target", "differential")
BATCH_FUNCS = ("avg(", "sum(", "rank(", "count(")
BATCH_SHARE = 0.35  # share of rule sets generated for, and scored as, one batch with batch semantics


def dec_load(text):
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


# A unit the engine refuses to score for this reason (every item not applicable) gets {"error": code} in
# its place; any other refusal fails the check.
SCORE_ERRORS = ("score.nothing_applicable",)


def run_engine(rules_path, subs):
    """Reports (list of dicts, one per submission; {"error": code} for a unit refused with one of
    SCORE_ERRORS) or raises RuntimeError with the engine's output."""
    subs_path = rules_path[:-len(".json")] + ".jsonl"
    with open(subs_path, "w", encoding="utf-8") as f:
        f.write("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in subs))
    p = subprocess.run([KPI, "score", "--rules", rules_path, subs_path, "--format", "jsonl", "--provisional"],
                       capture_output=True, text=True)
    os.unlink(subs_path)
    refused = {}
    if p.returncode != 0:
        for line in p.stderr.splitlines():
            m = re.search(r":(\d+): /: \[([a-z_.]+)\]", line)
            if m and m.group(2) in SCORE_ERRORS:
                refused[int(m.group(1)) - 1] = m.group(2)
            else:
                raise RuntimeError(f"exit {p.returncode}\n{p.stderr[-3000:]}\n{p.stdout[-2000:]}")
    reps = iter(json.loads(l) for l in p.stdout.splitlines() if l.strip())
    out = [{"error": refused[k]} if k in refused else next(reps, None) for k in range(len(subs))]
    if None in out or next(reps, None) is not None:
        raise RuntimeError(f"reports do not match the {len(subs)} submissions\n{p.stdout[-3000:]}")
    return out


def missing_required(rules_path, subs):
    """{(line, input id)} that `kpi score` without --provisional names as missing required inputs."""
    subs_path = rules_path[:-len(".json")] + ".req.jsonl"
    with open(subs_path, "w", encoding="utf-8") as f:
        f.write("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in subs))
    p = subprocess.run([KPI, "score", "--rules", rules_path, subs_path, "--format", "jsonl"],
                       capture_output=True, text=True)
    os.unlink(subs_path)
    got = set()
    for m in re.finditer(r":(\d+): /values/([A-Za-z_0-9/]*): \[value\.missing\]", p.stderr):
        got.add((int(m.group(1)), m.group(2)))
    # Refusals for another reason (e.g. score.nothing_applicable: every item marked not applicable)
    # are compared with the reference scorer's by the main check, not here.
    others = re.findall(r":\d+: \S*: \[(?!value\.missing\])[a-z_.]+\]", p.stderr)
    if (p.returncode == 0) != (not got and not others):
        got.add((0, f"exit {p.returncode}: {p.stderr[-300:]}"))
    return got


def compare(rep, mine):
    """List of (what, engine, reference)."""
    if "error" in rep or "error" in mine:
        return [] if rep.get("error") == mine.get("error") else [("refused", rep.get("error"), mine.get("error"))]
    diffs = []
    if "self" in mine:  # the self-assessment beside the assessors' score
        own = rep.get("self") or {}
        for k in ("total", "grade", "difference"):
            if own.get(k) != mine["self"].get(k):
                diffs.append((f"self {k}", own.get(k), mine["self"].get(k)))
        for s in rep.get("sections", []):
            for it in s.get("items", []):
                want = mine["self"].get("items", {}).get(it["id"])
                if it.get("self_score") != want:
                    diffs.append((f"self score {it['id']}", it.get("self_score"), want))
    for k in ("status", "total", "grade", "grade_by_score", "subtotal"):
        if rep.get(k) != mine[k]:
            diffs.append((k, rep.get(k), mine[k]))
    seen = set()
    for s in rep.get("sections", []):
        if s.get("score") != mine["sections"].get(s["id"]):
            diffs.append((f"section {s['id']}", s.get("score"), mine["sections"].get(s["id"])))
        for it in s.get("items", []):
            seen.add(it["id"])
            m = mine["items"].get(it["id"])
            if m is None or it.get("score") != m[0] or it.get("status") != m[1]:
                diffs.append((f"item {it['id']}", (it.get("score"), it.get("status")), m))
    for iid in set(mine["items"]) - seen:
        diffs.append((f"item {iid}", None, mine["items"][iid]))
    adj = {a["id"]: a for a in rep.get("adjustments", [])}
    if set(adj) != set(mine["adjustments"]):
        diffs.append(("adjustment ids", sorted(adj), sorted(mine["adjustments"])))
    for aid, amt in mine["adjustments"].items():
        a = adj.get(aid)
        if a is None:
            continue
        if Decimal(a["amount"]) != -Decimal(amt) or a.get("status") != mine["adjustment_status"][aid]:
            diffs.append((f"adjustment {aid}", (a["amount"], a.get("status")),
                          ("-" + amt, mine["adjustment_status"][aid])))
    bonus = rep.get("bonus") or {"amount": ref.fmt(Decimal(0), 0), "items": []}
    if Decimal(bonus.get("amount", "0")) != Decimal(mine["bonus"]):
        diffs.append(("bonus", bonus.get("amount"), mine["bonus"]))
    bitems = {b["id"]: b for b in bonus.get("items", [])}
    if set(bitems) != set(mine["bonus_items"]):
        diffs.append(("bonus item ids", sorted(bitems), sorted(mine["bonus_items"])))
    for bid, (amt, st) in mine["bonus_items"].items():
        b = bitems.get(bid)
        if b is not None and (b.get("amount") != amt or b.get("status") != st):
            diffs.append((f"bonus item {bid}", (b.get("amount"), b.get("status")), (amt, st)))
    trig = sorted(v["id"] for v in rep.get("vetoes", []) if v.get("triggered"))
    if trig != sorted(mine["vetoes"]):
        diffs.append(("triggered vetoes", trig, sorted(mine["vetoes"])))
    pend = sorted(p["id"] for p in rep.get("pending", []))
    if pend != sorted(mine["pending"]):
        diffs.append(("pending", pend, sorted(mine["pending"])))
    return diffs


def static_coverage(doc):
    """Constructs a generated rule set contains (counted over the run)."""
    c = Counter()
    c[f"scale {doc.get('scale', 2)}{'' if 'scale' in doc else ' (default)'}"] += 1
    c[f"not_applicable {doc.get('not_applicable', 'full (default)')}"] += 1
    for i in doc["inputs"]:
        c[f"input {i['type']}"] += 1
        for b in ("min", "max"):
            if b in i:
                kind = "input id" if isinstance(i[b], str) and i[b][:1].isalpha() else "literal"
                c[f"input {i['type']} {b} {kind}"] += 1
        if i.get("required") is False:
            c[f"optional input {'with' if 'default' in i else 'without'} default"] += 1
    for s in doc["sections"]:
        if "out_of" in s:
            c["section out_of"] += 1
        for it in s["items"]:
            rule = next(k for k in ref.RULE_KEYS if k in it)
            c[f"rule {rule}"] += 1
            if "applicable" in it:
                c["applicable"] += 1
            if "cap" in it:
                c[f"{rule} cap"] += 1
            if "combine" in it:
                c[f"deduct combine {it['combine']}"] += 1
            if rule == "deduct":
                for l in it["deduct"]:
                    c["line if" if "if" in l else "line per"] += 1
                    if "free" in l:
                        c["line free"] += 1
            if rule == "rate":
                r = it["rate"]
                c[f"rate {r['mode']} {r.get('direction', 'higher (default)')}"] += 1
                if r["mode"] == "step":
                    c[f"rate partial {r.get('partial', 'exact (default)')}"] += 1
                c[f"rate when_undefined {r.get('when_undefined', 'full (default)')}"] += 1
            if rule == "bands":
                bs = it["bands"]["bands"]
                c["bands open below" if any("min" not in b for b in bs) else "bands closed below"] += 1
                c["bands open above" if any("max" not in b for b in bs) else "bands closed above (inclusive max)"] += 1
            if rule == "rank":
                c[f"rank order {it['rank'].get('order', 'desc (default)')}"] += 1
    for a in doc.get("adjustments", []):
        c["adjustment"] += 1
        if "cap" in a:
            c["adjustment cap"] += 1
        if a.get("combine") == "max":
            c["adjustment combine max"] += 1
    if "bonus" in doc:
        c["bonus"] += 1
        for b in doc["bonus"]["items"]:
            c["bonus item"] += 1
            if b.get("combine") == "max":
                c["bonus combine max"] += 1
    for v in doc.get("vetoes", []):
        e = v["effect"]
        c[f"veto {e if isinstance(e, str) else next(iter(e))}"] += 1
    c[f"{len(doc['grades'])} grades"] += 1
    gf.coverage(doc, c)
    for _, v in ref.scaled_points(doc):
        if isinstance(v, str) and "." in v and v.endswith("0"):
            c["points written with trailing zeros"] += 1
    text = json.dumps(doc, ensure_ascii=False)
    for tok in ("+", " - ", "*", "/", "<=", ">=", "==", "!=", "&&", "||", "!", "if(", "min(", "max(", "abs(",
                "floor(", "ceil(", "round(", "avg(", "sum(", "rank(", "count(", '\\"'):
        if tok in text:
            c[f"expr {tok.strip() if tok != chr(92) + chr(34) else 'choice == option'}"] += 1
    return c


def check_one(args):
    seed, k, n_subs, verbose = args
    rng = random.Random(f"{seed}:{k}")
    name = f"gen-{seed}-{k}"
    batch = rng.random() < BATCH_SHARE
    doc, lits = gen_rules.ruleset(rng, name, batch)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    if batch:
        units = gen_rules.batch_units(doc, rng, lits, rng.randint(3, n_subs + 2))
    else:
        units = [({"id": f"u{j}", "name": f"单位{j}"}, v)
                 for j, v in enumerate(gen_rules.submissions(doc, rng, lits, n_subs))]
    # not_applicable markings, notes, and (outside a batch) self-assessments
    own = lambda kind: gen_rules.values(doc, rng, lits, kind)
    units = [(u, v, gf.extras(doc, rng, own, "random", not batch)) for u, v in units]
    subs = [{"format": "kpi-submission/1", "rules": {"id": name, "version": "1"}, "unit": u, "values": v, **x}
            for u, v, x in units]
    res = {"k": k, "subs": len(subs), "fail": None, "precision": [], "cov": static_coverage(doc),
           "hits": Counter(), "mode": "batch" if batch else "single"}
    problems = []
    ref.HITS.clear()
    try:
        rs = ref.RuleSet(dec_load(text), problems)
    except Exception as e:  # a generator bug the reference cannot even read
        problems.append(f"reference crashed: {e!r}")
    fd, path = tempfile.mkstemp(suffix=".json", prefix="rules-", dir=os.environ.get("DIFF_TMP"))
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    try:
        if problems:
            res["fail"] = ("reference lint", problems, None, None)
            return res
        needs_batch = any(f in text for f in BATCH_FUNCS) or any("rank" in it for s in doc["sections"]
                                                                  for it in s["items"]) or "quotas" in doc
        if needs_batch and not batch:
            res["mode"] = "one per call"
        try:
            if needs_batch and not batch:
                reps = [run_engine(path, [s])[0] for s in subs]
            else:
                reps = run_engine(path, subs)
        except RuntimeError as e:
            chk = subprocess.run([KPI, "check", path], capture_output=True, text=True)
            what = "engine refused the rule set" if chk.returncode != 0 else "engine refused a submission"
            res["fail"] = (what, str(e) + "\n" + chk.stdout[-3000:] + chk.stderr[-2000:], None, None)
            return res
        if not batch and not needs_batch and k % 4 == 0:
            # without --provisional, `kpi score` must refuse exactly the submissions with an empty
            # (null or absent; for a text input also only white space) required input, text inputs
            # included (DESIGN: "Inputs are required unless required: false"; "The CLI's score refuses
            # a submission with missing required inputs unless asked for a provisional score")
            def empty(i, v):
                x = v.get(i["id"])
                return x is None or (i["type"] in ("text", "date") and isinstance(x, str) and not x.strip())
            want = {(j + 1, i["id"]) for j, (_, v, _) in enumerate(units) for i in doc["inputs"]
                    if i.get("required", True) is not False and empty(i, v)}
            # required cells of record lists left empty: /values/LIST/ROW/FIELD
            want |= {(j + 1, f"{i['id']}/{r}/{f['id']}") for j, (_, v, _) in enumerate(units)
                     for i in doc["inputs"] if i["type"] == "records" and isinstance(v.get(i["id"]), list)
                     for r, row in enumerate(v[i["id"]]) for f in i["fields"]
                     if f.get("required", True) is not False and empty(f, row)}
            got = missing_required(path, subs)
            if want:
                res["hits"]["required inputs left empty (refused without --provisional)"] += 1
            if any(i["type"] == "text" for _, iid in want for i in doc["inputs"] if i["id"] == iid):
                res["hits"]["required text input left empty (refused without --provisional)"] += 1
            if got != want:
                res["fail"] = ("refusal of missing required inputs without --provisional",
                               [("engine named", sorted(got)), ("expected", sorted(want))], subs, None)
                return res
        if k % 4 == 1:
            bad = points_scale_check(doc, rng, path)
            res["hits"]["points.scale refusal checked at a lower scale"] += bad is not None
            if bad:
                res["fail"] = ("points.scale at a lower scale", bad, None, None)
                return res

        def reference(nudge=None):
            ref.NUDGE[0], ref.NUDGE[1] = nudge, 0
            try:
                if batch:
                    return rs.score_batch([(u, dec_load(json.dumps(v)), dec_load(json.dumps(x)))
                                           for u, v, x in units])
                scored = [rs.score(dec_load(json.dumps(v)), sub=dec_load(json.dumps(x))) for _, v, x in units]
                # `kpi score` with several submissions scores them as one batch: a provisional
                # unit makes its peers' ranks provisional too (one per call has no peers).
                return scored if needs_batch else rs.mark_incomplete(units, scored)
            finally:
                ref.NUDGE[0] = None

        def all_diffs(results):
            out = []
            for rep, mine in zip(reps, results):
                diffs = compare(rep, mine)
                if batch and "error" not in mine and rep.get("rank") != mine["rank"]:
                    diffs.append(("rank", rep.get("rank"), mine["rank"]))
                out.append(diffs)
            return out

        try:
            mine_all = reference()
        except Exception as e:
            res["fail"] = ("reference refused a submission", repr(e), subs, reps)
            return res
        hits = Counter(ref.HITS) + res["hits"]
        diff_all = all_diffs(mine_all)
        orig = list(diff_all)
        if any(diff_all):
            # or 28 against 60 digits: the reference's own result moves when every inexact quotient is
            # nudged down or up (an exact edge reached through a non-terminating quotient, e.g. 1/3*3)
            lo, hi = reference(nudge=Decimal("-1e-40")), reference(nudge=Decimal("1e-40"))
            if batch:
                if lo != hi or not any(all_diffs(lo)) or not any(all_diffs(hi)):
                    res["precision"] += [(j, d) for j, d in enumerate(diff_all) if d]
                    diff_all = [[] for _ in diff_all]
            else:
                dlo, dhi = all_diffs(lo), all_diffs(hi)
                for j, d in enumerate(diff_all):
                    if d and (lo[j] != hi[j] or not dlo[j] or not dhi[j]):
                        res["precision"].append((j, d))
                        diff_all[j] = []
        for j, (sub, rep, mine, diffs) in enumerate(zip(subs, reps, mine_all, diff_all)):
            if verbose:
                print(f"  submission {j}: engine {rep.get('status')} {rep.get('total')} {rep.get('grade')} "
                      f"rank {rep.get('rank')} {rep.get('error', '')}; reference {mine.get('status')} "
                      f"{mine.get('total')} {mine.get('grade')} rank {mine.get('rank')} {mine.get('error', '')}"
                      f"{'  DIFFERENT' if orig[j] else ''}{'' if diffs or not orig[j] else ' (explained)'}")
                for d in orig[j][:8] if verbose else ():
                    print(f"      {d}")
            if diffs:
                res["fail"] = ("difference", diffs, sub if not batch else subs, rep if not batch else reps, mine)
                return res
        ref.HITS.clear()
        ref.HITS.update(hits)
        res["hits"] = Counter(ref.HITS)
        return res
    finally:
        os.unlink(path)
        res["doc"] = text if res["fail"] or res["precision"] else None
        res["units"] = subs if res["fail"] or res["precision"] else None


def points_scale_check(doc, rng, path):
    """The rule set at a lower `scale` than its points need: `kpi check` must report points.scale at exactly
    the paths with more decimal places than that scale, and nothing else; so must the reference's lint.
    [] when both do, else the differences; None when every point is whole."""
    need = {p: gen_rules.places(Decimal(str(v))) for p, v in ref.scaled_points(doc)}
    if max(need.values()) == 0:
        return None  # nothing to check: every point is whole
    low = rng.randint(0, max(need.values()) - 1)
    want = sorted(p for p, n in need.items() if n > low)
    copy = dict(doc, scale=low)
    low_path = path[:-len(".json")] + ".scale.json"
    with open(low_path, "w", encoding="utf-8") as f:
        json.dump(copy, f, ensure_ascii=False)
    try:
        chk = subprocess.run([KPI, "check", "--format", "json", low_path], capture_output=True, text=True)
    finally:
        os.unlink(low_path)
    # `kpi check --format json`: the problems as data (the text form shows each with its source line).
    try:
        reported = json.loads(chk.stdout)
    except ValueError:
        reported = [{"code": "(not JSON)", "path": "", "message": chk.stdout + chk.stderr}]
    got = sorted(p["path"] for p in reported if p["code"] == "points.scale")
    others = [f'{p["path"]}: [{p["code"]}] {p["message"]}' for p in reported if p["code"] != "points.scale"]
    problems = []
    ref.RuleSet(dec_load(json.dumps(copy, ensure_ascii=False)), problems)
    ref_got = sorted(x.split(":")[0] for x in problems if "decimal places than scale" in x)
    ref_others = [x for x in problems if "decimal places than scale" not in x]
    bad = []
    if got != want or others or chk.returncode == 0:
        bad += [(f"scale {low}: engine reported (exit {chk.returncode})", got, others[:5]), ("expected", want)]
    if ref_got != want or ref_others:
        bad += [(f"scale {low}: reference lint", ref_got, ref_others[:5]), ("expected", want)]
    return bad


def write_subs(d, subs):
    """All the rule set's submissions, one per line: `kpi score --rules rules.json submissions.jsonl` replays
    them as one batch (as the check did, unless it scored them one per call)."""
    with open(os.path.join(d, "submissions.jsonl"), "w", encoding="utf-8") as f:
        for s in subs:
            f.write(json.dumps(s, ensure_ascii=False) + "\n")


def write_failure(seed, res):
    d = os.path.join(OUT, f"fail-{seed}-{res['k']}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "rules.json"), "w", encoding="utf-8") as f:
        f.write(res["doc"])
    fail = res["fail"]
    if res["units"]:
        write_subs(d, res["units"])
    if isinstance(fail[2], dict):
        with open(os.path.join(d, "submission.json"), "w", encoding="utf-8") as f:
            json.dump(fail[2], f, ensure_ascii=False, indent=1)
    if fail[3] is not None:
        with open(os.path.join(d, "engine.json"), "w", encoding="utf-8") as f:
            json.dump(fail[3], f, ensure_ascii=False, indent=1)
    if len(fail) > 4:
        with open(os.path.join(d, "reference.json"), "w", encoding="utf-8") as f:
            json.dump(fail[4], f, ensure_ascii=False, indent=1, default=str)
    with open(os.path.join(d, "differences.txt"), "w", encoding="utf-8") as f:
        f.write(f"{fail[0]}\n")
        f.write("\n".join(map(str, fail[1])) if isinstance(fail[1], list) else str(fail[1]))
        f.write("\n")
    return d


def main(argv):
    args, only, n_subs, jobs = [], None, 6, os.cpu_count() or 1
    it = iter(argv)
    for a in it:
        if a == "--only":
            only = int(next(it))
        elif a == "--subs":
            n_subs = int(next(it))
        elif a == "--jobs":
            jobs = int(next(it))
        else:
            args.append(a)
    if len(args) != 2:
        print(__doc__)
        return 2
    n, seed = int(args[0]), args[1]
    if not os.path.exists(KPI):
        print(f"no engine binary at {KPI} (cargo build --release --bin kpi)")
        return 2
    os.makedirs(OUT, exist_ok=True)
    ks = [only] if only is not None else list(range(n))
    print(f"differential check: {len(ks)} generated rule sets x {n_subs} submissions, seed {seed} "
          f"(replay: python3 tests/tools/differential.py {n} {seed})")
    t0 = time.time()
    work = [(seed, k, n_subs, only is not None) for k in ks]
    cov, hits = Counter(), Counter()
    passed = failed = subs = 0
    modes = Counter()
    precision = []
    if jobs > 1 and len(work) > 1:
        pool = Pool(jobs)
        results = pool.imap_unordered(check_one, work, chunksize=8)
    else:
        pool = None
        results = map(check_one, work)
    for res in results:
        cov += res["cov"]
        hits += res["hits"]
        subs += res["subs"]
        modes[res["mode"]] += 1
        for j, diffs in res["precision"]:
            precision.append((res["k"], j, diffs))
        if res["fail"]:
            failed += 1
            d = write_failure(seed, res)
            f = res["fail"]
            if failed > 20:
                if failed == 21:
                    print("(more failures: files only)")
                continue
            print(f"FAIL rule set {res['k']}: {f[0]}")
            body = f[1] if isinstance(f[1], list) else [f[1]]
            for line in body[:12]:
                print(f"    {line}")
            print(f"    files: {os.path.relpath(d, ROOT)}/   replay: python3 tests/tools/differential.py 1 {seed} "
                  f"--only {res['k']}")
        else:
            passed += 1
    if pool:
        pool.close()
        pool.join()
    dt = time.time() - t0
    if only is not None or os.environ.get("DIFF_COVERAGE"):
        print("constructs in the generated rule sets:")
        for k, v in sorted(cov.items()):
            print(f"  {k}: {v}")
        print("paths the reference scorer took:")
        for k, v in sorted(hits.items()):
            print(f"  {k}: {v}")
    if precision:
        print(f"PRECISION: {len(precision)} submission(s) differ only where an exact edge is reached through a "
              f"non-terminating quotient (28-digit engine decimals vs the reference's 60 digits: the reference's own "
              f"result moves with its last digit); not counted as failures:")
        for k, j, diffs in precision[:10]:
            print(f"    rule set {k} submission {j}: {diffs[:3]}  (replay: --only {k})")
    print(f"{len(ks)} rule sets ({modes['batch']} as a batch with ranks/aggregates/quotas, "
          f"{modes['one per call']} one submission per call, {modes['single']} as a plain batch), "
          f"{subs} submissions, {dt:.1f} s, seed {seed}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
