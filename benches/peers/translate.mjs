// Translates a kpi-rules/1 rule set into the peer engines' own rule formats, so the side-by-side
// benchmark (benches/compare.mjs, benches/browser-compare.mjs) stays equivalent when the rules change:
//
//   translateZenGraph(rules)   a GoRules JDM decision graph: a collect decision table for every line
//                              (deductions, adjustments, bonus), an expression node for item scores,
//                              caps, rounding, bonus and total, a first-hit decision table for the grade
//   translateZenExpression(rules)  one ZEN expression giving {total, grade} (for @gorules/zen-engine-wasm,
//                              which evaluates expressions only)
//   translateJre(rules, mode)  json-rules-engine rules (one per line and per veto) + the JS glue source
//                              (facts, items the rules cannot express, caps, bonus, grade); mode
//                              'number' (plain JS numbers, the usual Math.round(x * 100) / 100) or 'big'
//   translatePlainJs(rules)    a plain JS function (numbers, exact item rounding on integer hundredths)
//
// Pure ESM, no imports: runs in Node and in the browser. Semantics follow docs/SPEC.md and the
// independent reference scorer tests/tools/reference_scorer.py, for a single submission (no batch):
// `rank` items count at full points (the engine marks them pending), batch aggregates are refused.
// Every submission is assumed fully filled and valid (the engine validates; the peers do not).

// ------------------------------------------------------------------------------------------------
// Expressions: the rule set's small language, parsed into an AST.

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|("[^"]*")|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||<=|>=|==|!=|[-+*/<>!(),]))/y;
const LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/']];
const FUNCS = { if: 3, min: -1, max: -1, abs: 1, floor: 1, ceil: 1, round: 2 };

export function parseExpr(src) {
  const toks = [];
  TOKEN.lastIndex = 0;
  const s = src.trimEnd();
  while (TOKEN.lastIndex < s.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(s);
    if (!m || TOKEN.lastIndex === at) throw new Error(`translate: cannot read ${JSON.stringify(src)} at ${at}`);
    if (m[1] !== undefined) toks.push({ k: 'num', v: m[1] });
    else if (m[2] !== undefined) toks.push({ k: 'str', v: m[2].slice(1, -1) });
    else if (m[3] !== undefined) toks.push({ k: 'id', v: m[3] });
    else toks.push({ k: 'op', v: m[4] });
  }
  toks.push({ k: 'end' });
  let i = 0;
  const peek = () => toks[i];
  const isOp = (v) => toks[i].k === 'op' && toks[i].v === v;
  const take = (v) => {
    if (v !== undefined && !isOp(v)) throw new Error(`translate: expected ${v} in ${JSON.stringify(src)}`);
    return toks[i++];
  };
  const binary = (level) => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    while (peek().k === 'op' && LEVELS[level].includes(peek().v)) {
      const op = take().v;
      left = { t: 'bin', op, a: left, b: binary(level + 1) };
    }
    return left;
  };
  const unary = () => {
    if (isOp('!')) { take(); return { t: 'un', op: '!', a: unary() }; }
    if (isOp('-')) { take(); return { t: 'un', op: '-', a: unary() }; }
    return atom();
  };
  const atom = () => {
    const t = take();
    if (t.k === 'num') return { t: 'num', v: t.v };
    if (t.k === 'str') return { t: 'str', v: t.v };
    if (t.k === 'op' && t.v === '(') { const e = binary(0); take(')'); return e; }
    if (t.k === 'id') {
      if (t.v === 'true' || t.v === 'false') return { t: 'bool', v: t.v === 'true' };
      if (isOp('(')) {
        take('(');
        const args = [];
        if (!isOp(')')) {
          args.push(binary(0));
          while (isOp(',')) { take(','); args.push(binary(0)); }
        }
        take(')');
        if (!(t.v in FUNCS)) throw new Error(`translate: ${t.v}() is not supported outside a batch (${src})`);
        const n = FUNCS[t.v];
        if ((n >= 0 && args.length !== n) || (n < 0 && args.length < 1)) throw new Error(`translate: ${t.v}() arity in ${src}`);
        return { t: 'call', f: t.v, args };
      }
      return { t: 'id', v: t.v };
    }
    throw new Error(`translate: unexpected token in ${JSON.stringify(src)}`);
  };
  const e = binary(0);
  if (peek().k !== 'end') throw new Error(`translate: trailing input in ${JSON.stringify(src)}`);
  return e;
}

const NUMERIC = new Set(['count', 'number', 'percent']);

function typeOf(e, inputs) {
  switch (e.t) {
    case 'num': return 'num';
    case 'bool': return 'bool';
    case 'str': return 'str';
    case 'id': {
      const inp = inputs.get(e.v);
      if (!inp) throw new Error(`translate: unknown input ${e.v}`);
      if (NUMERIC.has(inp.type)) return 'num';
      if (inp.type === 'bool') return 'bool';
      if (inp.type === 'choice') return 'str';
      throw new Error(`translate: text input ${e.v} in an expression`);
    }
    case 'un': return e.op === '!' ? 'bool' : 'num';
    case 'bin': return ['+', '-', '*', '/'].includes(e.op) ? 'num' : 'bool';
    case 'call': return e.f === 'if' ? typeOf(e.args[1], inputs) : 'num';
  }
  throw new Error('translate: bad node');
}

// The condition under which an expression is undefined (a division by zero on the evaluated path),
// as target code, or null when it never is. `B` is a code backend (see below).
function undefCode(e, B) {
  switch (e.t) {
    case 'num': case 'bool': case 'str': case 'id': return null;
    case 'un': return undefCode(e.a, B);
    case 'bin': {
      const ua = undefCode(e.a, B);
      const ub = undefCode(e.b, B);
      if (e.op === '&&') return B.or(ua, ub && B.and(B.expr(e.a), ub));
      if (e.op === '||') return B.or(ua, ub && B.and(B.not(B.expr(e.a)), ub));
      let u = B.or(ua, ub);
      if (e.op === '/') u = B.or(u, B.isZero(B.expr(e.b)));
      return u;
    }
    case 'call': {
      if (e.f === 'if') {
        const [c, a, b] = e.args.map((x) => undefCode(x, B));
        const branch = a || b ? B.ite(B.expr(e.args[0]), a ?? B.FALSE, b ?? B.FALSE) : null;
        return B.or(c, branch);
      }
      return e.args.reduce((acc, x) => B.or(acc, undefCode(x, B)), null);
    }
  }
  throw new Error('translate: bad node');
}

// ------------------------------------------------------------------------------------------------
// Decimal literals at generation time (exact, no floats).

function decParts(s) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(s).trim());
  if (!m) throw new Error(`translate: not a decimal: ${s}`);
  return { neg: m[1] === '-', int: m[2], frac: m[3] ?? '' };
}
/** The decimal rounded half away from zero to `scale` places, as a BigInt count of 10^-scale. */
function scaledInt(s, scale) {
  const { neg, int, frac } = decParts(s);
  const digits = BigInt(int + frac.padEnd(scale + 1, '0').slice(0, scale + 1));
  const v = (digits + 5n) / 10n;
  return neg ? -v : v;
}
function decText(s) {
  const { neg, int, frac } = decParts(s);
  const f = frac.replace(/0+$/, '');
  return (neg ? '-' : '') + String(BigInt(int)) + (f ? '.' + f : '');
}

