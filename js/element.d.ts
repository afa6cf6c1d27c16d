// Types of kpi-wasm/element: the <kpi-assessment> custom element (a drop-in assessment form).
import type { Engine, Form, Problem, Report, RuleSetDocument, RuleSetInfo, SubmissionDocument, Unit } from './index.js';

/** The engine's limit on a rule-set or submission document, in bytes (8 MiB). */
export const MAX_DOCUMENT_BYTES: number;

/** JSON.parse that keeps every number as its literal text (a string), never a binary float. */
export function parseJsonExact(text: string): unknown;

/** Parses submission JSON text (numbers kept as text); throws an Error with `problems` when it is not JSON. */
export function parseSubmissionText(text: string): SubmissionDocument;

/** What `change` and `score` events carry. */
export interface KpiAssessmentEventDetail {
  /** The report, or null when the engine could not score (see `error`). */
  report: Report | null;
  /** The engine's problems with the current values, empty required fields included. */
  problems: Problem[];
  /** The submission as it stands (empty fields absent from `values`). */
  submission: SubmissionDocument;
  error: (Error & { code?: string; path?: string; problems?: Problem[] }) | null;
  /** "input" for a user's edit; "load" when rules or a submission were loaded. */
  cause: 'input' | 'load';
}

export interface KpiAssessmentErrorDetail {
  error: Error;
  problems: Problem[];
}

/**
 * `<kpi-assessment rules="subdistrict">`: renders the form of a rule set and scores it on every input.
 *
 * Attributes: `rules` (a built-in id or the URL of a rule-set JSON), `values` (JSON object of values),
 * `unit-id`, `unit-name`, `readonly`.
 * Events: `change` (a user's edit) and `score` (every recomputation), both `CustomEvent<KpiAssessmentEventDetail>`;
 * `error` (`CustomEvent<KpiAssessmentErrorDetail>`) when rules given by attribute do not load.
 */
export class KpiAssessment extends HTMLElement {
  /** Resolves once the rules (and values) given by attributes are loaded. */
  readonly ready: Promise<void>;
  /** The loaded rule set's identity; set a built-in id, rule-set JSON text or an object (throws if it does not load). */
  get rules(): RuleSetInfo | null;
  set rules(value: string | RuleSetDocument);
  /** Loads a rule set and, optionally, a submission into it; throws and changes nothing on failure. */
  setRules(rules: string | RuleSetDocument | Engine, submission?: SubmissionDocument): void;
  /** The engine in use (owned by the element: do not free it). */
  readonly engine: Engine | null;
  /** The form description being shown. */
  readonly form: Form | null;
  /** The last report, or null. */
  readonly report: Report | null;
  /** The engine's problems with the current values. */
  readonly problems: Problem[];
  /** The submission being edited; set a document or JSON text to load one (throws with `problems` if it cannot be shown). */
  get submission(): SubmissionDocument;
  set submission(value: SubmissionDocument | string);
  /** Problems that keep a submission from loading (into this form, or into `rules`' form). */
  checkSubmission(submission: SubmissionDocument | string, rules?: string | RuleSetDocument): Problem[];
  /** Values by input id: decimals as strings ("97.5"), booleans for bool, option text for choice. */
  get values(): SubmissionDocument['values'];
  set values(values: SubmissionDocument['values']);
  get notes(): Record<string, string>;
  set notes(notes: Record<string, string>);
  get unit(): Unit;
  set unit(unit: Partial<Unit>);
  /** Empties every field, note and the unit. */
  clear(): void;
  addEventListener(type: 'change' | 'score', listener: (event: CustomEvent<KpiAssessmentEventDetail>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: 'error', listener: (event: CustomEvent<KpiAssessmentErrorDetail>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'kpi-assessment': KpiAssessment;
  }
}
