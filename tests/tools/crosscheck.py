import json, random, subprocess, sys, os
"""Cross-check: scores N random submissions with the engine binary (KPI, default target/release/kpi)
and with tests/tools/reference_scorer.py, an independent Python implementation of docs/SPEC.md, and
reports every disagreement. Usage: python3 tests/tools/crosscheck.py rules/subdistrict.json 400 1"""
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util
spec = importlib.util.spec_from_file_location("rc", os.path.join(os.path.dirname(os.path.abspath(__file__)), 'reference_scorer.py')); rc = importlib.util.module_from_spec(spec); spec.loader.exec_module(rc)
from decimal import Decimal
KPI = os.environ.get('KPI', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../target/release/kpi'))
def gen(doc, rnd):
    vals = {}
    for i in doc['inputs']:
        t = i['type']
        if t == 'count':
            vals[i['id']] = rnd.choice([0, 0, 1, 2, 3, 5, 8, 12, 40, 120, 400])
        elif t == 'percent':
            vals[i['id']] = str(rnd.choice([100, 100, 99, 98, 96, 95.5, 95, 92, 90, 88, 80, 75, 60, 59.9, 40, 20, 5, 0, rnd.randint(0, 1000) / 10]))
        elif t == 'number':
            lo = Decimal(str(i.get('min', 0))); hi = Decimal(str(i.get('max', 100)))
            vals[i['id']] = str(lo + (hi - lo) * Decimal(rnd.randint(0, 20)) / 20)
        elif t == 'bool':
            vals[i['id']] = rnd.random() < (0.8 if i['id'].startswith(('has_', 'plan', 'duty', 'fire_plan', 'safety', 'risk', 'reward', 'all_', 'insured', 'health', 'ppe', 'supplies', 'contractor', 'credit', 'in_', 'leader', 'platform', 'high')) else 0.2)
        elif t == 'choice':
            vals[i['id']] = rnd.choice(i['options'])
    for i in doc['inputs']:
        m = i.get('max')
        if isinstance(m, str) and m in vals and i['id'] in vals:
            vals[i['id']] = min(vals[i['id']], vals[m])
        elif m is not None and i['type'] == 'count':
            vals[i['id']] = min(vals[i['id']], int(Decimal(str(m))))
    return vals
def main(path, n, seed):
    rnd = random.Random(seed)
    doc = json.load(open(path))
    rs = rc.RuleSet(json.load(open(path), parse_float=Decimal, parse_int=Decimal) | {"scale": 2}, [])
    files = []
    os.makedirs('target/crosscheck', exist_ok=True)
    for k in range(n):
        v = gen(doc, rnd)
        sub = {"format": "kpi-submission/1", "rules": {"id": doc['id'], "version": doc['version']},
               "unit": {"id": f"u{k}", "name": f"单位{k}"}, "values": v}
        f = f'target/crosscheck/{doc["id"]}_{k}.json'
        json.dump(sub, open(f, 'w'), ensure_ascii=False)
        files.append((f, v))
    mism = 0
    for f, v in files:
        out = subprocess.run([KPI, 'score', '--rules', path, f, '--format', 'json'], capture_output=True, text=True)
        if out.returncode != 0:
            print('engine error', f, out.stdout[:300], out.stderr[:300]); mism += 1; continue
        rep = json.loads(out.stdout)
        mine = rs.score(json.loads(json.dumps(v), parse_float=Decimal, parse_int=Decimal))
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
        if diffs:
            mism += 1
            print(f, diffs[:5])
    print(path, n, 'submissions,', mism, 'mismatches')
    print(f'{n - mism} passed, {mism} failed')
    if mism:
        sys.exit(1)
main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