// ------------------------------------------------------------------------------------------------
// The rule set, checked for what the translators support.

function prepare(rules) {
  const inputs = new Map(rules.inputs.map((i) => [i.id, i]));
  const scale = rules.scale ?? 2;
  const naMode = rules.not_applicable ?? 'full';
  const items = [];
  const sections = rules.sections.map((s) => {
    const its = s.items.map((it) => {
      const rule = ['deduct', 'rate', 'bands', 'judged', 'rank', 'formula'].find((k) => k in it);
      const x = { ...it, rule, key: 'item:' + it.id, name: 'i_' + it.id.replace(/[^A-Za-z0-9]/g, '_') };
      items.push(x);
      return x;
    });
    return { ...s, items: its, name: 's_' + s.id.replace(/[^A-Za-z0-9]/g, '_') };
  });
  const adjustments = (rules.adjustments ?? []).map((a) => ({ ...a, key: 'adj:' + a.id, name: 'a_' + a.id.replace(/[^A-Za-z0-9]/g, '_') }));
  const bonus = rules.bonus ? {
    cap: rules.bonus.cap,
    items: rules.bonus.items.map((b) => ({ ...b, key: 'bonus:' + b.id, name: 'b_' + b.id.replace(/[^A-Za-z0-9]/g, '_') })),
  } : null;
  const vetoes = (rules.vetoes ?? []).map((v) => ({ ...v, name: 'veto_' + v.id.replace(/[^A-Za-z0-9]/g, '_') }));
  const grades = rules.grades.map((g) => ({ name: g.name, min: String(g.min) }));
  for (let k = 1; k < grades.length; k++) {
    if (Number(grades[k].min) > Number(grades[k - 1].min)) throw new Error('translate: grades must descend');
  }
  // Every line group: [owner, lines, combine].
  const groups = [];
  for (const it of items) if (it.rule === 'deduct') groups.push({ owner: it, lines: it.deduct, combine: it.combine ?? 'sum' });
  for (const a of adjustments) groups.push({ owner: a, lines: a.deduct, combine: a.combine ?? 'sum' });
  if (bonus) for (const b of bonus.items) groups.push({ owner: b, lines: b.add, combine: b.combine ?? 'sum' });
  for (const g of groups) {
    g.parsed = g.lines.map((l) => ('if' in l
      ? { kind: 'if', cond: parseExpr(l.if), points: String(l.points), reason: l.reason }
      : { kind: 'per', value: parseExpr(l.per), free: String(l.free ?? '0'), points: String(l.points), reason: l.reason }));
  }
  return { rules, inputs, scale, naMode, items, sections, adjustments, bonus, vetoes, grades, groups, full: String(rules.full_score) };
}

// The grade rows of a first-hit table, worst grade first: each row is {grade, total?: '< MIN', veto?: v}.
// Final grade index = max(grade by score, every triggered veto's index); a row for grade g matches when
// that index is at least g. The best grade is the catch-all last row.
function gradeRows(P) {
  const L = P.grades.length - 1;
  const rows = [];
  const done = new Set(); // vetoes with an unconditional row already: later rows could never match
  for (let g = L; g >= 1; g--) {
    const name = P.grades[g].name;
    rows.push({ grade: name, total: P.grades[g - 1].min });
    for (const v of P.vetoes) {
      if (done.has(v)) continue;
      const eff = v.effect;
      let row = null;
      if (eff === 'fail' || eff === 'zero') row = { grade: name, veto: v };
      else if (eff.max_grade !== undefined) {
        const k = P.grades.findIndex((x) => x.name === eff.max_grade);
        if (k < 0) throw new Error(`translate: unknown grade ${eff.max_grade}`);
        if (k >= g) row = { grade: name, veto: v };
      } else if (eff.lower_grades !== undefined) {
        const need = g - Number(eff.lower_grades); // grade by score >= need
        row = need <= 0 ? { grade: name, veto: v } : { grade: name, veto: v, total: P.grades[need - 1].min };
      } else throw new Error('translate: unknown veto effect');
      if (row) {
        rows.push(row);
        if (row.total === undefined) done.add(v);
      }
    }
  }
  rows.push({ grade: P.grades[0].name });
  return rows;
}

// ------------------------------------------------------------------------------------------------
// ZEN (GoRules) expression syntax.

function zenBackend(P) {
  const B = {
    FALSE: 'false',
    or: (a, b) => (a && b ? `(${a} or ${b})` : a || b),
    and: (a, b) => `(${a} and ${b})`,
    not: (a) => `(not ${a})`,
    ite: (c, a, b) => `(${c} ? ${a} : ${b})`,
    isZero: (a) => `(${a} == 0)`,
    expr(e) {
      switch (e.t) {
        case 'num': return decText(e.v);
        case 'bool': return String(e.v);
        case 'str': if (e.v.includes("'")) throw new Error('translate: quote in a string'); return `'${e.v}'`;
        case 'id':
          if (['and', 'or', 'not', 'in', 'true', 'false', 'null'].includes(e.v)) throw new Error(`translate: id ${e.v} is a ZEN keyword`);
          return e.v;
        case 'un': return e.op === '!' ? `(not ${B.expr(e.a)})` : `(0 - ${B.expr(e.a)})`;
        case 'bin': {
          const op = e.op === '&&' ? 'and' : e.op === '||' ? 'or' : e.op;
          return `(${B.expr(e.a)} ${op} ${B.expr(e.b)})`;
        }
        case 'call': {
          const a = e.args.map(B.expr);
          if (e.f === 'if') return `(${a[0]} ? ${a[1]} : ${a[2]})`;
          if (e.f === 'min' || e.f === 'max') return `${e.f}([${a.join(', ')}])`;
          if (e.f === 'round') return `round(${a[0]}, ${a[1]})`;
          return `${e.f}(${a[0]})`;
        }
      }
      throw new Error('translate: bad node');
    },
  };
  B.lit = (d) => decText(d);
  B.round = (x) => `round(${x}, ${P.scale})`;
  B.min = (...xs) => `min([${xs.join(', ')}])`;
  B.max = (...xs) => `max([${xs.join(', ')}])`;
  return B;
}

