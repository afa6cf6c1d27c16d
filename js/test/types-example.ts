// Compiled with `tsc --noEmit` by ./test: an integrator's use of the package must type-check.
import { Engine, builtInRuleSets, type LiveForm, type LiveChange, type Report, type KpiError, type SubmissionDocument, type Form, type Diff, type BatchEntry, type Problem } from '../../pkg/index.js';

const sets = builtInRuleSets();
const engine = new Engine(sets[0].id);
const form: Form = engine.form();
const labels: string[] = form.inputs.map((i) => `${i.label}${i.unit ?? ''}`);

const submission: SubmissionDocument = {
  format: 'kpi-submission/1',
  rules: { id: engine.ruleSet().id, version: engine.ruleSet().version },
  unit: { id: 'yp-dq', name: '大桥街道', group: '街道' },
  values: { plan_made: true, general_accidents: 2, self_check_rate: '97.5', remark: null },
  notes: { '1.5': '会议纪要缺第二季度' },
};

const problems: Problem[] = engine.validate(submission);
try {
  const report: Report = engine.score(submission);
  const total: string = report.total; // a decimal string: never Number() it for scoring
  const reasons: string[] = report.sections.flatMap((s) => s.items.flatMap((i) => i.lines.map((l) => `${l.reason} ${l.points}`)));
  const pending = report.status === 'provisional' ? report.pending.map((p) => p.missing.join('、')) : [];
  console.log(total, report.grade, reasons.length, pending, labels.length, problems.length);
} catch (e) {
  const err = e as KpiError;
  console.error(err.code, err.path, err.problems.map((p) => p.message));
}

const batch: BatchEntry[] = engine.scoreBatch([submission, JSON.stringify(submission)]);
for (const entry of batch) {
  if (entry.report) console.log(entry.report.rank, entry.report.total);
  else console.log(entry.error.map((p) => p.code));
}
const diff: Diff = engine.diff(sets[0].id, [submission]);
console.log(diff.summary.grade_down, diff.units[0].new?.grade, engine.ruleChanges('subdistrict').length, engine.batchCsv([submission]).length);
// A live form: one value at a time, only what changed comes back.
const live: LiveForm = engine.live(submission);
const change: LiveChange = live.set('self_check_rate', '96.5');
console.log(change.total, change.grade, change.status, change.items.map((i) => i.id), live.report().total);
live.set('plan_made', false);
// Patching the report held with a change (docs/SPEC.md, "Live forms").
const held = live.report();
held.subtotal = change.subtotal;
held.grade_by_score = change.grade_by_score;
if (change.grade_text === null) delete held.grade_text;
else held.grade_text = change.grade_text;
for (const s of change.sections) {
  const target = held.sections.find((x) => x.id === s.id);
  if (!target) continue;
  target.score = s.score;
  target.lines = s.lines;
  if (s.status === null) delete target.status;
  else target.status = s.status;
}
for (const a of change.adjustments) held.adjustments[held.adjustments.findIndex((x) => x.id === a.id)] = a;
for (const v of change.vetoes) held.vetoes[held.vetoes.findIndex((x) => x.id === v.id)] = v;
if (change.bonus) held.bonus = change.bonus;
if (change.lines) held.lines = change.lines;
if (change.pending) held.pending = change.pending;
if (change.warnings) held.warnings = change.warnings;
if (change.self_assessment) held.self = change.self_assessment;
if (change.lists) held.lists = change.lists;
live.free();
engine.free();
