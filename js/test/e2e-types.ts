// Compiled with `tsc --noEmit` by e2e.test.mjs: an OA page's use of the element must type-check.
import { KpiAssessment, MAX_DOCUMENT_BYTES, parseSubmissionText, type KpiAssessmentEventDetail } from '../../pkg/element.js';
import type { Report } from '../../pkg/index.js';

const el = document.createElement('kpi-assessment');
const same: KpiAssessment = el;
el.setAttribute('rules', 'subdistrict');
el.addEventListener('score', (event) => {
  const detail: KpiAssessmentEventDetail = event.detail;
  const report: Report | null = detail.report;
  const total: string | undefined = report?.total; // a decimal string
  console.log(total, detail.problems.length, detail.cause);
});
el.addEventListener('change', (event) => console.log(event.detail.submission.values));
el.addEventListener('error', (event) => console.log(event.detail.problems));
void el.ready.then(() => console.log(el.rules?.id));
el.rules = 'department';
el.unit = { id: 'yp-dq', name: '大桥街道' };
el.values = { plan_made: true, self_check_rate: '97.5' };
el.notes = { '1.5': '会议纪要缺第二季度' };
const doc = parseSubmissionText('{}');
const problems = el.checkSubmission(doc);
if (problems.length === 0) el.submission = doc;
const limit: number = MAX_DOCUMENT_BYTES;
console.log(same.report?.grade, el.form?.inputs.length, limit);
el.clear();