// The item, section, adjustment and bonus logic as ZEN expressions. `linesSum(group)` gives the raw sum
// (or max) of a line group; `bind(name, expr)` either names an intermediate result (graph: an expression
// node key, referenced as $.name) or inlines it.
function zenScoring(P, B, { linesSum, bind }) {
  const out = {};
  const lit = B.lit;
  const itemScore = (it) => {
    const pts = lit(it.points);
    const limit = it.cap !== undefined ? lit(Number(it.cap) < Number(it.points) ? it.cap : it.points) : pts;
    let score;
    let undef = null;
    switch (it.rule) {
      case 'deduct': {
        const g = P.groups.find((x) => x.owner === it);
        undef = g.parsed.reduce((acc, l) => B.or(acc, undefCode(l.kind === 'if' ? l.cond : l.value, B)), null);
        score = B.round(`(${pts} - ${B.min(limit, linesSum(g))})`);
        break;
      }
      case 'rate': {
        const r = it.rate;
        const ast = parseExpr(r.value);
        const u = undefCode(ast, B);
        const v = bind('v_' + it.name.slice(2), u ? `(${u} ? null : ${B.expr(ast)})` : B.expr(ast));
        const T = lit(r.target);
        const lower = r.direction === 'lower';
        const sf = lower ? `(${v} - ${T})` : `(${T} - ${v})`;
        let ded;
        if (r.mode === 'step') {
          let steps = `(${sf} / ${lit(r.step)})`;
          if (r.partial === 'up') steps = `ceil(${steps})`;
          else if (r.partial === 'down') steps = `floor(${steps})`;
          ded = `(${steps} * ${lit(r.points_per_step)})`;
        } else {
          const s = lower ? `(${pts} * ${T} / ${v})` : `(${pts} * ${v} / ${T})`;
          ded = `(${pts} - ${B.max('0', B.min(pts, s))})`;
        }
        const scored = `(${sf} <= 0 ? ${B.round(pts)} : ${B.round(`(${pts} - ${B.min(limit, ded)})`)})`;
        const wu = r.when_undefined ?? 'full';
        score = u ? `(${v} == null ? ${wu === 'zero' ? '0' : pts} : ${scored})` : scored;
        break;
      }
      case 'bands': {
        const ast = parseExpr(it.bands.value);
        undef = undefCode(ast, B);
        const v = bind('v_' + it.name.slice(2), B.expr(ast));
        const bands = it.bands.bands;
        const maxes = bands.filter((b) => b.max !== undefined).map((b) => Number(b.max));
        const top = maxes.length ? Math.max(...maxes) : null;
        let chain = 'null';
        const inclusive = bands.find((b) => b.max !== undefined && Number(b.max) === top);
        if (inclusive) chain = `(${v} == ${lit(inclusive.max)} ? ${B.round(lit(inclusive.score))} : null)`;
        for (let k = bands.length - 1; k >= 0; k--) {
          const b = bands[k];
          const conds = [];
          if (b.min !== undefined) conds.push(`${v} >= ${lit(b.min)}`);
          if (b.max !== undefined) conds.push(`${v} < ${lit(b.max)}`);
          chain = `(${conds.join(' and ') || 'true'} ? ${B.round(lit(b.score))} : ${chain})`;
        }
        score = chain;
        break;
      }
      case 'judged': score = B.round(it.judged.input); break;
      case 'formula': {
        const ast = parseExpr(it.formula);
        undef = undefCode(ast, B);
        score = B.round(B.max('0', B.min(pts, B.expr(ast))));
        break;
      }
      case 'rank': score = pts; break; // single unit: pending, counted at full points
      default: throw new Error(`translate: item ${it.id} has no rule`);
    }
    if (undef) score = `(${undef} ? ${pts} : ${score})`;
    if (it.applicable !== undefined) {
      const ast = parseExpr(it.applicable);
      const u = undefCode(ast, B);
      const na = P.naMode === 'rescale' ? 'null' : pts;
      score = `(${B.expr(ast)} ? ${score} : ${na})`;
      if (u) score = `(${u} ? ${pts} : ${score})`;
    }
    return score;
  };
  const sectionTotals = [];
  const itemRefs = new Map();
  for (const s of P.sections) {
    const refs = s.items.map((it) => {
      const r = bind(it.name, itemScore(it));
      itemRefs.set(it, r);
      return r;
    });
    let sum = P.naMode === 'rescale' ? refs.map((r) => `(${r} ?? 0)`).join(' + ') : refs.join(' + ');
    if (s.out_of !== undefined) sum = B.round(`((${sum}) * ${lit(s.points)} / ${lit(s.out_of)})`);
    sectionTotals.push(bind(s.name, `(${sum})`));
  }
  let subtotal = `(${sectionTotals.join(' + ')})`;
  if (P.naMode === 'rescale') {
    const naItems = P.items.filter((it) => it.applicable !== undefined);
    if (naItems.length) {
      const earned = bind('earned', subtotal);
      const appPts = `(${P.items.map((it) => (it.applicable !== undefined ? `(${itemRefs.get(it)} == null ? 0 : ${lit(it.points)})` : lit(it.points))).join(' + ')})`;
      const anyNa = naItems.map((it) => `${itemRefs.get(it)} == null`).join(' or ');
      const ap = bind('applicable_points', appPts);
      subtotal = `((${anyNa}) ? (${ap} == 0 ? ${lit(P.full)} : ${B.round(`(${earned} * ${lit(P.full)} / ${ap})`)}) : ${earned})`;
    }
  }
  out.subtotal = bind('subtotal', subtotal);
  const adjRefs = P.adjustments.map((a) => {
    const g = P.groups.find((x) => x.owner === a);
    const u = g.parsed.reduce((acc, l) => B.or(acc, undefCode(l.kind === 'if' ? l.cond : l.value, B)), null);
    let amt = linesSum(g);
    if (a.cap !== undefined) amt = B.min(lit(a.cap), amt);
    amt = B.round(amt);
    if (u) amt = `(${u} ? 0 : ${amt})`;
    return bind(a.name, amt);
  });
  out.adjust = bind('adjust', adjRefs.length ? `(${adjRefs.join(' + ')})` : '0');
  let bonusRef = '0';
  if (P.bonus) {
    const refs = P.bonus.items.map((b) => {
      const g = P.groups.find((x) => x.owner === b);
      const u = g.parsed.reduce((acc, l) => B.or(acc, undefCode(l.kind === 'if' ? l.cond : l.value, B)), null);
      let amt = B.round(B.min(lit(b.points), linesSum(g)));
      if (u) amt = `(${u} ? 0 : ${amt})`;
      return bind(b.name, amt);
    });
    bonusRef = bind('bonus', B.min(lit(P.bonus.cap), `(${refs.join(' + ')})`));
  }
  out.bonus = bonusRef;
  const vetoRefs = new Map();
  for (const v of P.vetoes) {
    const ast = parseExpr(v.when);
    const u = undefCode(ast, B);
    vetoRefs.set(v, bind(v.name, u ? `(${u} ? false : ${B.expr(ast)})` : B.expr(ast)));
  }
  const zero = P.vetoes.filter((v) => v.effect === 'zero').map((v) => vetoRefs.get(v));
  const total = `(${B.max('0', `(${out.subtotal} - ${out.adjust})`)} + ${bonusRef})`;
  out.total = zero.length ? `((${zero.join(' or ')}) ? 0 : ${total})` : total;
  out.vetoRefs = vetoRefs;
  return out;
}

function zenLineRow(B, l) {
  if (l.kind === 'if') return { cond: B.expr(l.cond), amount: B.lit(l.points) };
  const v = B.expr(l.value);
  const free = B.lit(l.free);
  const n = free === '0' ? v : `(${v} - ${free})`;
  return { cond: `${v} > ${free}`, amount: `${n} * ${B.lit(l.points)}` };
}

