// Types of the kpi-wasm package. Every decimal crosses the boundary as a string with exactly the
// rule set's scale of decimal places ("97.50"): never parse it with Number/parseFloat for scoring.
// The result types (reports, problems, batch entries, diffs) are generated from the report schema
// (schema/kpi-report.schema.json) by schema/src/make_schemas.py; tests/tools/check_schemas.py fails
// when they differ.

/**
 * What every method throws: a JS Error with the first problem's code and path, and all problems.
 * Besides the engine's codes: `js.argument` (an argument of the wrong type, or one whose reading
 * threw: a getter, a Proxy, `toJSON`; checked in JS before the module is entered), `js.freed` (a
 * method of an engine after `free()`), `limit.batch` (a list over `MAX_BATCH` submissions or
 * `MAX_BATCH_CHARS` characters).
 */
export interface KpiError extends Error {
  code: string;
  path: string;
  problems: Problem[];
  /** For list arguments: the index of the element that failed. */
  index?: number;
}

// ----------------------------------------------------------------------------------------------
// Inputs: rule sets and submissions (see docs/FORMATS.md)

export type InputType = 'count' | 'number' | 'percent' | 'bool' | 'choice' | 'text' | 'date' | 'records';
export type DecimalInput = string | number;
export type Expression = string;

export interface RuleSetInput {
  id: string;
  label: string;
  type: InputType;
  section?: string;
  required?: boolean;
  min?: DecimalInput;
  max?: DecimalInput;
  options?: string[];
  default?: string | number | boolean;
  unit?: string;
  help?: string;
  /** When given and false, the field need not be filled in. */
  applicable?: Expression;
  /** A record list's row fields (`type: 'records'`). */
  fields?: Omit<RuleSetInput, 'fields' | 'min_rows' | 'max_rows' | 'describe' | 'multiple' | 'section' | 'applicable'>[];
  min_rows?: number;
  max_rows?: number;
  /** The fields naming a row in trace texts. */
  describe?: string[];
  /** Several assessors' scores (a required `number` read by a judged item with `aggregate`). */
  multiple?: boolean;
}

interface LineExtras {
  /** Run once per row of this record list. */
  each?: string;
  sources?: { doc: string; quote: string }[];
  example?: boolean;
}

export type Line = LineExtras &
  (
    | { if: Expression; points: DecimalInput; reason: string }
    | { per: Expression; points: DecimalInput; free?: DecimalInput; unit?: string; reason: string }
    | { amount: Expression; reason: string }
    | { tiers: { if: Expression; points: DecimalInput; reason: string }[]; reason?: string }
  );

/** Lines under a sub-heading of one pool (no points of their own). */
export interface LineGroup {
  group: string;
  lines: Line[];
}

interface ItemBase {
  id: string;
  title: string;
  points: DecimalInput;
  basis?: string;
  cap?: DecimalInput;
  combine?: 'sum' | 'max';
  applicable?: Expression;
  /** The assessors may mark it not applicable in a submission. */
  assessor_na?: boolean;
}

export type RuleSetItem = ItemBase &
  (
    | { deduct: (Line | LineGroup)[] }
    | {
        rate: {
          value: Expression;
          target?: DecimalInput;
          above?: DecimalInput;
          below?: DecimalInput;
          direction?: 'higher' | 'lower';
          mode: 'step' | 'proportional';
          step?: DecimalInput;
          points_per_step?: DecimalInput;
          partial?: 'exact' | 'up' | 'down';
          when_undefined?: 'full' | 'zero' | 'pending';
        };
      }
    | {
        bands: {
          value: Expression;
          bands: { min?: DecimalInput; over?: DecimalInput; max?: DecimalInput; under?: DecimalInput; upto?: DecimalInput; score: DecimalInput }[];
        };
      }
    | { judged: { input: string; aggregate?: 'mean' | 'trimmed_mean' } }
    | { rank: { value: Expression; order?: 'desc' | 'asc'; first: DecimalInput; step: DecimalInput; floor?: DecimalInput } }
    | { formula: Expression }
  );

