// The rule editor's structured view: the whole rule set as tables and outlines a person who knows
// Excel can edit (sections and items with 序号 / 考核内容 / 分值 / 评分标准, the scoring rule and its
// deduction lines, inputs, adjustments, bonus, vetoes, grades, quotas, documents, unit tags).
//
// Every field is bound to a JSON pointer (`data-path`) into the document being edited; an edit
// writes the value there and tells the workbench, which reloads the rule set in the engine and
// marks each problem at the field its pointer names. Objects are edited in place, so fields this
// editor does not know (newer constructs) stay as they are. No scoring and no checking here: a
// field takes any text and the engine says what is wrong with it.
import { h } from '../dom.js';
import { Num, getAt, setAt, textOf, pointer, segments, clone } from './json.js';

/** The groups of the structured view, each its own tab; `prefixes`: the pointers it shows. */
export const GROUPS = [
  { id: 'general', label: '基本信息', prefixes: [] },
  { id: 'sections', label: '考核项目', prefixes: ['sections'] },
  { id: 'inputs', label: '填报项', prefixes: ['inputs'] },
  { id: 'totals', label: '扣分与加分', prefixes: ['adjustments', 'bonus'] },
  { id: 'vetoes', label: '一票否决', prefixes: ['vetoes'] },
  { id: 'grades', label: '等次与比例', prefixes: ['grades', 'quotas'] },
  { id: 'sources', label: '依据文件与单位标签', prefixes: ['documents', 'unit_tags'] },
];

/** Which group shows a pointer (tests are in the tests panel: null). */
export function groupOf(path) {
  const first = segments(path)[0] ?? '';
  if (first === 'tests') return null;
  return (GROUPS.find((g) => g.prefixes.includes(first)) ?? GROUPS[0]).id;
}

// The format's field order per object (new keys are inserted in this order; the rest are shown
// as "其他字段").
const ORDER = {
  top: ['$schema', 'format', 'id', 'version', 'title', 'period', 'unit_kind', 'description', 'documents', 'unit_tags', 'full_score', 'scale', 'not_applicable', 'inputs', 'sections', 'adjustments', 'bonus', 'vetoes', 'grades', 'quotas', 'tests'],
  section: ['id', 'title', 'points', 'out_of', 'items'],
  item: ['id', 'title', 'points', 'basis', 'example', 'cap', 'combine', 'applicable', 'deduct', 'rate', 'bands', 'judged', 'rank', 'formula', 'sources'],
  line: ['if', 'per', 'points', 'free', 'unit', 'reason', 'example', 'sources'],
  rate: ['value', 'target', 'direction', 'mode', 'step', 'points_per_step', 'partial', 'when_undefined'],
  bands: ['value', 'bands'],
  band: ['min', 'max', 'score'],
  rank: ['value', 'order', 'first', 'step', 'floor'],
  judged: ['input'],
  input: ['id', 'label', 'type', 'section', 'required', 'min', 'max', 'options', 'default', 'unit', 'help', 'applicable'],
  adjustment: ['id', 'title', 'basis', 'example', 'cap', 'combine', 'deduct', 'sources'],
  bonus: ['cap', 'items'],
  bonus_item: ['id', 'title', 'points', 'basis', 'example', 'combine', 'add', 'sources'],
  veto: ['id', 'title', 'basis', 'example', 'when', 'effect', 'sources'],
  grade: ['name', 'min', 'example', 'sources'],
  quota: ['grade', 'max_share', 'example', 'sources'],
  document: ['id', 'title', 'number', 'issuer', 'date', 'file'],
  unit_tag: ['id', 'label', 'help'],
  source: ['doc', 'quote'],
};

const RULES = [
  ['deduct', '定额扣分'],
  ['rate', '比率指标'],
  ['bands', '区间赋分'],
  ['judged', '评议打分'],
  ['rank', '排名赋分'],
  ['formula', '公式计分'],
];
const RULE_KEYS = RULES.map(([k]) => k);
const INPUT_TYPES = [['count', '计数（非负整数）'], ['number', '数值'], ['percent', '百分数'], ['bool', '是/否'], ['choice', '选项'], ['text', '文字（不计分）']];