/** The JDM decision graph (JSON object) for @gorules/zen-engine. */
export function translateZenGraph(rules) {
  const P = prepare(rules);
  const B = zenBackend(P);
  const quote = (s) => {
    if (!s.includes("'")) return `'${s}'`;
    if (!s.includes('"')) return `"${s}"`;
    throw new Error('translate: both quotes in a reason');
  };
  // 1. Collect table: one row per line of every deduct item, adjustment and bonus item.
  const rows = [];
  for (const g of P.groups) {
    g.parsed.forEach((l, k) => {
      const r = zenLineRow(B, l);
      rows.push({ _id: `${g.owner.key}#${k}`, cond: r.cond, key: quote(g.owner.key), amount: r.amount, reason: quote(l.reason) });
    });
  }
  const linesTable = {
    id: 'lines', type: 'decisionTableNode', name: '扣分加分明细（collect）', position: { x: 320, y: 200 },
    content: {
      hitPolicy: 'collect', passThrough: true, inputField: null, outputPath: 'lines', executionMode: 'single',
      inputs: [{ id: 'cond', name: '条件' }],
      outputs: [
        { id: 'key', name: '项目', field: 'key' },
        { id: 'amount', name: '分值', field: 'amount' },
        { id: 'reason', name: '原因', field: 'reason' },
      ],
      rules: rows,
    },
  };
  // 2. Expression node: item scores, caps, rounding, sections, adjustments, bonus, vetoes, total.
  const expressions = [];
  const bind = (name, value) => {
    expressions.push({ id: name, key: name, value });
    return `$.${name}`;
  };
  const linesSum = (g) => {
    const amounts = `map(filter(lines, #.key == '${g.owner.key}'), #.amount)`;
    return g.combine === 'max' ? `max(flatMap([[0], ${amounts}], #))` : `sum(${amounts})`;
  };
  const s = zenScoring(P, B, { linesSum, bind });
  bind('total', s.total);
  expressions.push({ id: 'lines', key: 'lines', value: 'lines' });
  const exprNode = {
    id: 'score', type: 'expressionNode', name: '得分、封顶、加分、总分', position: { x: 640, y: 200 },
    content: { passThrough: false, inputField: null, outputPath: null, executionMode: 'single', expressions },
  };
  // 3. First-hit table: grade from the total and the triggered vetoes.
  const vetoCols = P.vetoes.map((v) => ({ id: v.name, name: v.title, field: v.name }));
  const gradeRules = gradeRows(P).map((r, k) => {
    const row = { _id: `g${k}`, total: r.total !== undefined ? `< ${decText(r.total)}` : '', grade: quote(r.grade) };
    for (const c of vetoCols) row[c.id] = r.veto && r.veto.name === c.id ? 'true' : '';
    return row;
  });
  const gradeTable = {
    id: 'grade', type: 'decisionTableNode', name: '等次（first hit）', position: { x: 960, y: 200 },
    content: {
      hitPolicy: 'first', passThrough: true, inputField: null, outputPath: null, executionMode: 'single',
      inputs: [{ id: 'total', name: '总分', field: 'total' }, ...vetoCols],
      outputs: [{ id: 'grade', name: '等次', field: 'grade' }],
      rules: gradeRules,
    },
  };
  const nodes = [
    { id: 'request', type: 'inputNode', name: '考核表', position: { x: 0, y: 200 }, content: {} },
    linesTable, exprNode, gradeTable,
    { id: 'response', type: 'outputNode', name: '考核结果', position: { x: 1280, y: 200 }, content: {} },
  ];
  const edges = [['request', 'lines'], ['lines', 'score'], ['score', 'grade'], ['grade', 'response']]
    .map(([a, b]) => ({ id: `${a}-${b}`, sourceId: a, targetId: b, type: 'edge' }));
  return { contentType: 'application/vnd.gorules.decision', nodes, edges };
}

/**
 * One ZEN expression evaluating to {total, grade} (for @gorules/zen-engine-wasm). totalAs 'string'
 * (default) returns the total as ZEN's decimal text: @gorules/zen-engine-wasm 0.23.1 truncates every
 * non-integer number it hands back to JS (1.5 -> 1), so a number total is only right with other versions.
 */
export function translateZenExpression(rules, { totalAs = 'string' } = {}) {
  const P = prepare(rules);
  const B = zenBackend(P);
  const bind = (_name, value) => `(${value})`;
  const linesSum = (g) => {
    const terms = g.parsed.map((l) => {
      if (l.kind === 'if') return `(${B.expr(l.cond)} ? ${B.lit(l.points)} : 0)`;
      const v = B.expr(l.value);
      const n = l.free === '0' ? v : `(${v} - ${B.lit(l.free)})`;
      return `(${B.max(n, '0')} * ${B.lit(l.points)})`;
    });
    if (!terms.length) return '0';
    return g.combine === 'max' ? B.max('0', ...terms) : `(${terms.join(' + ')})`;
  };
  const s = zenScoring(P, B, { linesSum, bind });
  // The grade, with # as the total.
  let grade = `'${P.grades[0].name}'`;
  const rows = gradeRows(P);
  for (let k = rows.length - 2; k >= 0; k--) {
    const r = rows[k];
    const conds = [];
    if (r.total !== undefined) conds.push(`# < ${decText(r.total)}`);
    if (r.veto) conds.push(s.vetoRefs.get(r.veto));
    grade = `(${conds.join(' and ')} ? '${r.grade}' : ${grade})`;
  }
  return `map([${s.total}], {total: ${totalAs === 'string' ? 'string(#)' : '#'}, grade: ${grade}})[0]`;
}

// ------------------------------------------------------------------------------------------------
// JavaScript: plain numbers ("careful": item scores as integer hundredths, sums and differences snapped
// to the 15 significant digits of their larger operand, values snapped to 15 significant digits before
// rounding, ceil/floor and comparisons; "naive": Math.round(x * 100) / 100 and float sums) or big.js.

// Whether an expression's value is always a whole number (integer literals, count inputs, and +, -, *,
// min, max, abs, floor, ceil, round(x, 0) and if() over them): JS numbers compute those exactly, so the
// careful translation needs no snapping there.
function isWhole(e, inputs) {
  switch (e.t) {
    case 'num': return !/\.\d*[1-9]/.test(e.v);
    case 'id': return inputs.get(e.v)?.type === 'count';
    case 'un': return e.op === '-' && isWhole(e.a, inputs);
    case 'bin': return ['+', '-', '*'].includes(e.op) && isWhole(e.a, inputs) && isWhole(e.b, inputs);
    case 'call':
      if (e.f === 'floor' || e.f === 'ceil') return true;
      if (e.f === 'round') return e.args[1].t === 'num' && Number(e.args[1].v) === 0;
      if (e.f === 'if') return isWhole(e.args[1], inputs) && isWhole(e.args[2], inputs);
      return e.args.every((x) => isWhole(x, inputs));
  }
  return false;
}

// Whether an expression divides (its value may be a non-terminating decimal).
function hasDiv(e) {
  switch (e.t) {
    case 'un': return hasDiv(e.a);
    case 'bin': return e.op === '/' || hasDiv(e.a) || hasDiv(e.b);
    case 'call': return e.args.some(hasDiv);
  }
  return false;
}