/** A rule set document (`kpi-rules/1`). */
export interface RuleSetDocument {
  $schema?: string;
  format: 'kpi-rules/1';
  id: string;
  version: string;
  title: string;
  period: string;
  unit_kind: string;
  description?: string;
  full_score: DecimalInput;
  scale?: number;
  not_applicable?: 'full' | 'rescale';
  inputs: RuleSetInput[];
  sections: { id: string; title: string; points: DecimalInput; out_of?: DecimalInput; items: RuleSetItem[] }[];
  adjustments?: { id: string; title: string; basis?: string; cap?: DecimalInput; combine?: 'sum' | 'max'; deduct: (Line | LineGroup)[] }[];
  bonus?: {
    cap: DecimalInput;
    items: { id: string; title: string; points: DecimalInput; basis?: string; combine?: 'sum' | 'max'; assessor_na?: boolean; add: (Line | LineGroup)[] }[];
  };
  vetoes?: { id: string; title: string; basis?: string; when: Expression; effect: VetoEffect; ranking?: 'last' | 'excluded' }[];
  /** `[]`: no grades (pure scoring). */
  grades: ({ name: string; min: DecimalInput } | { name: string; over: DecimalInput })[];
  /** Every item that loses points needs a note. */
  notes_required?: boolean;
  quotas?: { grade: string; max_share: DecimalInput }[];
  tests?: unknown[];
}

export interface Unit {
  id: string;
  name: string;
  group?: string;
  ranked?: boolean;
}

/** A submission document (`kpi-submission/1`). `null` means an empty field. */
export interface SubmissionDocument {
  $schema?: string;
  format: 'kpi-submission/1';
  rules: { id: string; version: string };
  unit: Unit;
  period?: string;
  /** Scalars; a record list is an array of row objects, a `multiple` input an array of scores. */
  values: Record<string, string | number | boolean | null | Record<string, string | number | boolean | null>[] | (string | number)[]>;
  notes?: Record<string, string | null>;
  meta?: Record<string, string | null>;
  /** Items the assessors mark not applicable (item id → reason). */
  not_applicable?: Record<string, string>;
  /** The unit's self-assessment: its own values, or its own item scores. */
  self?: { values: SubmissionDocument['values'] } | { items: Record<string, string | number> };
}

// ----------------------------------------------------------------------------------------------
// Results

// ---- generated by schema/src/make_schemas.py from schema/kpi-report.schema.json: do not edit ----

/** A decimal as text with exactly the rule set's scale of places, e.g. "97.50". */
export type Decimal = string;

/** The unit assessed (`ranked` appears only when false, `tags` only when non-empty). */
export interface ReportUnit {
  id: string;
  name: string;
  group?: string;
  ranked?: false;
  tags?: string[];
}

/** What a trace line records. */
export type LineKind = "deduct" | "add" | "cap" | "rate" | "band" | "judged" | "formula" | "rank" | "convert" | "rescale" | "floor" | "veto" | "quota" | "info";

/** One explained change of points: for an item, points + Σ lines = score. */
export interface TraceLine {
  reason: string;
  /** Signed, e.g. "-4.00". */
  points: Decimal;
  kind: LineKind;
  /** The row (1-based) of the record list an `each` line counted. */
  row?: number;
  /** The sub-heading of the line's group. */
  group?: string;
}

/** How an item, adjustment or bonus item was scored. */
export type ItemStatus = "scored" | "not_applicable" | "pending";

/** One item's result. */
export interface ItemReport {
  id: string;
  title: string;
  points: Decimal;
  /** Null only for a not-applicable item when the rule set rescales. */
  score: Decimal | null;
  status: ItemStatus;
  /** The indicator value of a rate, bands, formula or rank item. */
  value?: Decimal;
  lines: TraceLine[];
  /** The unit's own score (with a self-assessment); null where it gave none. */
  self_score?: Decimal | null;
  /** The assessors' score minus the unit's (with a self-assessment). */
  self_difference?: Decimal | null;
}

/** One section's result. */
export interface SectionReport {
  id: string;
  title: string;
  points: Decimal;
  out_of?: Decimal;
  /** Null when every item is not applicable and the rule set rescales. */
  score: Decimal | null;
  /** Present when every item of the section is not applicable. */
  status?: "not_applicable";
  lines: TraceLine[];
  items: ItemReport[];
}

/** One adjustment's result. */
export interface AdjustmentReport {
  id: string;
  title: string;
  cap?: Decimal;
  /** Negative or zero. */
  amount: Decimal;
  status: ItemStatus;
  lines: TraceLine[];
}

