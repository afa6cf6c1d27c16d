// Compiled with `tsc --noEmit` by floor.test.mjs: an OA page's use of the new element API and of
// host.js must type-check.
import { KpiAssessment, coerceValue, type KpiAssessmentEventDetail } from '../../pkg/element.js';
import { createEmbed, PROTOCOL_VERSION, type KpiEmbed, type EmbedError } from '../../pkg/host.js';
import { MAX_BATCH, type KpiError } from '../../pkg/index.js';

const el = document.querySelector('kpi-assessment');
if (el) {
  const same: KpiAssessment = el;
  el.addEventListener('kpi-score', (event) => {
    const detail: KpiAssessmentEventDetail = event.detail;
    console.log(detail.report?.total, detail.cause);
  });
  el.addEventListener('kpi-change', (event) => console.log(event.detail.submission.values));
  el.addEventListener('kpi-error', (event) => console.log(event.detail.problems.map((p) => p.code)));
  void customElements.whenDefined('kpi-assessment').then(() => el.ready).then(() => console.log(el.report?.grade));
  el.values = { plan_made: 'true', safety_meetings: '12' };
  el.unit = { id: 12, name: '大桥街道' };
  el.name = 'assessment';
  el.readonly = false;
  const ok: boolean = el.checkValidity() && el.reportValidity() && el.willValidate;
  const form: HTMLFormElement | null = el.ownerForm;
  const json: string = el.value;
  console.log(same.validationMessage, el.validity.valueMissing, ok, form?.id, json.length, coerceValue('true', { type: 'bool' }));
}

const kpi: KpiEmbed = createEmbed(document.body, { src: 'https://kpi.example.com/embed.html', rules: 'subdistrict' });
kpi.addEventListener('change', (e) => console.log(e.detail.submission.values, e.detail.report?.total));
kpi.addEventListener('resize', (e) => console.log(e.detail.height));
void kpi.set({ values: { plan_made: '是' }, readonly: true }).then((answer) => console.log(answer.report?.total, answer.valid));
kpi.get().then((s) => console.log(s.submission?.unit.name), (e: EmbedError) => console.log(e.code, e.problems));
const v: 1 = PROTOCOL_VERSION;
const limit: number = MAX_BATCH;
const err = new Error('x') as KpiError;
console.log(v, limit, err.code);
kpi.destroy();