// The engine computes with rust_decimal (a 96-bit mantissa, at most 28 places): a non-terminating
// quotient, and a product that needs more places or digits, is rounded to what fits (ties to even).
// Where such values add up to an exact rounding edge (100 × 11 ÷ 12 × 0.005 + 100 × 1 ÷ 3 × 0.005 is
// 0.625 in exact arithmetic, 0.6250000000000000000000000001 in the engine) those last digits decide the
// item's rounding (1 − 0.625… → 0.37, not 0.38). So every quotient, and every product with a quotient in
// it, is rounded the engine's way: big.js exactly so (RD), the careful JS numbers with 17 fewer digits
// (M: at most 11 places, a mantissa below 2^96 / 10^17), which a double holds exactly and which leaves
// room for the 15-digit snapping of sums without losing the direction of that rounding.

function jsBackend(P, mode) {
  const consts = [];
  const K = (d) => {
    const t = decText(d);
    let k = consts.indexOf(t);
    if (k < 0) { consts.push(t); k = consts.length - 1; }
    return `K${k}`;
  };
  const id = (v) => `$${v}`;
  const simple = (e) => e.t === 'num' || e.t === 'id';
  const big = mode === 'big';
  const careful = mode === 'careful';
  const ten = 10 ** P.scale;
  const B = {
    mode, consts,
    FALSE: 'false',
    or: (a, b) => (a && b ? `(${a} || ${b})` : a || b),
    and: (a, b) => `(${a} && ${b})`,
    not: (a) => `(!${a})`,
    ite: (c, a, b) => `(${c} ? ${a} : ${b})`,
    isZero: (a) => (big ? `${a}.eq(0)` : `(${a} === 0)`),
    lit: (d) => (big ? K(d) : decText(d)),
    zero: big ? K('0') : '0',
    // Careful: a sum or difference of decimals carries the representation errors of its operands,
    // which cancellation makes large relative to the result (100 - 93.1 = 6.900000000000006, then
    // 2 - 6.9 * 0.25 = 0.2749999999999986, which 15 digits of its own cannot snap back to 0.275):
    // it is snapped to 15 significant digits of its larger operand (A, D). Whole operands need none.
    add: (a, b, whole = false) => (big ? `${a}.plus(${b})` : careful && !whole ? `A(${a}, ${b})` : `(${a} + ${b})`),
    sub: (a, b, whole = false) => (big ? `${a}.minus(${b})` : careful && !whole ? `D(${a}, ${b})` : `(${a} - ${b})`),
    // exact: no operand is (or contains) a quotient, so the product needs no rounding.
    mul: (a, b, exact = false) => (big ? (exact ? `${a}.times(${b})` : `RD(${a}.times(${b}))`) : careful && !exact ? `M(${a} * ${b})` : `(${a} * ${b})`),
    div: (a, b) => (big ? `RD(${a}.div(${b}))` : careful ? `M(${a} / ${b})` : `(${a} / ${b})`),
    min: (...xs) => (big ? `bmin(${xs.join(', ')})` : `Math.min(${xs.join(', ')})`),
    max: (...xs) => (big ? `bmax(${xs.join(', ')})` : `Math.max(${xs.join(', ')})`),
    // Comparison of computed raw values (snapped in careful mode).
    cmp: (op, a, b, snap = true) => {
      if (big) return `${a}.${{ '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', '==': 'eq' }[op]}(${b})`;
      const s = (x) => (careful && snap && !/^(\$\w+|[\d.]+)$/.test(x) ? `S(${x})` : x);
      return `(${s(a)} ${op === '==' ? '===' : op} ${s(b)})`;
    },
    ceil: (x) => (big ? `bceil(${x})` : careful ? `Math.ceil(S(${x}))` : `Math.ceil(${x})`),
    floor: (x) => (big ? `bfloor(${x})` : careful ? `Math.floor(S(${x}))` : `Math.floor(${x})`),
    expr(e) {
      switch (e.t) {
        case 'num': return B.lit(e.v);
        case 'bool': return String(e.v);
        case 'str': return JSON.stringify(e.v);
        case 'id': return id(e.v);
        case 'un':
          if (e.op === '!') return `(!${B.expr(e.a)})`;
          return big ? `${B.expr(e.a)}.neg()` : `(-${B.expr(e.a)})`;
        case 'bin': {
          const a = B.expr(e.a);
          const b = B.expr(e.b);
          const whole = isWhole(e.a, P.inputs) && isWhole(e.b, P.inputs);
          switch (e.op) {
            case '&&': return `(${a} && ${b})`;
            case '||': return `(${a} || ${b})`;
            case '+': return B.add(a, b, whole);
            case '-': return B.sub(a, b, whole);
            case '*': return B.mul(a, b, !hasDiv(e.a) && !hasDiv(e.b));
            case '/': return B.div(a, b);
          }
          const numeric = typeOf(e.a, P.inputs) === 'num';
          if (!numeric) return `(${a} ${e.op === '==' ? '===' : '!=='} ${b})`;
          const snap = !(simple(e.a) && simple(e.b));
          if (e.op === '!=') return `(!${B.cmp('==', a, b, snap)})`;
          return B.cmp(e.op, a, b, snap);
        }
        case 'call': {
          const a = e.args.map(B.expr);
          switch (e.f) {
            case 'if': return `(${a[0]} ? ${a[1]} : ${a[2]})`;
            case 'min': return B.min(...a);
            case 'max': return B.max(...a);
            case 'abs': return big ? `${a[0]}.abs()` : `Math.abs(${a[0]})`;
            case 'floor': return B.floor(a[0]);
            case 'ceil': return B.ceil(a[0]);
            case 'round': {
              const n = Number(e.args[1].v);
              if (big) return `${a[0]}.round(${n}, 1)`;
              return careful ? `R(${a[0]}, ${n})` : `(Math.round(${a[0]} * ${10 ** n}) / ${10 ** n})`;
            }
          }
        }
      }
      throw new Error('translate: bad node');
    },
    // Money: what item rounding produces; careful = integer count of 10^-scale.
    H: (x) => (big ? `${x}.round(${P.scale}, 1)` : careful ? `H(${x})` : `(Math.round(${x} * ${ten}) / ${ten})`),
    mlit: (d) => (big ? K(d) : careful ? String(scaledInt(d, P.scale)) : decText(d)),
    mzero: big ? K('0') : '0',
    madd: (...xs) => (xs.length === 0 ? (big ? K('0') : '0') : big ? xs.reduce((a, b) => `${a}.plus(${b})`) : `(${xs.join(' + ')})`),
    msub: (a, b) => (big ? `${a}.minus(${b})` : `(${a} - ${b})`),
    mmin: (a, b) => (big ? `bmin(${a}, ${b})` : `Math.min(${a}, ${b})`),
    mmax: (a, b) => (big ? `bmax(${a}, ${b})` : `Math.max(${a}, ${b})`),
    mge: (m, d) => (big ? `${m}.gte(${K(d)})` : `(${m} >= ${careful ? String(scaledInt(d, P.scale)) : decText(d)})`),
    mIsZero: (m) => (big ? `${m}.eq(0)` : `(${m} === 0)`),
    mToRaw: (m) => (careful ? `(${m} / ${ten})` : m),
    mfmt: (m) => (big ? `${m}.toFixed(${P.scale})` : careful ? `F(${m})` : `${m}.toFixed(${P.scale})`),
  };
  return B;
}

