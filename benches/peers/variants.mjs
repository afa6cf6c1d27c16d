// A second, untimed agreement set. benches/make_submissions.py draws every bool 50/50, so with the
// subdistrict rules half of its submissions trip the 弄虚作假 veto (total 0) and nearly all the rest
// fail on 较大事故 (grade 不合格): good for timing (every engine does all the work), weak for checking
// totals and grades. These submissions are milder (seeded): inputs named by a veto's condition rarely
// trigger it, deduction counts are mostly 0 or 1 and bools mostly the good answer, so totals and grades
// spread over the whole range. Also the rule set's own embedded test cases and known cases. Pure ESM.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * n submission JSON texts with varied totals and grades, then one per embedded test of the rule set,
 * then `cases` (submission objects; benches/peers/cases/<rule set id>.json holds known cases, e.g. where
 * binary floats change a grade).
 */
export function agreementInputs(rules, n, seed = 7, cases = []) {
  const rnd = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const vetoIds = new Set((rules.vetoes ?? []).flatMap((v) => v.when.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []));
  // A bool's good answer: false if some deduction line fires on it, true if one fires on its negation.
  const ifLines = [...rules.sections.flatMap((s) => s.items.flatMap((it) => it.deduct ?? [])), ...(rules.adjustments ?? []).flatMap((a) => a.deduct)]
    .filter((l) => 'if' in l).map((l) => l.if);
  const good = (id) => (ifLines.some((c) => new RegExp(`!\\s*${id}\\b`).test(c)) ? true : !ifLines.some((c) => new RegExp(`\\b${id}\\b`).test(c)));
  // A count is "bad" when a deduction line counts it up (per: "x" or "max(x - …)"), else more is better.
  const perLines = [...rules.sections.flatMap((s) => s.items.flatMap((it) => it.deduct ?? [])), ...(rules.adjustments ?? []).flatMap((a) => a.deduct)]
    .filter((l) => 'per' in l).map((l) => l.per.replace(/\s+/g, ''));
  const bad = (id) => perLines.some((p) => p === id || p.startsWith(`max(${id}-`) || p.startsWith(`${id}-`));
  const lit = (x) => (typeof x === 'string' && /^-?\d+(\.\d+)?$/.test(x.trim()) ? Number(x) : typeof x === 'number' ? x : null);
  const out = [];
  const wrap = (values, id) => JSON.stringify({
    format: 'kpi-submission/1', rules: { id: rules.id, version: rules.version }, unit: { id, name: id }, period: rules.period, values,
  });
  for (let k = 0; k < n; k++) {
    const v = {};
    for (const i of rules.inputs) {
      const veto = vetoIds.has(i.id);
      switch (i.type) {
        case 'count': v[i.id] = veto ? (rnd() < 0.05 ? pick([1, 2]) : 0) : bad(i.id) ? pick([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]) : pick([0, 1, 2, 3, 4, 5, 6, 8, 10, 12]); break;
        case 'percent': v[i.id] = (88 + rnd() * 12).toFixed(1); break;
        case 'number': {
          const lo = lit(i.min) ?? 0;
          const hi = lit(i.max) ?? lo + 30;
          v[i.id] = (lo + rnd() * (hi - lo)).toFixed(2);
          break;
        }
        case 'bool': v[i.id] = veto ? rnd() < 0.05 : rnd() < 0.85 ? good(i.id) : !good(i.id); break;
        case 'choice': v[i.id] = pick(i.options); break;
        default: v[i.id] = '备注';
      }
    }
    // Bounds naming another input (hazards_fixed <= hazards_found).
    for (const i of rules.inputs) {
      for (const [key, op] of [['max', Math.min], ['min', Math.max]]) {
        const ref = i[key];
        if (typeof ref === 'string' && ref in v && ['count', 'number', 'percent'].includes(i.type)) {
          const r = op(Number(v[i.id]), Number(v[ref]));
          v[i.id] = i.type === 'count' ? Math.round(r) : r.toFixed(2);
        }
      }
    }
    // Counts with a literal max (e.g. at most 4).
    for (const i of rules.inputs) {
      const m = lit(i.max);
      if (i.type === 'count' && m !== null && v[i.id] > m) v[i.id] = m;
    }
    out.push(wrap(v, `a${String(k).padStart(6, '0')}`));
  }
  for (const [k, t] of (rules.tests ?? []).entries()) {
    const v = { ...t.values };
    for (const i of rules.inputs) if (i.type === 'text' && !(i.id in v)) v[i.id] = '';
    out.push(wrap(v, `test${k}`));
  }
  for (const c of cases) out.push(JSON.stringify(c));
  return out;
}