/** One bonus item's result. */
export interface BonusItemReport {
  id: string;
  title: string;
  points: Decimal;
  amount: Decimal;
  status: ItemStatus;
  lines: TraceLine[];
}

/** The bonus result. */
export interface BonusReport {
  cap: Decimal;
  amount: Decimal;
  items: BonusItemReport[];
  lines: TraceLine[];
}

/** A veto's effect as written in the rule set. */
export type VetoEffect = "fail" | "zero" | "ungraded" | {
  max_grade: string;
} | {
  lower_grades: number;
};

/** One veto and whether it triggered. */
export interface VetoReport {
  id: string;
  title: string;
  /** Null while pending. */
  triggered: boolean | null;
  effect: VetoEffect;
  effect_text: string;
  /** Where it puts the unit in a batch's ranking. */
  ranking?: "last" | "excluded";
}

/** Something not known yet (kind `batch`: a ranked report whose group has incomplete peers; kind `note`: an item that lost points still needs its note). */
export interface PendingEntry {
  kind: "item" | "adjustment" | "bonus" | "veto" | "batch" | "note";
  id: string;
  title: string;
  /** Ids of the empty inputs it reads. */
  missing: string[];
  reason: string;
}

/** One problem (or warning): a stable dotted code, a JSON pointer, a Chinese message. */
export interface Problem {
  /** E.g. "expr.unknown_id", "value.range". */
  code: string;
  /** JSON pointer into the document, e.g. "/sections/1/items/3/points". */
  path: string;
  /** Simplified Chinese message naming the item or field. */
  message: string;
}

/** What the report was computed from (docs/FORMATS.md, "Fingerprint"): the engine, and SHA-256 digests of the rule set's and the submission's canonical texts. Not a signature: a back end trusts a report after re-scoring it (`kpi verify`, `POST /v1/verify`). */
export interface Fingerprint {
  /** The engine and its version, e.g. "kpi-wasm 0.1.0". */
  engine: string;
  /** Digest of the rule set's canonical text. */
  rules: string;
  /** Digest of the submission's canonical text (its values as the rule set converts them). */
  submission: string;
}

/** A scored submission (`kpi-report/1`). */
export interface Report {
  format: "kpi-report/1";
  unit: ReportUnit;
  /** The rule set used. */
  rules: {
    id: string;
    version: string;
    title: string;
  };
  period: string;
  status: "final" | "provisional";
  total: Decimal;
  /** Null without grades, or when a veto withholds it. */
  grade: string | null;
  /** Present when a veto withheld the grade. */
  grade_text?: "\u4e0d\u8bc4\u7b49\u6b21";
  /** The grade the total alone gives, before vetoes and quotas (null without grades). */
  grade_by_score: string | null;
  /** Present in a batch; null for units not ranked. */
  rank?: number | null;
  full_score: Decimal;
  /** Σ section scores (after rescaling). */
  subtotal: Decimal;
  sections: SectionReport[];
  adjustments: AdjustmentReport[];
  bonus?: BonusReport;
  vetoes: VetoReport[];
  /** Report-level: rescaling, the floor at zero, veto effects, quota moves. */
  lines: TraceLine[];
  pending: PendingEntry[];
  warnings: Problem[];
  /** The submission's meta, echoed. */
  meta?: Record<string, string>;
  /** Rows per record list (rule sets with record lists). */
  lists?: ({
    id: string;
    /** Null when the list was not given. */
    rows: number | null;
  })[];
  /** The unit's self-assessment beside the assessors' score. */
  self?: {
    total: Decimal | null;
    grade: string | null;
    /** The assessors' total minus the self-assessed one. */
    difference: Decimal | null;
  };
  fingerprint: Fingerprint;
}

/** One figure of a report that re-scoring does not confirm. */
export interface Difference {
  /** JSON pointer into the report, e.g. "/sections/1/items/3/score" (empty for the count of differences not listed). */
  path: string;
  /** The report's value (any JSON); null when the report lacks it. */
  reported: unknown;
  /** The recomputed value (any JSON); null when re-scoring has no such figure. */
  recomputed: unknown;
  /** Simplified Chinese, naming the figure by its item's or section's title, with both values. */
  message: string;
}