function jsHelpers(B, P) {
  const ten = 10 ** P.scale;
  const lines = [];
  if (B.mode === 'big') {
    lines.push('// A constructor of its own: quotients to 40 places, then rounded as the engine\'s decimals (RD).');
    lines.push('const Big = Big0();', 'Big.DP = 40;');
    lines.push('// rust_decimal\'s precision: at most 28 places, a mantissa below 2^96; ties to even.');
    lines.push("const MAXD = [...'79228162514264337593543950336'].map(Number);");
    lines.push('// Whether the 29 leading digits of x (its coefficient) are below 2^96.');
    lines.push('const fits29 = (c) => { for (let i = 0; i < 29; i++) { const d = c[i] ?? 0; if (d !== MAXD[i]) return d < MAXD[i]; } return false; };');
    lines.push('const RD = (x) => { if (x.c[0] === 0) return x; let s = Math.min(28, 27 - x.e); if (s < 0) return x; if (s < 28 && fits29(x.c)) s++; return x.round(s, 2); };');
    lines.push(...B.consts.map((c, k) => `const K${k} = new Big('${c}');`));
    lines.push('const bmin = (a, ...xs) => { for (const x of xs) if (x.lt(a)) a = x; return a; };');
    lines.push('const bmax = (a, ...xs) => { for (const x of xs) if (x.gt(a)) a = x; return a; };');
    lines.push('const bfloor = (x) => x.round(0, x.s < 0 ? 3 : 0);');
    lines.push('const bceil = (x) => x.round(0, x.s < 0 ? 0 : 3);');
  } else if (B.mode === 'careful') {
    lines.push('// Snap a float to 15 significant digits: undoes binary representation error before a discontinuous step.');
    lines.push('const S = (x) => +x.toPrecision(15);');
    lines.push('// A sum (A) or difference (D) snapped to 15 significant digits of its larger operand: cancellation');
    lines.push('// (100 - 93.1 = 6.900000000000006) leaves the operands\' representation errors behind in the result.');
    lines.push('const Q = (x, m) => { if (m === 0 || x === 0) return x; const d = 14 - Math.floor(Math.log10(m)); if (d > 22) return +x.toFixed(Math.min(d, 100)); const p = 10 ** Math.abs(d); return d >= 0 ? Math.round(x * p) / p : Math.round(x / p) * p; };');
    lines.push('const A = (a, b) => Q(a + b, Math.max(Math.abs(a), Math.abs(b)));');
    lines.push('const D = (a, b) => Q(a - b, Math.max(Math.abs(a), Math.abs(b)));');
    lines.push('// A quotient, or a product with one in it, rounded as the engine\'s decimals round it, with 17 fewer digits:');
    lines.push('// at most 11 places and a mantissa below 2^96 / 10^17 (rust_decimal: 28 places, 2^96), ties to even.');
    lines.push('// (A tie is a fraction within 15 significant digits of one half: the binary error of a * k is below that.)');
    lines.push('const M = (x) => { if (x === 0 || !Number.isFinite(x)) return x; const a = Math.abs(x); let s = 11; while (s > 0 && a * 10 ** s >= 792281625142.6434) s--; const k = 10 ** s; const m = a * k; let r = Math.floor(m); const f = m - r; if (Math.abs(f - 0.5) <= m * 1e-15) r += r % 2; else if (f > 0.5) r++; return (x < 0 ? -r : r) / k; };');
    lines.push(`// Round half away from zero to ${P.scale} places, as an integer count of 1/${ten}.`);
    lines.push(`const H = (x) => (x < 0 ? -Math.round(+(-x * ${ten}).toPrecision(15)) : Math.round(+(x * ${ten}).toPrecision(15)));`);
    lines.push('const R = (x, n) => { const m = 10 ** n; return (x < 0 ? -Math.round(+(-x * m).toPrecision(15)) : Math.round(+(x * m).toPrecision(15))) / m; };');
    lines.push(`const F = (m) => { const a = Math.abs(m); const i = Math.floor(a / ${ten}); const f = String(a - i * ${ten}).padStart(${P.scale}, '0'); return (m < 0 ? '-' : '') + i + ${P.scale > 0 ? `'.' + f` : "''"}; };`);
  }
  return lines;
}

function jsConvert(P, B) {
  // Submission values (JSON: decimals as strings or numbers) to JS numbers / Big / bool / string.
  return P.rules.inputs.filter((i) => i.type !== 'text').map((i) => {
    const src = `values[${JSON.stringify(i.id)}]`;
    if (NUMERIC.has(i.type)) return `const $${i.id} = ${B.mode === 'big' ? `new Big(${src})` : `Number(${src})`};`;
    if (i.type === 'bool') return `const $${i.id} = ${src} === true;`;
    return `const $${i.id} = ${src};`;
  });
}

