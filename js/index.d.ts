// Types of the kpi-wasm package. Every decimal crosses the boundary as a string with exactly the
// rule set's scale of decimal places ("97.50"): never parse it with Number/parseFloat for scoring.

/** A decimal as text, e.g. "97.50". */
export type Decimal = string;

/** One problem in a rule set, a submission or while scoring. */
export interface Problem {
  /** Stable dotted code, e.g. "expr.unknown_id", "value.range". */
  code: string;
  /** JSON pointer into the document, e.g. "/sections/1/items/3/points". */
  path: string;
  /** Simplified Chinese message naming the item or field. */
  message: string;
}

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

export type InputType = 'count' | 'number' | 'percent' | 'bool' | 'choice' | 'text';
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
}

export type Line =
  | { if: Expression; points: DecimalInput; reason: string }
  | { per: Expression; points: DecimalInput; free?: DecimalInput; unit?: string; reason: string };

interface ItemBase {
  id: string;
  title: string;
  points: DecimalInput;
  basis?: string;
  cap?: DecimalInput;
  combine?: 'sum' | 'max';
  applicable?: Expression;
}

export type RuleSetItem = ItemBase &
  (
    | { deduct: Line[] }
    | {
        rate: {
          value: Expression;
          target: DecimalInput;
          direction?: 'higher' | 'lower';
          mode: 'step' | 'proportional';
          step?: DecimalInput;
          points_per_step?: DecimalInput;
          partial?: 'exact' | 'up' | 'down';
          when_undefined?: 'full' | 'zero' | 'pending';
        };
      }
    | { bands: { value: Expression; bands: { min?: DecimalInput; max?: DecimalInput; score: DecimalInput }[] } }
    | { judged: { input: string } }
    | { rank: { value: Expression; order?: 'desc' | 'asc'; first: DecimalInput; step: DecimalInput; floor?: DecimalInput } }
    | { formula: Expression }
  );

export type VetoEffect = 'fail' | 'zero' | { max_grade: string } | { lower_grades: number };

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
  adjustments?: { id: string; title: string; basis?: string; cap?: DecimalInput; combine?: 'sum' | 'max'; deduct: Line[] }[];
  bonus?: { cap: DecimalInput; items: { id: string; title: string; points: DecimalInput; basis?: string; combine?: 'sum' | 'max'; add: Line[] }[] };
  vetoes?: { id: string; title: string; basis?: string; when: Expression; effect: VetoEffect }[];
  grades: { name: string; min: DecimalInput }[];
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
  values: Record<string, string | number | boolean | null>;
  notes?: Record<string, string | null>;
  meta?: Record<string, string | null>;
}

// ----------------------------------------------------------------------------------------------
// Results

export type LineKind =
  | 'deduct' | 'add' | 'cap' | 'rate' | 'band' | 'judged' | 'formula' | 'rank'
  | 'convert' | 'rescale' | 'floor' | 'veto' | 'quota' | 'info';

/** One explained change of points: points + Σ lines = score for an item. */
export interface TraceLine {
  reason: string;
  /** Signed, e.g. "-4.00". */
  points: Decimal;
  kind: LineKind;
}

export type ItemStatus = 'scored' | 'not_applicable' | 'pending';

export interface ItemReport {
  id: string;
  title: string;
  points: Decimal;
  /** Null only for a not-applicable item when the rule set rescales. */
  score: Decimal | null;
  status: ItemStatus;
  value?: Decimal;
  lines: TraceLine[];
}

export interface SectionReport {
  id: string;
  title: string;
  points: Decimal;
  out_of?: Decimal;
  score: Decimal;
  lines: TraceLine[];
  items: ItemReport[];
}

export interface AdjustmentReport {
  id: string;
  title: string;
  cap?: Decimal;
  /** Negative or zero. */
  amount: Decimal;
  status: ItemStatus;
  lines: TraceLine[];
}

export interface BonusReport {
  cap: Decimal;
  amount: Decimal;
  items: { id: string; title: string; points: Decimal; amount: Decimal; status: ItemStatus; lines: TraceLine[] }[];
  lines: TraceLine[];
}

export interface VetoReport {
  id: string;
  title: string;
  /** Null while pending. */
  triggered: boolean | null;
  effect: VetoEffect;
  effect_text: string;
}

export interface PendingEntry {
  kind: 'item' | 'adjustment' | 'bonus' | 'veto';
  id: string;
  title: string;
  missing: string[];
  reason: string;
}

export interface Warning {
  code: string;
  path: string;
  message: string;
}

/** A scored submission (`kpi-report/1`). */
export interface Report {
  format: 'kpi-report/1';
  unit: Unit;
  rules: { id: string; version: string; title: string };
  period: string;
  status: 'final' | 'provisional';
  total: Decimal;
  grade: string;
  grade_by_score: string;
  /** Present in a batch; null for units not ranked. */
  rank?: number | null;
  full_score: Decimal;
  subtotal: Decimal;
  sections: SectionReport[];
  adjustments: AdjustmentReport[];
  bonus?: BonusReport;
  vetoes: VetoReport[];
  lines: TraceLine[];
  pending: PendingEntry[];
  warnings: Warning[];
  meta?: Record<string, string>;
}

/** One entry of scoreBatch: the report, or the problems of that submission. */
export type BatchEntry = { report: Report; error?: undefined } | { report?: undefined; error: Problem[] };

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
  }[];
  sections: {
    id: string; title: string; points: Decimal; out_of?: Decimal;
    items: { id: string; title: string; points: Decimal; basis?: string; rule: 'deduct' | 'rate' | 'bands' | 'judged' | 'rank' | 'formula'; batch_only: boolean; inputs: string[] }[];
  }[];
  adjustments: FormEntry[];
  bonus?: { cap: Decimal; items: FormEntry[] };
  vetoes: FormEntry[];
  grades: { name: string; min: Decimal }[];
}

export interface FormEntry {
  id: string;
  title: string;
  points?: Decimal;
  basis?: string;
  effect_text?: string;
  inputs: string[];
}

export interface Standing {
  total: Decimal;
  grade: string;
  rank: number | null;
  status: 'final' | 'provisional';
}

/** The same submissions under two rule sets. */
export interface Diff {
  old: { id: string; version: string };
  new: { id: string; version: string };
  units: {
    unit: Unit;
    changed: boolean;
    old: Standing | null;
    new: Standing | null;
    items: { id: string; title: string; old: Decimal | null; new: Decimal | null; reasons: string[] }[];
    notes: string[];
  }[];
  summary: { units: number; changed: number; total_up: number; total_down: number; grade_up: number; grade_down: number; errors: number };
  rule_changes: string[];
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
  /** Scores the submissions under this rule set and `newRules`, unit by unit. */
  diff(newRules: RulesArg, submissions: SubmissionArg[] | string): Diff;
  /** What changed from this rule set to `newRules`, in words. */
  ruleChanges(newRules: RulesArg): string[];
  /** Identity of the rule set. */
  ruleSet(): RuleSetInfo;
  /** CSV (UTF-8 with BOM) of a batch's reports. */
  batchCsv(submissions: SubmissionArg[] | string): string;
  /** CSV (UTF-8 with BOM) of the diff against `newRules`, as `kpi diff --format csv` writes it. */
  diffCsv(newRules: RulesArg, submissions: SubmissionArg[] | string): string;
  /** Releases the engine's memory in the module. Freeing twice does nothing; any other method then throws `js.freed`. */
  free(): void;
}

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