/** Creates the structured editor. `ctx`: {doc(), change(path, value, {structural, coalesce}), problemsFor, inputs()} */
export function createStructured(root, ctx) {
  let group = 'general';
  const open = new Set(); // pointers of <details> the user opened

  // ---- fields --------------------------------------------------------------------------------

  /** A labelled field bound to `path`. kind: text | decimal | int | expr | area | bool | select. */
  function field(path, label, kind = 'text', opts = {}) {
    const value = getAt(ctx.doc(), path);
    const order = opts.order;
    const id = `f${path.replace(/[^A-Za-z0-9]/g, '_')}`;
    let control;
    const write = (v, meta = {}) => ctx.change(path, v, { order, ...meta });
    if (kind === 'bool') {
      control = h('input', { type: 'checkbox', id, checked: value === true });
      control.addEventListener('change', () => write(control.checked ? true : (opts.keepFalse ? false : undefined)));
    } else if (kind === 'select') {
      control = h('select', { id }, (opts.options ?? []).map(([v, text]) => h('option', { value: v, selected: textOf(value) === v }, text)));
      if (value !== undefined && !(opts.options ?? []).some(([v]) => v === textOf(value))) {
        control.append(h('option', { value: textOf(value), selected: true }, textOf(value)));
      }
      control.addEventListener('change', () => write(control.value === '' ? undefined : control.value, { structural: opts.structural }));
    } else {
      const area = kind === 'area';
      control = h(area ? 'textarea' : 'input', { id, value: textOf(value), rows: area ? 2 : undefined, className: kind === 'expr' ? 'expr' : kind === 'decimal' || kind === 'int' ? 'num' : '', spellcheck: kind === 'expr' ? false : undefined, autocomplete: 'off' });
      if (kind === 'decimal' || kind === 'int') control.inputMode = 'decimal';
      control.addEventListener('input', () => {
        const text = control.value;
        let v;
        if (text.trim() === '' && !opts.required) v = undefined;
        else if (kind === 'int' && /^-?\d+$/.test(text.trim())) v = new Num(text.trim());
        else if (kind === 'decimal' && value instanceof Num && /^-?\d+(\.\d+)?$/.test(text.trim())) v = new Num(text.trim());
        else v = kind === 'decimal' || kind === 'int' ? text.trim() : text;
        write(v, { coalesce: path });
      });
    }
    control.dataset.path = path;
    if (opts.placeholder) control.placeholder = opts.placeholder;
    const wrap = h('div', { className: `fld fld-${kind}${opts.wide ? ' wide' : ''}`, dataset: { path } },
      h('label', { htmlFor: id }, label), control);
    if (kind === 'expr') wrap.append(inputPicker(control));
    return wrap;
  }

  /** A select that inserts an input's id into an expression field (for authors who do not know ids). */
  function inputPicker(control) {
    const pick = h('select', { className: 'pick-input', 'aria-label': '插入填报项', title: '插入填报项' },
      h('option', { value: '' }, '插入填报项…'),
      ctx.inputs().map((i) => h('option', { value: i.id }, `${i.label}（${i.id}）`)));
    pick.addEventListener('change', () => {
      if (!pick.value) return;
      const at = control.selectionStart ?? control.value.length;
      control.value = `${control.value.slice(0, at)}${pick.value}${control.value.slice(control.selectionEnd ?? at)}`;
      pick.value = '';
      control.dispatchEvent(new Event('input'));
      control.focus();
    });
    return pick;
  }

  /** Buttons moving, duplicating and removing element `i` of the list at `listPath`. */
  function rowTools(listPath, i, what, { dup = true, onDup } = {}) {
    const list = getAt(ctx.doc(), listPath) ?? [];
    const move = (d) => {
      const next = list.slice();
      const [x] = next.splice(i, 1);
      next.splice(i + d, 0, x);
      ctx.change(listPath, next, { structural: true, focus: `${listPath}/${i + d}` });
    };
    const b = (text, label, fn, disabled = false, cls = '') => {
      const button = h('button', { type: 'button', className: `tool ${cls}`, title: label, 'aria-label': label, disabled }, text);
      button.addEventListener('click', fn);
      return button;
    };
    return h('span', { className: 'row-tools' },
      b('↑', `上移${what}`, () => move(-1), i === 0),
      b('↓', `下移${what}`, () => move(1), i === list.length - 1),
      dup ? b('复制', `复制${what}`, () => {
        const copy = clone(list[i]);
        onDup?.(copy);
        const next = list.slice();
        next.splice(i + 1, 0, copy);
        ctx.change(listPath, next, { structural: true, focus: `${listPath}/${i + 1}` });
      }) : '',
      b('✕', `删除${what}`, () => {
        const next = list.slice();
        next.splice(i, 1);
        ctx.change(listPath, next, { structural: true });
      }, false, 'danger'));
  }

  function addButton(text, listPath, make, testid) {
    const button = h('button', { type: 'button', className: 'add', testid }, text);
    button.addEventListener('click', () => {
      const list = getAt(ctx.doc(), listPath);
      const next = Array.isArray(list) ? list.slice() : [];
      next.push(make(next));
      ctx.change(listPath, next, { structural: true, focus: `${listPath}/${next.length - 1}` });
    });
    return button;
  }

  /** Names the fields of an object this editor does not show: they are kept as they are. */
  function others(obj, known, path) {
    if (!obj || typeof obj !== 'object') return '';
    const extra = Object.keys(obj).filter((k) => !known.includes(k));
    if (extra.length === 0) return '';
    return h('p', { className: 'others', dataset: { path } }, `另有字段 ${extra.join('、')}（本编辑器不显示，保持原样；可在「源文件」中编辑）`);
  }

  function idAfter(list, base) {
    const ids = new Set(list.map((x) => textOf(x?.id ?? x?.name)));
    let n = list.length + 1;
    while (ids.has(`${base}${n}`)) n += 1;
    return `${base}${n}`;
  }

  const renameCopy = (copy) => {
    if (typeof copy.id === 'string') copy.id = `${copy.id}_副本`;
    if (typeof copy.name === 'string') copy.name = `${copy.name}（副本）`;
  };

  // ---- sources and example -------------------------------------------------------------------

  function provenance(path, obj) {
    const docs = (ctx.doc().documents ?? []).map((d) => [textOf(d.id), `${textOf(d.id)} ${textOf(d.title)}`]);
    const sources = Array.isArray(obj?.sources) ? obj.sources : [];
    return h('div', { className: 'provenance', dataset: { path: `${path}/sources` } },
      field(`${path}/example`, '含示例值（示例值，非文件规定）', 'bool'),
      h('div', { className: 'sources' },
        h('span', { className: 'sub' }, `依据（${sources.length}条）`),
        sources.map((_, i) => h('div', { className: 'source-row', dataset: { path: `${path}/sources/${i}` } },
          field(`${path}/sources/${i}/doc`, '文件', 'select', { options: [['', '（选择文件）'], ...docs] }),
          field(`${path}/sources/${i}/quote`, '原文', 'text', { wide: true }),
          rowTools(`${path}/sources`, i, '依据', { dup: false }))),
        addButton('＋ 依据', `${path}/sources`, () => ({ doc: docs[0]?.[0] ?? '', quote: '' }))));
  }

  // ---- lines ---------------------------------------------------------------------------------

  function lines(path, verb) {
    const list = getAt(ctx.doc(), path) ?? [];
    return h('div', { className: 'lines', dataset: { path } },
      h('table', { className: 'grid' },
        h('thead', {}, h('tr', {}, ['方式', '条件或计数', `${verb}分`, '免扣数', '单位', '原因（扣分说明）', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, list.map((line, i) => {
          const lp = `${path}/${i}`;
          const kind = Object.hasOwn(line ?? {}, 'per') ? 'per' : 'if';
          const kindSel = h('select', { 'aria-label': '扣分方式' },
            h('option', { value: 'if', selected: kind === 'if' }, '符合条件时'),
            h('option', { value: 'per', selected: kind === 'per' }, '按数量计'));
          kindSel.addEventListener('change', () => {
            const next = { ...line };
            const expr = next[kind] ?? '';
            delete next.if;
            delete next.per;
            if (kindSel.value === 'if') { delete next.free; delete next.unit; }
            const rebuilt = {};
            for (const k of ORDER.line) if (k === kindSel.value) rebuilt[k] = expr; else if (Object.hasOwn(next, k)) rebuilt[k] = next[k];
            for (const k of Object.keys(next)) if (!Object.hasOwn(rebuilt, k)) rebuilt[k] = next[k];
            ctx.change(lp, rebuilt, { structural: true });
          });
          return h('tr', { dataset: { path: lp } },
            h('td', {}, kindSel),
            h('td', {}, field(`${lp}/${kind}`, kind === 'if' ? '条件' : '数量', 'expr', { required: true, placeholder: kind === 'if' ? '如 !plan_made' : '如 deaths' })),
            h('td', {}, field(`${lp}/points`, `${verb}分`, 'decimal', { required: true })),
            h('td', {}, kind === 'per' ? field(`${lp}/free`, '免扣数', 'decimal', { order: ORDER.line }) : ''),
            h('td', {}, kind === 'per' ? field(`${lp}/unit`, '单位', 'text', { order: ORDER.line }) : ''),
            h('td', { className: 'reason' }, field(`${lp}/reason`, '原因', 'text', { required: true }), others(line, ORDER.line, lp)),
            h('td', {}, rowTools(path, i, `第${i + 1}条`)));
        }))),
      addButton(`＋ ${verb}分规则`, path, () => ({ if: '', points: '1', reason: '' }), 'add-line'));
  }

  // ---- items ---------------------------------------------------------------------------------

  function ruleEditor(ip, item) {
    const rule = RULE_KEYS.find((k) => Object.hasOwn(item, k));
    const rp = `${ip}/${rule}`;
    switch (rule) {
      case 'deduct':
        return h('div', {}, lines(rp, '扣'),
          h('div', { className: 'row' },
            field(`${ip}/cap`, '本项最多扣分', 'decimal', { order: ORDER.item }),
            field(`${ip}/combine`, '多条扣分', 'select', { options: [['', '累计（默认）'], ['max', '就高不累计']], order: ORDER.item })));
      case 'rate':
        return h('div', { className: 'row wrap', dataset: { path: rp } },
          field(`${rp}/value`, '指标（表达式）', 'expr', { required: true, wide: true }),
          field(`${rp}/target`, '目标值', 'decimal', { required: true }),
          field(`${rp}/direction`, '方向', 'select', { options: [['', '越高越好'], ['lower', '越低越好']], order: ORDER.rate }),
          field(`${rp}/mode`, '计分', 'select', { options: [['step', '每差一档扣分'], ['proportional', '按比例得分']], order: ORDER.rate, structural: true }),
          textOf(item.rate?.mode) === 'proportional' ? '' : field(`${rp}/step`, '每档', 'decimal', { order: ORDER.rate }),
          textOf(item.rate?.mode) === 'proportional' ? '' : field(`${rp}/points_per_step`, '每档扣分', 'decimal', { order: ORDER.rate }),
          textOf(item.rate?.mode) === 'proportional' ? '' : field(`${rp}/partial`, '不足一档', 'select', { options: [['', '按比例'], ['up', '按一档计'], ['down', '不计']], order: ORDER.rate }),
          field(`${rp}/when_undefined`, '无法计算时', 'select', { options: [['', '得满分（默认）'], ['full', '得满分'], ['zero', '不得分'], ['pending', '待定']], order: ORDER.rate }),
          field(`${ip}/cap`, '本项最多扣分', 'decimal', { order: ORDER.item }),
          others(item.rate, ORDER.rate, rp));
      case 'bands': {
        const bands = item.bands?.bands ?? [];
        return h('div', { dataset: { path: rp } },
          field(`${rp}/value`, '指标（表达式）', 'expr', { required: true, wide: true }),
          h('table', { className: 'grid', dataset: { path: `${rp}/bands` } },
            h('thead', {}, h('tr', {}, ['不低于', '低于', '得分', ''].map((t) => h('th', {}, t)))),
            h('tbody', {}, bands.map((_, i) => h('tr', { dataset: { path: `${rp}/bands/${i}` } },
              h('td', {}, field(`${rp}/bands/${i}/min`, '不低于', 'decimal', { order: ORDER.band })),
              h('td', {}, field(`${rp}/bands/${i}/max`, '低于', 'decimal', { order: ORDER.band })),
              h('td', {}, field(`${rp}/bands/${i}/score`, '得分', 'decimal', { required: true })),
              h('td', {}, rowTools(`${rp}/bands`, i, '区间')))))),
          addButton('＋ 区间', `${rp}/bands`, () => ({ min: '0', score: '0' })));
      }
      case 'judged':
        return h('div', { className: 'row', dataset: { path: rp } },
          field(`${rp}/input`, '评议分填报项', 'select', { options: [['', '（选择数值填报项）'], ...ctx.inputs().filter((i) => i.type === 'number').map((i) => [i.id, `${i.label}（${i.id}）`])] }));
      case 'rank':
        return h('div', { className: 'row wrap', dataset: { path: rp } },
          field(`${rp}/value`, '排名指标（表达式）', 'expr', { required: true, wide: true }),
          field(`${rp}/order`, '名次', 'select', { options: [['', '数值高者在前'], ['asc', '数值低者在前']], order: ORDER.rank }),
          field(`${rp}/first`, '第1名得分', 'decimal', { required: true }),
          field(`${rp}/step`, '每后退1名减', 'decimal', { required: true }),
          field(`${rp}/floor`, '最低得分', 'decimal', { order: ORDER.rank }));
      case 'formula':
        return h('div', { className: 'row' }, field(rp, '公式（表达式）', 'expr', { required: true, wide: true }));
      default:
        return h('p', { className: 'others' }, '本项目的计分规则不是本编辑器认识的规则（保持原样，可在「源文件」中编辑）。');
    }
  }

  const DEFAULT_RULES = {
    deduct: () => [{ if: '', points: '1', reason: '' }],
    rate: () => ({ value: '', target: '100', mode: 'step', step: '1', points_per_step: '0.5' }),
    bands: () => ({ value: '', bands: [{ min: '0', score: '0' }] }),
    judged: () => ({ input: '' }),
    rank: (item) => ({ value: '', first: textOf(item.points) || '1', step: '0.5' }),
    formula: () => '',
  };

  function itemBlock(sp, i, item) {
    const ip = `${sp}/items/${i}`;
    const rule = RULE_KEYS.find((k) => Object.hasOwn(item, k)) ?? '';
    const ruleSel = h('select', { 'aria-label': '计分方式' },
      RULES.map(([k, text]) => h('option', { value: k, selected: k === rule }, text)),
      rule ? '' : h('option', { value: '', selected: true }, '（未设置）'));
    ruleSel.addEventListener('change', () => {
      const next = {};
      for (const [k, v] of Object.entries(item)) if (!RULE_KEYS.includes(k) && k !== 'cap' && k !== 'combine') next[k] = v;
      const make = DEFAULT_RULES[ruleSel.value];
      const rebuilt = {};
      for (const k of ORDER.item) {
        if (k === ruleSel.value) rebuilt[k] = make(item);
        else if (Object.hasOwn(next, k)) rebuilt[k] = next[k];
      }
      for (const k of Object.keys(next)) if (!Object.hasOwn(rebuilt, k)) rebuilt[k] = next[k];
      ctx.change(ip, rebuilt, { structural: true, open: ip });
    });
    const details = h('details', { className: 'item-detail', dataset: { path: ip }, open: open.has(ip) },
      h('summary', {}, '计分规则、扣分标准与依据'),
      ruleEditor(ip, item),
      h('div', { className: 'row wrap' },
        field(`${ip}/applicable`, '适用条件（表达式，空为全部适用）', 'expr', { order: ORDER.item, wide: true })),
      provenance(ip, item),
      others(item, ORDER.item, ip));
    details.addEventListener('toggle', () => (details.open ? open.add(ip) : open.delete(ip)));
    return [
      h('tr', { className: 'item-row', dataset: { path: ip } },
        h('td', {}, field(`${ip}/id`, '序号', 'text', { required: true })),
        h('td', {}, field(`${ip}/title`, '考核内容', 'text', { required: true })),
        h('td', {}, field(`${ip}/points`, '分值', 'decimal', { required: true })),
        h('td', {}, h('div', { className: 'fld fld-select', dataset: rule && rule !== 'formula' ? { path: `${ip}/${rule}` } : {} }, h('label', {}, '计分方式'), ruleSel)),
        h('td', { className: 'basis' }, field(`${ip}/basis`, '评分标准（说明）', 'area', { order: ORDER.item })),
        h('td', {}, rowTools(`${sp}/items`, i, `项目${textOf(item.id)}`, { onDup: renameCopy }))),
      h('tr', { className: 'detail-row' }, h('td', { colSpan: 6 }, details)),
    ];
  }

  function sectionsGroup() {
    const sections = ctx.doc().sections ?? [];
    return h('div', { className: 'group-sections' },
      sections.map((s, si) => {
        const sp = `/sections/${si}`;
        const items = Array.isArray(s?.items) ? s.items : [];
        return h('section', { className: 'rule-section', dataset: { path: sp } },
          h('div', { className: 'section-head row wrap' },
            h('strong', { className: 'section-no' }, `第${si + 1}部分`),
            field(`${sp}/id`, '部分编号', 'text', { required: true }),
            field(`${sp}/title`, '部分名称', 'text', { required: true, wide: true }),
            field(`${sp}/points`, '分值', 'decimal', { required: true }),
            field(`${sp}/out_of`, '折算前满分', 'decimal', { order: ORDER.section }),
            rowTools('/sections', si, `部分「${textOf(s.title)}」`, { onDup: (copy) => { renameCopy(copy); for (const it of copy.items ?? []) renameCopy(it); } })),
          others(s, ORDER.section, sp),
          h('table', { className: 'grid items', dataset: { path: `${sp}/items` } },
            h('thead', {}, h('tr', {}, ['序号', '考核内容', '分值', '计分方式', '评分标准（说明）', ''].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, items.flatMap((item, i) => itemBlock(sp, i, item ?? {})))),
          addButton('＋ 考核项目', `${sp}/items`, (list) => ({ id: `${si + 1}.${list.length + 1}`, title: '新考核项目', points: '1', deduct: [{ if: '', points: '1', reason: '' }] }), 'add-item'));
      }),
      addButton('＋ 考核部分', '/sections', (list) => ({ id: idAfter(list, 's'), title: '新考核部分', points: '0', items: [] }), 'add-section'));
  }

  // ---- other groups --------------------------------------------------------------------------

  function generalGroup() {
    const doc = ctx.doc();
    return h('div', { className: 'group-general' },
      h('div', { className: 'row wrap' },
        field('/title', '标题', 'text', { required: true, wide: true }),
        field('/id', '细则编号（id）', 'text', { required: true }),
        field('/version', '版本', 'text', { required: true }),
        field('/period', '考核年度', 'text', { required: true }),
        field('/unit_kind', '被考核单位类别', 'select', { options: [['subdistrict', '街镇（subdistrict）'], ['department', '部门（department）'], ['enterprise', '企业（enterprise）']], required: true })),
      h('div', { className: 'row wrap' }, field('/description', '说明', 'area', { order: ORDER.top, wide: true })),
      h('div', { className: 'row wrap' },
        field('/full_score', '满分', 'decimal', { required: true }),
        field('/scale', '得分小数位数', 'int', { order: ORDER.top }),
        field('/not_applicable', '不涉及的项目', 'select', { options: [['', '按满分计（默认）'], ['full', '按满分计'], ['rescale', '按可评分项目折算']], order: ORDER.top })),
      others(doc, [...ORDER.top], ''));
  }

  function inputsGroup() {
    const inputs = ctx.doc().inputs ?? [];
    const sections = (ctx.doc().sections ?? []).map((s) => [textOf(s.id), `${textOf(s.id)} ${textOf(s.title)}`]);
    return h('div', { className: 'group-inputs' },
      h('p', { className: 'hint' }, '填报项是考核表上要填写的内容；计分规则中的表达式用「编号」引用它们。'),
      h('table', { className: 'grid inputs', dataset: { path: '/inputs' } },
        h('thead', {}, h('tr', {}, ['编号', '名称（表上显示）', '类型', '所属部分', '必填', '最小值', '最大值', '单位', '选项（用、分隔）', '默认值', '适用条件', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, inputs.map((input, i) => {
          const p = `/inputs/${i}`;
          const options = h('input', { value: Array.isArray(input.options) ? input.options.join('、') : '', id: `f_inputs_${i}_options`, autocomplete: 'off' });
          options.dataset.path = `${p}/options`;
          options.addEventListener('input', () => {
            const list = options.value.split(/[、,，]/).map((x) => x.trim()).filter((x) => x !== '');
            ctx.change(`${p}/options`, options.value.trim() === '' ? undefined : list, { order: ORDER.input, coalesce: `${p}/options` });
          });
          const required = h('input', { type: 'checkbox', checked: input.required !== false, id: `f_inputs_${i}_required` });
          required.dataset.path = `${p}/required`;
          required.addEventListener('change', () => ctx.change(`${p}/required`, required.checked ? undefined : false, { order: ORDER.input }));
          return h('tr', { dataset: { path: p } },
            h('td', {}, field(`${p}/id`, '编号', 'text', { required: true })),
            h('td', {}, field(`${p}/label`, '名称', 'text', { required: true }), field(`${p}/help`, '说明', 'text', { order: ORDER.input })),
            h('td', {}, field(`${p}/type`, '类型', 'select', { options: INPUT_TYPES, required: true, structural: true })),
            h('td', {}, field(`${p}/section`, '所属部分', 'select', { options: [['', '（不指定）'], ...sections], order: ORDER.input })),
            h('td', {}, h('div', { className: 'fld', dataset: { path: `${p}/required` } }, h('label', { htmlFor: required.id }, '必填'), required)),
            h('td', {}, field(`${p}/min`, '最小值', 'decimal', { order: ORDER.input })),
            h('td', {}, field(`${p}/max`, '最大值', 'decimal', { order: ORDER.input })),
            h('td', {}, field(`${p}/unit`, '单位', 'text', { order: ORDER.input })),
            h('td', {}, h('div', { className: 'fld', dataset: { path: `${p}/options` } }, h('label', { htmlFor: options.id }, '选项'), options)),
            h('td', {}, field(`${p}/default`, '默认值', 'text', { order: ORDER.input })),
            h('td', {}, field(`${p}/applicable`, '适用条件', 'expr', { order: ORDER.input }), others(input, ORDER.input, p)),
            h('td', {}, rowTools('/inputs', i, `填报项「${textOf(input.label)}」`, { onDup: renameCopy })));
        }))),
      addButton('＋ 填报项', '/inputs', (list) => ({ id: idAfter(list, 'input_'), label: '新填报项', type: 'count' }), 'add-input'));
  }

  function entryList(listPath, list, what, body, make, testid) {
    return h('div', { className: 'entries', dataset: { path: listPath } },
      list.map((entry, i) => h('fieldset', { className: 'entry', dataset: { path: `${listPath}/${i}` } },
        h('legend', {}, `${what} ${i + 1}`, rowTools(listPath, i, `${what}「${textOf(entry?.title ?? entry?.name)}」`, { onDup: renameCopy })),
        body(`${listPath}/${i}`, entry ?? {}))),
      addButton(`＋ ${what}`, listPath, make, testid));
  }

  function totalsGroup() {
    const doc = ctx.doc();
    const bonus = doc.bonus;
    return h('div', { className: 'group-totals' },
      h('h3', {}, '扣分项（从总分中扣除）'),
      entryList('/adjustments', doc.adjustments ?? [], '扣分项', (p, a) => h('div', {},
        h('div', { className: 'row wrap' },
          field(`${p}/id`, '编号', 'text', { required: true }), field(`${p}/title`, '名称', 'text', { required: true, wide: true }),
          field(`${p}/cap`, '最多扣分', 'decimal', { order: ORDER.adjustment }),
          field(`${p}/combine`, '多条扣分', 'select', { options: [['', '累计'], ['max', '就高不累计']], order: ORDER.adjustment })),
        field(`${p}/basis`, '评分标准（说明）', 'area', { order: ORDER.adjustment, wide: true }),
        lines(`${p}/deduct`, '扣'), provenance(p, a), others(a, ORDER.adjustment, p)),
      (list) => ({ id: idAfter(list, 'adj'), title: '新扣分项', deduct: [{ if: '', points: '1', reason: '' }] }), 'add-adjustment'),
      h('h3', {}, '加分项'),
      bonus
        ? h('div', { dataset: { path: '/bonus' } },
          h('div', { className: 'row' }, field('/bonus/cap', '加分累计上限', 'decimal', { required: true }),
            (() => { const b = h('button', { type: 'button', className: 'danger' }, '取消加分'); b.addEventListener('click', () => ctx.change('/bonus', undefined, { structural: true })); return b; })()),
          entryList('/bonus/items', bonus.items ?? [], '加分项', (p, b) => h('div', {},
            h('div', { className: 'row wrap' },
              field(`${p}/id`, '编号', 'text', { required: true }), field(`${p}/title`, '名称', 'text', { required: true, wide: true }),
              field(`${p}/points`, '最多加分', 'decimal', { required: true }),
              field(`${p}/combine`, '多条加分', 'select', { options: [['', '累计'], ['max', '按最高一项']], order: ORDER.bonus_item })),
            field(`${p}/basis`, '评分标准（说明）', 'area', { order: ORDER.bonus_item, wide: true }),
            lines(`${p}/add`, '加'), provenance(p, b), others(b, ORDER.bonus_item, p)),
          (list) => ({ id: idAfter(list, 'bonus'), title: '新加分项', points: '1', add: [{ if: '', points: '1', reason: '' }] }), 'add-bonus'))
        : (() => { const b = h('button', { type: 'button', className: 'add', testid: 'add-bonus-part' }, '＋ 设置加分'); b.addEventListener('click', () => ctx.change('/bonus', { cap: '2', items: [] }, { structural: true, order: ORDER.top })); return b; })());
  }

  function vetoesGroup() {
    const grades = (ctx.doc().grades ?? []).map((g) => [textOf(g.name), textOf(g.name)]);
    return h('div', { className: 'group-vetoes' },
      entryList('/vetoes', ctx.doc().vetoes ?? [], '否决项', (p, v) => {
        const effect = v.effect;
        const kind = typeof effect === 'string' ? effect : effect && typeof effect === 'object' ? Object.keys(effect)[0] ?? '' : '';
        const sel = h('select', { id: `f${p.replace(/\W/g, '_')}_effect`, dataset: { path: `${p}/effect` } },
          [['fail', '等次定为最低'], ['zero', '总分计0分'], ['max_grade', '等次最高为…'], ['lower_grades', '降低等次…']].map(([k, t]) => h('option', { value: k, selected: k === kind }, t)));
        sel.addEventListener('change', () => {
          const next = sel.value === 'max_grade' ? { max_grade: grades[0]?.[0] ?? '' } : sel.value === 'lower_grades' ? { lower_grades: new Num('1') } : sel.value;
          ctx.change(`${p}/effect`, next, { structural: true });
        });
        return h('div', {},
          h('div', { className: 'row wrap' },
            field(`${p}/id`, '编号', 'text', { required: true }), field(`${p}/title`, '否决情形', 'text', { required: true, wide: true })),
          h('div', { className: 'row wrap' },
            field(`${p}/when`, '触发条件（表达式）', 'expr', { required: true, wide: true }),
            h('div', { className: 'fld', dataset: { path: `${p}/effect` } }, h('label', { htmlFor: sel.id }, '后果'), sel),
            kind === 'max_grade' ? field(`${p}/effect/max_grade`, '最高等次', 'select', { options: grades }) : '',
            kind === 'lower_grades' ? field(`${p}/effect/lower_grades`, '降低几档', 'int', { required: true }) : ''),
          field(`${p}/basis`, '说明', 'area', { order: ORDER.veto, wide: true }),
          provenance(p, v), others(v, ORDER.veto, p));
      }, (list) => ({ id: idAfter(list, 'veto'), title: '新否决项', when: '', effect: 'fail' }), 'add-veto'));
  }

  function gradesGroup() {
    const doc = ctx.doc();
    const grades = (doc.grades ?? []).map((g) => [textOf(g.name), textOf(g.name)]);
    return h('div', { className: 'group-grades' },
      h('h3', {}, '等次（最低分从高到低，最后一档为0）'),
      h('table', { className: 'grid', dataset: { path: '/grades' } },
        h('thead', {}, h('tr', {}, ['等次', '最低分（含）', '示例值', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, (doc.grades ?? []).map((g, i) => h('tr', { dataset: { path: `/grades/${i}` } },
          h('td', {}, field(`/grades/${i}/name`, '等次', 'text', { required: true })),
          h('td', {}, field(`/grades/${i}/min`, '最低分', 'decimal', { required: true })),
          h('td', {}, field(`/grades/${i}/example`, '示例值', 'bool'), others(g, ORDER.grade, `/grades/${i}`)),
          h('td', {}, rowTools('/grades', i, `等次「${textOf(g.name)}」`, { onDup: renameCopy })))))),
      addButton('＋ 等次', '/grades', () => ({ name: '新等次', min: '0' }), 'add-grade'),
      h('h3', {}, '等次比例（批量评分时，某等次的单位不超过一定比例）'),
      h('table', { className: 'grid', dataset: { path: '/quotas' } },
        h('thead', {}, h('tr', {}, ['等次', '最高比例（0—1，如 0.3）', '示例值', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, (doc.quotas ?? []).map((q, i) => h('tr', { dataset: { path: `/quotas/${i}` } },
          h('td', {}, field(`/quotas/${i}/grade`, '等次', 'select', { options: grades, required: true })),
          h('td', {}, field(`/quotas/${i}/max_share`, '最高比例', 'decimal', { required: true })),
          h('td', {}, field(`/quotas/${i}/example`, '示例值', 'bool'), others(q, ORDER.quota, `/quotas/${i}`)),
          h('td', {}, rowTools('/quotas', i, '比例', { dup: false })))))),
      addButton('＋ 等次比例', '/quotas', () => ({ grade: grades[0]?.[0] ?? '', max_share: '0.3' }), 'add-quota'));
  }

  function sourcesGroup() {
    const doc = ctx.doc();
    return h('div', { className: 'group-sources' },
      h('h3', {}, '依据文件（各规则的「依据」引用它们）'),
      h('table', { className: 'grid', dataset: { path: '/documents' } },
        h('thead', {}, h('tr', {}, ['编号', '文件名称', '文号', '发文单位', '日期', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, (doc.documents ?? []).map((d, i) => h('tr', { dataset: { path: `/documents/${i}` } },
          h('td', {}, field(`/documents/${i}/id`, '编号', 'text', { required: true })),
          h('td', {}, field(`/documents/${i}/title`, '文件名称', 'text', { required: true })),
          h('td', {}, field(`/documents/${i}/number`, '文号', 'text', { order: ORDER.document })),
          h('td', {}, field(`/documents/${i}/issuer`, '发文单位', 'text', { order: ORDER.document })),
          h('td', {}, field(`/documents/${i}/date`, '日期', 'text', { order: ORDER.document }), others(d, ORDER.document, `/documents/${i}`)),
          h('td', {}, rowTools('/documents', i, '文件', { dup: false })))))),
      addButton('＋ 依据文件', '/documents', (list) => ({ id: idAfter(list, 'DOC'), title: '新文件' }), 'add-document'),
      h('h3', {}, '单位标签（单位承担的职责等，表达式中可用）'),
      h('table', { className: 'grid', dataset: { path: '/unit_tags' } },
        h('thead', {}, h('tr', {}, ['编号', '名称', '说明', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, (doc.unit_tags ?? []).map((t, i) => h('tr', { dataset: { path: `/unit_tags/${i}` } },
          h('td', {}, field(`/unit_tags/${i}/id`, '编号', 'text', { required: true })),
          h('td', {}, field(`/unit_tags/${i}/label`, '名称', 'text', { required: true })),
          h('td', {}, field(`/unit_tags/${i}/help`, '说明', 'text', { order: ORDER.unit_tag })),
          h('td', {}, rowTools('/unit_tags', i, '标签', { dup: false })))))),
      addButton('＋ 单位标签', '/unit_tags', (list) => ({ id: idAfter(list, 'tag'), label: '新标签' }), 'add-tag'));
  }

  const RENDER = { general: generalGroup, sections: sectionsGroup, inputs: inputsGroup, totals: totalsGroup, vetoes: vetoesGroup, grades: gradesGroup, sources: sourcesGroup };

  // ---- problems ------------------------------------------------------------------------------

  /** The element showing a pointer: the field itself, else its nearest shown parent. */
  function elementFor(path) {
    const parts = segments(path);
    while (true) {
      const p = pointer(parts);
      const el = root.querySelector(`.fld[data-path="${CSS.escape(p)}"]`) ?? root.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (el) return el;
      if (parts.length === 0) return null;
      parts.pop();
    }
  }

  function markProblems(problems) {
    for (const el of root.querySelectorAll('.has-problem')) el.classList.remove('has-problem');
    for (const el of root.querySelectorAll('.problem-msg')) el.remove();
    for (const el of root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of root.querySelectorAll('details.item-detail > summary .badge')) el.remove();
    for (const p of problems) {
      if (groupOf(p.path) !== group) continue;
      const el = elementFor(p.path);
      if (!el) continue;
      const target = el.matches('.fld') ? el : el.closest('.fld') ?? el;
      target.classList.add('has-problem');
      target.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
      const msg = h('p', { className: 'problem-msg', testid: 'field-problem', dataset: { code: p.code, path: p.path } }, p.message);
      if (target.matches('tr')) target.querySelector('td:last-child')?.append(msg);
      else if (target.matches('table')) target.before(msg);
      else target.append(msg);
      const details = target.closest('details.item-detail');
      if (details && !details.open) {
        const summary = details.querySelector('summary');
        if (!summary.querySelector('.badge')) summary.append(h('span', { className: 'badge' }, '有问题'));
      }
    }
  }

  return {
    get group() {
      return group;
    },
    render({ focusPath = null, keepFocus = true } = {}) {
      const active = keepFocus ? document.activeElement : null;
      const activePath = active && root.contains(active) ? active.dataset.path : null;
      const sel = activePath ? [active.selectionStart, active.selectionEnd] : null;
      root.replaceChildren(RENDER[group]());
      const target = focusPath ?? activePath;
      if (target) {
        const el = root.querySelector(`[data-path="${CSS.escape(target)}"]:is(input, select, textarea)`) ?? elementFor(target)?.querySelector?.('input, select, textarea, button');
        if (el) {
          el.closest('details')?.setAttribute('open', '');
          el.focus({ preventScroll: false });
          if (sel && el === root.querySelector(`[data-path="${CSS.escape(activePath)}"]`) && typeof el.setSelectionRange === 'function' && el.type !== 'checkbox') {
            try { el.setSelectionRange(sel[0], sel[1]); } catch { /* not a text field */ }
          }
        }
      }
    },
    setGroup(id) {
      group = id;
    },
    markProblems,
    /** Shows the field a pointer names: its group, its item's details, focus. */
    reveal(path) {
      const g = groupOf(path);
      if (g && g !== group) {
        group = g;
        this.render({ keepFocus: false });
      }
      const el = elementFor(path);
      if (!el) return;
      const details = el.closest('details');
      if (details) {
        details.open = true;
        open.add(details.dataset.path);
      }
      const control = el.matches('input, select, textarea') ? el : el.querySelector('input, select, textarea');
      (control ?? el).scrollIntoView({ block: 'center' });
      control?.focus();
    },
  };
}

export { ORDER };