/** A report checked against its submission (`kpi verify`, `POST /v1/verify`). */
export interface Verification {
  /** True when the report is exactly what re-scoring gives, fingerprint included. */
  ok: boolean;
  /** The fingerprint's parts first, then the total and grade, then the rest; at most 100, then one entry counting the others. */
  differences: Difference[];
}

/** One entry of a batch (`scoreBatch`): the report, or the problems of that submission. */
export type BatchEntry = {
  report: Report;
  error?: undefined;
} | {
  error: Problem[];
  report?: undefined;
};

/** A unit's standing under one rule set. */
export interface Standing {
  total: Decimal;
  grade: string | null;
  rank: number | null;
  status: "final" | "provisional";
}

/** One item whose score changed. */
export interface ItemChange {
  id: string;
  title: string;
  old: Decimal | null;
  new: Decimal | null;
  /** The new trace lines of the item. */
  reasons: string[];
}

/** One unit under both rule sets. */
export interface UnitDiff {
  unit: ReportUnit;
  changed: boolean;
  old: Standing | null;
  new: Standing | null;
  items: ItemChange[];
  notes: string[];
}

/** Counts over all units (`diffSummaryText` words them). */
export interface DiffSummary {
  /** Units compared. */
  units: number;
  /** Total, grade or rank changed. */
  changed: number;
  /** Total went up. */
  total_up: number;
  /** Total went down. */
  total_down: number;
  /** Grade went up. */
  grade_up: number;
  /** Grade went down. */
  grade_down: number;
  /** Could not be scored under one of the rule sets. */
  errors: number;
}

/** The same submissions under two rule sets. */
export interface Diff {
  /** The old rule set. */
  old: {
    id: string;
    version: string;
  };
  /** The new rule set. */
  new: {
    id: string;
    version: string;
  };
  units: UnitDiff[];
  summary: DiffSummary;
  rule_changes: string[];
}

/** A synthetic submission where the two rule sets disagree (`kpi diff --probe`). */
export interface ProbeFinding {
  base: string;
  input: string;
  label: string;
  value: string;
  old: Standing;
  new: Standing;
  items: ItemChange[];
}
// ---- end of generated types ----

export type FormBound = string | { input: string };

/** What a form renderer needs (`kpi-form/1`). */
export interface Form {
  format: 'kpi-form/1';
  rules: {
    id: string; version: string; title: string; period: string; unit_kind: string; description?: string;
    full_score: Decimal; scale: number; not_applicable: 'full' | 'rescale';
  };
  inputs: {
    id: string; label: string; type: InputType; section?: string; required: boolean;
    min?: FormBound; max?: FormBound; options?: string[]; unit?: string; help?: string;
    /** Ids of the items, adjustments, bonus items and vetoes that read this field. */
    used_by: string[];
    applicable?: string;
    /** A record list's columns. */
    fields?: FormField[];
    min_rows?: number;
    max_rows?: number;
    describe?: string[];
    /** Several assessors' scores (a list). */
    multiple?: boolean;
  }[];
  sections: {
    id: string; title: string; points: Decimal; out_of?: Decimal;
    items: {
      id: string; title: string; points: Decimal; basis?: string; rule: 'deduct' | 'rate' | 'bands' | 'judged' | 'rank' | 'formula'; batch_only: boolean; inputs: string[];
      /** The assessors may mark it not applicable (with a reason). */
      assessor_na?: boolean;
      /** Its lines under sub-headings. */
      groups?: FormGroup[];
    }[];
  }[];
  adjustments: FormEntry[];
  bonus?: { cap: Decimal; items: FormEntry[] };
  vetoes: FormEntry[];
  grades: { name: string; min?: Decimal; over?: Decimal }[];
  /** How the engine words a report's status and an item's (a scored item has no label). */
  status_labels: { final: string; provisional: string; not_applicable: string; pending: string };
  /** Every item that loses points needs a note. */
  notes_required?: boolean;
}

/** A record list's column. */
export interface FormField {
  id: string; label: string; type: Exclude<InputType, 'records'>; required: boolean;
  min?: string; max?: string; options?: string[]; unit?: string; help?: string;
}

/** Lines under a sub-heading. */
export interface FormGroup {
  title: string;
  lines: string[];
}

export interface FormEntry {
  id: string;
  title: string;
  points?: Decimal;
  basis?: string;
  effect_text?: string;
  inputs: string[];
  assessor_na?: boolean;
  groups?: FormGroup[];
  ranking?: 'last' | 'excluded';
}