// The scoring body: expects the converted inputs as $id consts; lines either inline or from `sums`
// (an object key -> raw sum/max), vetoes either inline or from `hits` (an object id -> true).
function jsScoring(P, B, { linesFrom, vetoesFrom }) {
  const out = [];
  let tmp = 0;
  const fresh = (p) => `${p}${tmp++}`;
  const lineGroup = (g) => {
    if (linesFrom === 'events') return { code: [], raw: `(sums[${JSON.stringify(g.owner.key)}] ?? ${B.zero})` };
    const d = fresh('d');
    const code = [`let ${d} = ${B.zero};`];
    for (const l of g.parsed) {
      // Amounts are never negative, so their sum cannot cancel: no snapping (careful) needed.
      const amount = (a) => (g.combine === 'max' ? `${d} = ${B.max(d, a)};` : `${d} = ${B.add(d, a, !/^-/.test(String(l.points)))};`);
      if (l.kind === 'if') code.push(`if (${B.expr(l.cond)}) ${amount(B.lit(l.points))}`);
      else {
        const n = fresh('n');
        const v = B.expr(l.value);
        const whole = isWhole(l.value, P.inputs) && !/\.\d*[1-9]/.test(l.free);
        code.push(`{ const ${n} = ${l.free === '0' ? v : B.sub(v, B.lit(l.free), whole)}; if (${B.cmp('>', n, B.zero, false)}) ${amount(B.mul(n, B.lit(l.points), !hasDiv(l.value)))} }`);
      }
    }
    return { code, raw: d };
  };
  const groupUndef = (g) => g.parsed.reduce((acc, l) => B.or(acc, undefCode(l.kind === 'if' ? l.cond : l.value, B)), null);
  const itemVars = new Map();
  const naFlags = [];
  for (const s of P.sections) {
    for (const it of s.items) {
      const m = `m_${it.name.slice(2)}`;
      itemVars.set(it, m);
      const pts = B.lit(it.points);
      const limit = it.cap !== undefined ? B.lit(Number(it.cap) < Number(it.points) ? it.cap : it.points) : pts;
      const body = [];
      let undef = null;
      switch (it.rule) {
        case 'deduct': {
          const g = P.groups.find((x) => x.owner === it);
          undef = groupUndef(g);
          const lg = lineGroup(g);
          body.push(...lg.code, `${m} = ${B.H(B.sub(pts, B.min(limit, lg.raw)))};`);
          break;
        }
        case 'rate': {
          const r = it.rate;
          const ast = parseExpr(r.value);
          const u = undefCode(ast, B);
          const v = fresh('v');
          const sf = fresh('sf');
          const T = B.lit(r.target);
          const lower = r.direction === 'lower';
          let ded;
          if (r.mode === 'step') {
            let steps = B.div(sf, B.lit(r.step));
            if (r.partial === 'up') steps = B.ceil(steps);
            else if (r.partial === 'down') steps = B.floor(steps);
            ded = B.mul(steps, B.lit(r.points_per_step));
          } else {
            const sv = lower ? B.div(B.mul(pts, T), v) : B.div(B.mul(pts, v), T);
            ded = B.sub(pts, B.max(B.zero, B.min(pts, sv)));
          }
          const scored = [
            `const ${v} = ${B.expr(ast)};`,
            `const ${sf} = ${lower ? B.sub(v, T) : B.sub(T, v)};`,
            `${m} = ${B.cmp('<=', sf, B.zero)} ? ${B.mlit(it.points)} : ${B.H(B.sub(pts, B.min(limit, ded)))};`,
          ];
          if (u) {
            const wu = r.when_undefined ?? 'full';
            body.push(`if (${u}) ${m} = ${B.mlit(wu === 'zero' ? '0' : it.points)}; else {`, ...scored, '}');
          } else body.push(...scored);
          break;
        }
        case 'bands': {
          const ast = parseExpr(it.bands.value);
          undef = undefCode(ast, B);
          const v = fresh('v');
          body.push(`const ${v} = ${B.expr(ast)};`);
          const bands = it.bands.bands;
          const maxes = bands.filter((b) => b.max !== undefined).map((b) => Number(b.max));
          const top = maxes.length ? Math.max(...maxes) : null;
          const branches = bands.map((b) => {
            const c = [];
            if (b.min !== undefined) c.push(B.cmp('>=', v, B.lit(b.min)));
            if (b.max !== undefined) c.push(B.cmp('<', v, B.lit(b.max)));
            return `if (${c.join(' && ') || 'true'}) ${m} = ${B.mlit(b.score)};`;
          });
          const inclusive = bands.find((b) => b.max !== undefined && Number(b.max) === top);
          if (inclusive) branches.push(`if (${B.cmp('==', v, B.lit(inclusive.max))}) ${m} = ${B.mlit(inclusive.score)};`);
          branches.push(`throw new Error(${JSON.stringify(`no band for item ${it.id}`)});`);
          body.push(branches.join(' else '));
          break;
        }
        case 'judged': body.push(`${m} = ${B.H(`$${it.judged.input}`)};`); break;
        case 'formula': {
          const ast = parseExpr(it.formula);
          undef = undefCode(ast, B);
          body.push(`${m} = ${B.H(B.max(B.zero, B.min(pts, B.expr(ast))))};`);
          break;
        }
        case 'rank': body.push(`${m} = ${B.mlit(it.points)};`); break;
        default: throw new Error(`translate: item ${it.id} has no rule`);
      }
      let code = undef ? [`if (${undef}) ${m} = ${B.mlit(it.points)}; else {`, ...body, '}'] : body;
      if (it.applicable !== undefined) {
        const ast = parseExpr(it.applicable);
        const u = undefCode(ast, B);
        const na = P.naMode === 'rescale' ? 'null' : B.mlit(it.points);
        if (P.naMode === 'rescale') naFlags.push(m);
        code = [`if (!(${B.expr(ast)})) ${m} = ${na}; else {`, ...code, '}'];
        if (u) code = [`if (${u}) ${m} = ${B.mlit(it.points)}; else {`, ...code, '}'];
      }
      out.push(`let ${m}; // ${it.id} ${it.title}`, ...code);
    }
    const refs = s.items.map((it) => (naFlags.includes(itemVars.get(it)) ? `(${itemVars.get(it)} ?? ${B.mzero})` : itemVars.get(it)));
    let sum = B.madd(...refs);
    if (s.out_of !== undefined) sum = B.H(B.div(B.mul(B.mToRaw(sum), B.lit(s.points)), B.lit(s.out_of)));
    out.push(`const ${s.name} = ${sum};`);
  }
  out.push(`let subtotal = ${B.madd(...P.sections.map((s) => s.name))};`);
  if (P.naMode === 'rescale' && naFlags.length) {
    const app = B.madd(...P.items.map((it) => (naFlags.includes(itemVars.get(it)) ? `(${itemVars.get(it)} === null ? ${B.mzero} : ${B.mlit(it.points)})` : B.mlit(it.points))));
    out.push(`if (${naFlags.map((m) => `${m} === null`).join(' || ')}) {`,
      `  const ap = ${app};`,
      `  subtotal = ${B.mIsZero('ap')} ? ${B.mlit(P.full)} : ${B.H(B.div(B.mul(B.mToRaw('subtotal'), B.lit(P.full)), B.mToRaw('ap')))};`,
      '}');
  }
  const adj = [];
  for (const a of P.adjustments) {
    const g = P.groups.find((x) => x.owner === a);
    const u = groupUndef(g);
    const lg = lineGroup(g);
    const raw = a.cap !== undefined ? B.min(B.lit(a.cap), lg.raw) : lg.raw;
    out.push(`let ${a.name};`, ...(u ? [`if (${u}) ${a.name} = ${B.mzero}; else {`] : ['{']), ...lg.code, `${a.name} = ${B.H(raw)};`, '}');
    adj.push(a.name);
  }
  out.push(`const adjust = ${B.madd(...adj)};`);
  const bon = [];
  if (P.bonus) {
    for (const b of P.bonus.items) {
      const g = P.groups.find((x) => x.owner === b);
      const u = groupUndef(g);
      const lg = lineGroup(g);
      out.push(`let ${b.name};`, ...(u ? [`if (${u}) ${b.name} = ${B.mzero}; else {`] : ['{']), ...lg.code, `${b.name} = ${B.H(B.min(B.lit(b.points), lg.raw))};`, '}');
      bon.push(b.name);
    }
    out.push(`const bonus = ${B.mmin(B.mlit(P.bonus.cap), B.madd(...bon))};`);
  } else out.push(`const bonus = ${B.mzero};`);
  out.push(`let total = ${B.madd(B.mmax(B.mzero, B.msub('subtotal', 'adjust')), 'bonus')};`);
  const L = P.grades.length - 1;
  let gi = String(L);
  for (let k = L - 1; k >= 0; k--) gi = `${B.mge('total', P.grades[k].min)} ? ${k} : ${gi}`;
  out.push(`let gi = ${gi};`, 'const byScore = gi;');
  for (const v of P.vetoes) {
    let cond;
    if (vetoesFrom === 'events') cond = `hits[${JSON.stringify(v.id)}] === true`;
    else {
      const ast = parseExpr(v.when);
      const u = undefCode(ast, B);
      cond = u ? `!(${u}) && ${B.expr(ast)}` : B.expr(ast);
    }
    const eff = v.effect;
    let act;
    if (eff === 'fail') act = `gi = ${L};`;
    else if (eff === 'zero') act = `{ total = ${B.mzero}; gi = ${L}; }`;
    else if (eff.max_grade !== undefined) act = `gi = Math.max(gi, ${P.grades.findIndex((g) => g.name === eff.max_grade)});`;
    else act = `gi = Math.max(gi, Math.min(${L}, byScore + ${Number(eff.lower_grades)}));`;
    out.push(`if (${cond}) ${act} // ${v.id} ${v.title}`);
  }
  out.push(`return { total: ${B.mfmt('total')}, grade: GRADES[gi] };`);
  return out;
}

