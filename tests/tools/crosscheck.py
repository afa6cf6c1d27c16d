"""Cross-check: scores N random submissions with the engine binary (KPI, default target/release/kpi)
and with tests/tools/reference_scorer.py, an independent Python implementation of docs/SPEC.md, and
reports every disagreement.

    python3 tests/tools/crosscheck.py rules/subdistrict.json 400 1
    python3 tests/tools/crosscheck.py rules/department.json 400 1 --engine-rules COMPAT/department.json

A rule set with `unit_tags` gets a random set of tags on each unit. With --engine-rules, the engine
scores a compat copy instead (python3 rules/src/build.py --compat COMPAT: no documents, sources or
example; each unit tag an optional bool input) and each submission with its unit.tags moved into its
values, while the reference scorer scores the rule set itself with the tags on the unit: the two must
agree on every total, grade, status, subtotal, item score and status, and triggered veto."""
import json, random, subprocess, sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util
HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("rc", os.path.join(HERE, 'reference_scorer.py')); rc = importlib.util.module_from_spec(spec); spec.loader.exec_module(rc)
spec = importlib.util.spec_from_file_location("rules_common", os.path.join(HERE, '../../rules/src/common.py')); rules_common = importlib.util.module_from_spec(spec); spec.loader.exec_module(rules_common)
from decimal import Decimal
KPI = os.environ.get('KPI', os.path.join(HERE, '../../target/release/kpi'))
# Bools that are bad news when true (most bools in the rule sets say a duty was met).
BAD_BOOLS = {'concealed', 'falsified', 'blacklisted', 'responsible_major', 'city_interviewed', 'lifeline_blocked',
             'confined_unapproved', 'confined_untested', 'chem_incomplete', 'chem_major_unfixed', 'late_info', 'false_info'}
def gen(doc, rnd):
    vals = {}
    for i in doc['inputs']:
        t = i['type']
        if t == 'count':
            vals[i['id']] = rnd.choice([0, 0, 1, 2, 3, 5, 8, 12, 40, 120, 400])
        elif t == 'percent':
            vals[i['id']] = str(rnd.choice([100, 100, 99, 98, 96, 95.5, 95, 92, 90, 88, 80, 75, 60, 59.9, 40, 20, 5, 0, rnd.randint(0, 1000) / 10]))
        elif t == 'number':
            lo = Decimal(str(i.get('min', 0))); hi = i.get('max', 100)
            hi = Decimal(str(hi)) if not (isinstance(hi, str) and hi in {x['id'] for x in doc['inputs']}) else lo + 100
            vals[i['id']] = str(lo + (hi - lo) * Decimal(rnd.randint(0, 20)) / 20)
        elif t == 'bool':
            vals[i['id']] = rnd.random() < (0.2 if i['id'] in BAD_BOOLS else 0.75)
        elif t == 'choice':
            vals[i['id']] = rnd.choice(i['options'])
    return clamp(doc, vals)
def clamp(doc, vals):
    """Values within the bounds that name other inputs (hazards_fixed <= hazards_found) and literal count maxima."""
    for i in doc['inputs']:
        m = i.get('max')
        if isinstance(m, str) and m in vals and i['id'] in vals:
            lim = vals[m]
            vals[i['id']] = min(Decimal(str(vals[i['id']])), Decimal(str(lim)))
            vals[i['id']] = int(vals[i['id']]) if i['type'] == 'count' else str(vals[i['id']])
        elif m is not None and i['type'] == 'count':
            vals[i['id']] = min(vals[i['id']], int(Decimal(str(m))))
    return vals
def main(path, n, seed, engine_rules=None):
    rnd = random.Random(seed)
    doc = json.load(open(path))
    rs = rc.RuleSet(json.load(open(path), parse_float=Decimal, parse_int=Decimal) | {"scale": 2}, [])
    tags = [t['id'] for t in doc.get('unit_tags', [])]
    files = []
    os.makedirs('target/crosscheck', exist_ok=True)
    for k in range(n):
        v = gen(doc, rnd)
        if doc.get('tests') and rnd.random() < 0.5:
            # near a realistic unit: an embedded test's values with a few inputs drawn at random
            base = dict(rnd.choice(doc['tests'])['values'])
            for iid in rnd.sample(sorted(v), min(len(v), rnd.randint(1, 6))):
                base[iid] = v[iid]
            v = clamp(doc, base)
        unit = {"id": f"u{k}", "name": f"单位{k}"}
        if tags:
            unit["tags"] = [t for t in tags if rnd.random() < 0.35]
        sub = {"format": "kpi-submission/1", "rules": {"id": doc['id'], "version": doc['version']},
               "unit": unit, "values": v}
        f = f'target/crosscheck/{doc["id"]}_{k}.json'
        json.dump(rules_common.compat_submission(sub) if engine_rules else sub, open(f, 'w'), ensure_ascii=False)
        files.append((f, v, unit.get("tags", [])))
    mism = 0
    for f, v, unit_tags in files:
        out = subprocess.run([KPI, 'score', '--rules', engine_rules or path, f, '--format', 'json'], capture_output=True, text=True)
        if out.returncode != 0:
            print('engine error', f, out.stdout[:300], out.stderr[:300]); mism += 1; continue
        rep = json.loads(out.stdout)

        def differences(nudge=None):
            rc.NUDGE[0], rc.NUDGE[1] = nudge, 0
            try:
                mine = rs.score(json.loads(json.dumps(v), parse_float=Decimal, parse_int=Decimal), tags=unit_tags)
            finally:
                rc.NUDGE[0] = None
            diffs = []
            for k in ('total', 'grade', 'status', 'subtotal'):
                if rep[k] != mine[k]:
                    diffs.append((k, rep[k], mine[k]))
            for s in rep['sections']:
                for it in s['items']:
                    m = mine['items'][it['id']]
                    if it['score'] != m[0] or it['status'] != m[1]:
                        diffs.append((it['id'], it['score'], it['status'], m))
            trig = sorted(x['id'] for x in rep['vetoes'] if x['triggered'])
            if trig != sorted(mine['vetoes']):
                diffs.append(('vetoes', trig, mine['vetoes']))
            return diffs, mine

        diffs, _ = differences()
        if diffs:
            # As in differential.py: where an exact edge (here a rounding half-point) is reached through
            # a non-terminating quotient, 28 digits against the reference's 60 decide the last digit. If
            # the reference's own result moves when every inexact quotient is nudged by ±1e-40, or then
            # agrees with the engine, the difference is listed (PRECISION) and not failed.
            (dlo, lo), (dhi, hi) = differences(Decimal("-1e-40")), differences(Decimal("1e-40"))
            if lo != hi or not dlo or not dhi:
                print('PRECISION (not a failure)', f, diffs[:5])
                continue
            mism += 1
            print(f, diffs[:5])
    print(path, n, 'submissions,', mism, 'mismatches', f'(engine scored {engine_rules})' if engine_rules else '')
    print(f'{n - mism} passed, {mism} failed')
    if mism:
        sys.exit(1)
args = sys.argv[1:]
engine_rules = None
if '--engine-rules' in args:
    k = args.index('--engine-rules')
    engine_rules = args[k + 1]
    del args[k:k + 2]
main(args[0], int(args[1]), int(args[2]), engine_rules)