export interface RuleSetInfo {
  id: string;
  version: string;
  title: string;
  period: string;
  unit_kind: string;
  description?: string | null;
}

type RulesArg = string | RuleSetDocument;

/** One expectation of a test case that did not hold, as figures. */
export interface TestDifference {
  /** `total`, `grade`, `status`, `item`, `vetoes`, or `error` (the case could not be scored). */
  what: 'total' | 'grade' | 'status' | 'item' | 'vetoes' | 'error';
  id?: string | null;
  title?: string | null;
  expected: string;
  actual: string;
}

/** The embedded test cases' results (`kpi test --json`). */
export interface TestRun {
  passed: number;
  failed: number;
  cases: { name: string; source: string; passed: boolean; failures: string[]; differences: TestDifference[] }[];
}

/** One part of the rules in words. */
export interface Criterion {
  id: string;
  title: string;
  text: string[];
}

/** The rules in words (the published 评分标准), written by the engine from what it scores. */
export interface Criteria {
  general: string[];
  items: Criterion[];
  adjustments: Criterion[];
  bonus: Criterion[];
  vetoes: Criterion[];
  grades: Criterion[];
  quotas: Criterion[];
}
type SubmissionArg = string | SubmissionDocument;

/** A scoring engine for one rule set. Methods throw KpiError; the engine keeps working after any error. */
export class Engine {
  /** Rule-set JSON text or object, or a built-in id: "subdistrict", "department", "enterprise". */
  constructor(rules: RulesArg);
  /** Scores one submission. Empty required fields make the report provisional. */
  score(submission: SubmissionArg): Report;
  /** Scores a submission given as JSON text; returns the report's JSON text, byte-identical to the CLI's. */
  scoreJson(submission: string): string;
  /** Every problem of a submission at once (header, unit, values, empty required fields). Never throws. */
  validate(submission: SubmissionArg): Problem[];
  /** The fields, sections and items a form renderer needs. */
  form(): Form;
  /**
   * Scores submissions together: ranks, grade quotas, peer aggregates. One entry per submission, in
   * order; one that cannot be read or scored gets `{error}` and takes no part in ranks and quotas.
   */
  scoreBatch(submissions: SubmissionArg[] | string): BatchEntry[];
  /** `scoreBatch` with the entries as one JSON text (an array): no JS objects built. */
  scoreBatchJson(submissions: SubmissionArg[] | string): string;
  /** Scores the submissions under this rule set and `newRules`, unit by unit. Tools module: in a browser `await loadTools()` first (else `js.tools`). */
  diff(newRules: RulesArg, submissions: SubmissionArg[] | string): Diff;
  /** What changed from this rule set to `newRules`, in words. Tools module: in a browser `await loadTools()` first (else `js.tools`). */
  ruleChanges(newRules: RulesArg): string[];
  /** Identity of the rule set. */
  ruleSet(): RuleSetInfo;
  /** Runs the rule set's embedded test cases. Tools module: in a browser `await loadTools()` first (else `js.tools`). */
  runTests(): TestRun;
  /** `kpi diff --probe`: where this rule set and `newRules` disagree at the thresholds, from the submissions (a neutral one when none). Tools module: in a browser `await loadTools()` first (else `js.tools`). */
  probe(newRules: RulesArg, submissions?: SubmissionArg[] | string): ProbeFinding[];
  /** The rules in words, as a district publishes them. Tools module: in a browser `await loadTools()` first (else `js.tools`). */
  criteria(): Criteria;
  /** CSV (UTF-8 with BOM) of a batch's reports. Tools module: in a browser `await loadTools()` first (else `js.tools`). */
  batchCsv(submissions: SubmissionArg[] | string): string;
  /** CSV (UTF-8 with BOM) of the diff against `newRules`, as `kpi diff --format csv` writes it. Tools module: in a browser `await loadTools()` first (else `js.tools`). */
  diffCsv(newRules: RulesArg, submissions: SubmissionArg[] | string): string;
  /**
   * A live form starting from `submission`: each `set` converts one value and scores again only
   * the items that read it, then the total and grade. Its `report()` is what `score` gives.
   */
  live(submission: SubmissionArg): LiveForm;
  /** Releases the engine's memory in the module. Freeing twice does nothing; any other method then throws `js.freed`. */
  free(): void;
}