const indent = (lines, n = 2) => lines.map((l) => ' '.repeat(n) + l).join('\n');

/**
 * Source of an ES module `export default function make(Big) { ... return score; }`: `score(values)` takes a submission's `values`
 * object and returns {total, grade} with total a decimal string. mode 'careful' (default), 'naive' or 'big'.
 */
export function translatePlainJs(rules, mode = 'careful') {
  const P = prepare(rules);
  const B = jsBackend(P, mode);
  const body = [...jsConvert(P, B), ...jsScoring(P, B, { linesFrom: 'inline', vetoesFrom: 'inline' })];
  return `// Generated by benches/peers/translate.mjs from ${P.rules.id} ${P.rules.version} (${mode}). Do not edit.
export default function make(${B.mode === 'big' ? 'Big0' : 'Big'}) {
${indent(jsHelpers(B, P))}
  const GRADES = ${JSON.stringify(P.grades.map((g) => g.name))};
  return function score(values) {
${indent(body, 4)}
  };
}
`;
}

// json-rules-engine: a condition tree from a bool expression, or null when it is not a plain comparison
// of inputs (then the glue computes it as a derived fact).
const JRE_OPS = { '<': 'lessThan', '<=': 'lessThanInclusive', '>': 'greaterThan', '>=': 'greaterThanInclusive', '==': 'equal', '!=': 'notEqual' };
const BIG_OPS = { '<': 'bigLt', '<=': 'bigLe', '>': 'bigGt', '>=': 'bigGe', '==': 'bigEq', '!=': 'bigNe' };
const FLIP = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

function jreCondition(e, P, big) {
  const t = (x) => typeOf(x, P.inputs);
  const lit = (x) => (x.t === 'num' ? Number(x.v) : x.v);
  if (e.t === 'id' && t(e) === 'bool') return { fact: e.v, operator: 'equal', value: true };
  if (e.t === 'bool') return null;
  if (e.t === 'un' && e.op === '!') {
    if (e.a.t === 'id') return { fact: e.a.v, operator: 'equal', value: false };
    const inner = jreCondition(e.a, P, big);
    return inner && { not: inner };
  }
  if (e.t === 'bin' && (e.op === '&&' || e.op === '||')) {
    const a = jreCondition(e.a, P, big);
    const b = jreCondition(e.b, P, big);
    if (!a || !b) return null;
    const k = e.op === '&&' ? 'all' : 'any';
    return { [k]: [...(a[k] ?? [a]), ...(b[k] ?? [b])] };
  }
  if (e.t === 'bin' && e.op in JRE_OPS) {
    let [a, b, op] = [e.a, e.b, e.op];
    if (a.t !== 'id' && b.t === 'id') [a, b, op] = [b, a, FLIP[op]];
    if (a.t !== 'id' || !['id', 'num', 'str', 'bool'].includes(b.t)) return null;
    const numeric = t(a) === 'num';
    const operator = numeric && big ? BIG_OPS[op] : JRE_OPS[op];
    return { fact: a.v, operator, value: b.t === 'id' ? { fact: b.v } : lit(b) };
  }
  return null;
}

/**
 * json-rules-engine: {rules, lines, glue}. `rules` are the engine's rule objects (one per line of every
 * deduct item, adjustment and bonus item, and one per veto); an event's params.line indexes `lines`
 * ({key, combine, points, free, fact, round?}: amount = points, or points × (fact − free) for a `per` line,
 * passed through the glue's `round` when `round` is set).
 * `glue` is the source of an ES module `export default function make(Big) { ... return {facts, finish}; }`: facts(values) gives the
 * engine's facts (inputs converted, plus derived facts for what a condition cannot express), and
 * finish(f, sums, hits) the total and grade from the facts, the summed lines and the triggered vetoes.
 */
export function translateJre(rules, mode = 'number') {
  const P = prepare(rules);
  const big = mode === 'big';
  const B = jsBackend(P, big ? 'big' : 'naive');
  const derived = [];
  // A derived fact: a value or condition the rules' operators cannot compute from the inputs. Where it
  // can be undefined (a division by zero on the evaluated path), it is not computed (big.js would throw)
  // but `fallback` (0, false): the line or veto does not fire, and finish() scores what reads it as the
  // engine does (an item pending at full points, an adjustment or bonus item 0, a veto not applied).
  const derive = (ast, fallback) => {
    const name = `x_${derived.length}`;
    const u = undefCode(ast, B);
    derived.push(`f.${name} = ${u ? `${u} ? ${fallback} : ` : ''}${B.expr(ast)};`);
    return name;
  };
  const jreRules = [];
  const lines = [];
  for (const g of P.groups) {
    g.parsed.forEach((l, k) => {
      const index = lines.length;
      let cond;
      if (l.kind === 'if') {
        cond = jreCondition(l.cond, P, big) ?? { fact: derive(l.cond, 'false'), operator: 'equal', value: true };
        lines.push({ key: g.owner.key, combine: g.combine, points: l.points, free: null, fact: null });
      } else {
        const fact = l.value.t === 'id' ? l.value.v : derive(l.value, B.zero);
        cond = { fact, operator: big ? 'bigGt' : 'greaterThan', value: Number(l.free) };
        // round: the value may be a quotient, so the amount is rounded as the engine's decimals are (glue.round).
        lines.push({ key: g.owner.key, combine: g.combine, points: l.points, free: l.free, fact, ...(big && hasDiv(l.value) ? { round: true } : {}) });
      }
      jreRules.push({
        name: `${g.owner.key}#${k}`,
        conditions: cond.all || cond.any ? cond : { all: [cond] },
        event: { type: 'line', params: { line: index } },
      });
    });
  }
  for (const v of P.vetoes) {
    const ast = parseExpr(v.when);
    const cond = jreCondition(ast, P, big) ?? { fact: derive(ast, 'false'), operator: 'equal', value: true };
    jreRules.push({ name: `veto:${v.id}`, conditions: cond.all || cond.any ? cond : { all: [cond] }, event: { type: 'veto', params: { id: v.id } } });
  }
  const conv = jsConvert(P, B);
  const names = P.rules.inputs.filter((i) => i.type !== 'text').map((i) => i.id);
  const body = jsScoring(P, B, { linesFrom: 'events', vetoesFrom: 'events' });
  const glue = `// Generated by benches/peers/translate.mjs from ${P.rules.id} ${P.rules.version} (json-rules-engine glue, ${big ? 'big.js' : 'plain numbers'}). Do not edit.
export default function make(${B.mode === 'big' ? 'Big0' : 'Big'}) {
${indent(jsHelpers(B, P))}
  const GRADES = ${JSON.stringify(P.grades.map((g) => g.name))};
  function facts(values) {
${indent(conv, 4)}
    const f = { ${names.map((n) => `${n}: $${n}`).join(', ')} };
${indent(derived, 4)}
    return f;
  }
  function finish(f, sums, hits) {
    const { ${names.map((n) => `${n}: $${n}`).join(', ')} } = f;
${indent(body, 4)}
  }
  return { facts, finish${big ? ', round: RD' : ''} };
}
`;
  return { rules: jreRules, lines, glue };
}
