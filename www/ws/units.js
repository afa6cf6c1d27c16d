// A workspace's units: their submissions as the engine reads them, their status, and new records.

export const STATUS_WORDS = { empty: '未填写', partial: '填写中', done: '已完成', error: '有错误' };

/**
 * What the ranking scores for a submission: the engine's `validate` problems decide; a value it
 * refuses is left out (its items stay pending, the report provisional), exactly as the form does.
 * Returns {problems, rejected: Set of input ids, clean (the submission), status}.
 */
export function examine(engine, submission) {
  const problems = engine.validate(submission);
  const rejected = new Set();
  for (const p of problems) {
    const m = /^\/values\/([^/]+)$/.exec(p.path);
    if (m && p.code !== 'value.missing') rejected.add(m[1]);
  }
  const values = { ...(submission.values ?? {}) };
  for (const id of rejected) delete values[id];
  const clean = { ...submission, values };
  return { problems, rejected, clean, status: statusOf(submission, problems) };
}

/** 未填写 / 填写中 / 已完成 / 有错误, from the engine's problems. */
export function statusOf(submission, problems) {
  if (problems.some((p) => p.code !== 'value.missing')) return 'error';
  const filled = Object.keys(submission.values ?? {}).length > 0 || Object.keys(submission.notes ?? {}).length > 0;
  if (!filled) return 'empty';
  return problems.length === 0 ? 'done' : 'partial';
}

/** The unit object of a submission from a roster row (tags only when the rule set reads them). */
export function unitOf(row, { tags = false } = {}) {
  const unit = { id: row.id, name: row.name };
  if (row.group) unit.group = row.group;
  if (row.ranked === false) unit.ranked = false;
  if (tags && row.tags?.length > 0) unit.tags = row.tags;
  return unit;
}

/** An empty submission for a roster row. */
export function emptySubmission(rules, row, { assessor = '', tags = false } = {}) {
  const doc = {
    format: 'kpi-submission/1',
    rules: { id: rules.id, version: rules.version },
    unit: unitOf(row, { tags }),
    period: rules.period,
    values: {},
    notes: {},
  };
  if (assessor) doc.meta = { assessor };
  return doc;
}