/**
 * What one change to a live form did: the report's figures now and the parts of the report that
 * changed, so that the previous report patched with it is the new one apart from `fingerprint`
 * (docs/SPEC.md, "Live forms"): replace `total`, `grade`, `status`, `subtotal`, `grade_text` (null:
 * delete the key) and `grade_by_score`; replace each of `items` by id inside its section; for each
 * of `sections` replace that section's `score`, `status` (null: delete the key) and `lines`; replace
 * each of `adjustments` and `vetoes` by id; replace `bonus`, `lines`, `pending`, `warnings`, `self`
 * (from `self_assessment`) and `lists` whole when the key is present.
 */
export interface LiveChange {
  /** The total score, written with the rule set's places (`"89.15"`). */
  total: Decimal;
  /** The grade after vetoes; null without grades or when a veto withholds it. */
  grade: string | null;
  /** `final`, or `provisional` while something is pending. */
  status: Report['status'];
  /** The items whose result changed, in the report's order. */
  items: ItemReport[];
  /** The sections' sum (after rescaling), as the report's `subtotal`. */
  subtotal: Decimal;
  /** The report's `grade_text` (不评等次 when a veto withholds the grade); null when the report has none. */
  grade_text: Report['grade_text'] | null;
  /** The grade the total alone gives; null without grades. */
  grade_by_score: string | null;
  /** The sections whose own score, status or lines changed (their items are in `items`); a null status: the report's section has none. */
  sections: { id: string; score: Decimal | null; status: 'not_applicable' | null; lines: TraceLine[] }[];
  /** The adjustments whose result changed, in the report's order. */
  adjustments: AdjustmentReport[];
  /** The vetoes whose result changed, in the report's order. */
  vetoes: VetoReport[];
  /** The whole bonus, present only when any of it changed. */
  bonus?: BonusReport;
  /** The report-level trace lines, present only when they changed. */
  lines?: TraceLine[];
  /** The report's pending list, present only when it changed. */
  pending?: PendingEntry[];
  /** The report's warnings, present only when they changed. */
  warnings?: Problem[];
  /** The report's `self` (self-assessment summary), present only when it changed. */
  self_assessment?: NonNullable<Report['self']>;
  /** The report's `lists` (rows per record list), present only when they changed. */
  lists?: NonNullable<Report['lists']>;
}

/** A submission being filled in (`engine.live(submission)`). Methods throw KpiError. */
export class LiveForm {
  private constructor();
  /**
   * Sets one input: a decimal as a string (`"97.5"`), a count, a choice or a date as a string,
   * true/false, null to empty it, a record list's rows as an array. A value the engine refuses
   * changes nothing and throws (`value.*`).
   */
  set(inputId: string, value: SubmissionDocument['values'][string]): LiveChange;
  /** The full report of the form as it is now. */
  report(): Report;
  /** Releases the form's memory in the module. Freeing twice does nothing. */
  free(): void;
}

/** A diff's summary in one sentence, as the engine words it (共N个单位，M个有变化；…). Tools module: in a browser `await loadTools()` first (else `js.tools`). */
export function diffSummaryText(summary: Diff['summary']): string;

/**
 * Loads the package's second module, the tools (`diff`, `diffCsv`, `ruleChanges`, `runTests`,
 * `probe`, `criteria`, `batchCsv`, `diffSummaryText`), which a page that only scores never
 * downloads. Resolves when they can be called; in a browser, calling it again returns the same
 * promise. In Node the first tools call loads it by itself (synchronously, as this does there); in
 * a browser such a call before this resolved throws `js.tools`.
 */
export function loadTools(): Promise<void>;

/** The largest rule-set or submission document the engine reads, in bytes (8 MiB). */
export const MAX_DOCUMENT_BYTES: number;
/** The longest list of submissions one call takes (100,000); longer is `limit.batch`. */
export const MAX_BATCH: number;
/** The most text (UTF-16 code units, all submissions together) one list call takes; more is `limit.batch`. */
export const MAX_BATCH_CHARS: number;

/** The built-in example rule sets. */
export function builtInRuleSets(): RuleSetInfo[];
/** The JSON text of a built-in rule set, or undefined. */
export function builtInRuleSetSource(id: string): string | undefined;
