// Types of kpi-wasm/element: the <kpi-assessment> custom element (a drop-in assessment form).
import type { Engine, Form, InputType, Problem, Report, RuleSetDocument, RuleSetInfo, SubmissionDocument, Unit } from './index.js';

/** The engine's limit on a rule-set or submission document, in bytes (8 MiB). */
export const MAX_DOCUMENT_BYTES: number;

/** JSON.parse that keeps every number as its literal text (a string), never a binary float. */
export function parseJsonExact(text: string): unknown;

/** Parses submission JSON text (numbers kept as text); throws an Error with `problems` when it is not JSON. */
export function parseSubmissionText(text: string): SubmissionDocument;

/**
 * One value converted by its field's type where the meaning is unambiguous (what the element does
 * with every value it is given): "true"/"false"/"是"/"否"/"1"/"0" for a yes/no field, a number's text
 * trimmed with full-width digits made ASCII, "" as empty (null). Anything else is returned as given.
 */
export function coerceValue(value: unknown, input?: { type: InputType; options?: string[] }): unknown;

/** What `kpi-change` and `kpi-score` (and the older `change` and `score`) events carry. */
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

/** What `kpi-error` (and the older `error`) events carry. */
export interface KpiAssessmentErrorDetail {
  error: Error & { code?: string; path?: string; problems?: Problem[] };
  problems: Problem[];
}

export interface KpiAssessmentEventMap extends HTMLElementEventMap {
  /** A user's edit. Bubbles and is composed. */
  'kpi-change': CustomEvent<KpiAssessmentEventDetail>;
  /** Every recomputation (edits, loads). Bubbles and is composed. */
  'kpi-score': CustomEvent<KpiAssessmentEventDetail>;
  /** Rules or values that did not load (attribute, property set before definition, URL). Bubbles and is composed. */
  'kpi-error': CustomEvent<KpiAssessmentErrorDetail>;
  /** Older name of kpi-change: fired on the element only (does not bubble). */
  change: CustomEvent<KpiAssessmentEventDetail> & Event;
  /** Older name of kpi-score: fired on the element only. */
  score: CustomEvent<KpiAssessmentEventDetail>;
  /** Older name of kpi-error: fired on the element only. */
  error: CustomEvent<KpiAssessmentErrorDetail> & ErrorEvent;
}

/**
 * `<kpi-assessment rules="subdistrict" name="assessment">`: renders the form of a rule set and
 * scores it on every input. A form-associated custom element: inside a <form>, with a `name`, it
 * submits the submission's JSON, and its problems block the submit like a native field's.
 *
 * Attributes: `rules` (a built-in id or the URL of a rule-set JSON), `values` (JSON object of values),
 * `unit-id`, `unit-name`, `readonly`, `disabled`, `name`.
 * Events: `kpi-change`, `kpi-score`, `kpi-error` (see KpiAssessmentEventMap).
 * Properties set before the element is defined are taken over when it upgrades.
 */
export class KpiAssessment extends HTMLElement {
  static readonly formAssociated: true;
  /**
   * Resolves once the rules (and values) given by attributes or set before them are loaded; never
   * rejects (a failure is a `kpi-error` event). Undefined before the element is defined: await
   * `customElements.whenDefined('kpi-assessment')` first.
   */
  readonly ready: Promise<void>;
  /** The loaded rule set's identity; set a built-in id, rule-set JSON text or an object (throws if it does not load). */
  get rules(): RuleSetInfo | null;
  set rules(value: string | RuleSetDocument);
  /** Loads a rule set and, optionally, a submission into it; throws and changes nothing on failure. */
  setRules(rules: string | RuleSetDocument | Engine, submission?: SubmissionDocument | string): void;
  /** A revised version of the loaded rule set with the same form: keeps the values, scores again; false (nothing changed) when the form differs. The element does not free the engine. */
  replaceEngine(engine: Engine): boolean;
  /** The engine in use (owned by the element: do not free it). */
  readonly engine: Engine | null;
  /** The form description being shown (not the owner <form>: that is `ownerForm`). */
  readonly form: Form | null;
  /** The last report, or null. */
  readonly report: Report | null;
  /** The engine's problems with the current values. */
  readonly problems: Problem[];
  /**
   * The submission being edited, or null before rules are loaded; set a document or JSON text to load
   * one (throws with `problems` if it cannot be shown; kept and applied once rules load if there are none yet).
   */
  get submission(): SubmissionDocument | null;
  set submission(value: SubmissionDocument | string);
  /** Problems that keep a submission from loading (into this form, or into `rules`' form). */
  checkSubmission(submission: SubmissionDocument | string, rules?: string | RuleSetDocument): Problem[];
  /**
   * Values by input id: decimals as strings ("97.5"), booleans for bool, option text for choice.
   * Set an object (or its JSON text); OA strings such as "true", "否", "12", "3.5" are converted by
   * each field's type (a `submission` document is not: it is read as its format says).
   */
  get values(): SubmissionDocument['values'];
  set values(values: Record<string, unknown> | string);
  get notes(): Record<string, string>;
  set notes(notes: Record<string, string>);
  get unit(): Unit;
  set unit(unit: Partial<Unit> | { id?: string | number; name?: string });
  /** The submission as JSON text (what a <form> submits under `name`); "" before rules are loaded. */
  get value(): string;
  set value(text: string);
  /** Empties every field, note and the unit. */
  clear(): void;
  /** Reflects the `name` attribute. */
  name: string;
  /** Reflects the `readonly` attribute: every control disabled, not validated. */
  readonly: boolean;
  /** Reflects the `disabled` attribute (a disabled <fieldset> disables it too). */
  disabled: boolean;
  /** "kpi-assessment". */
  readonly type: string;
  /** The <form> this element belongs to, or null. */
  readonly ownerForm: HTMLFormElement | null;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  checkValidity(): boolean;
  /** Shows the first problem's message at its field (and focuses it); false when invalid. */
  reportValidity(): boolean;
  addEventListener<K extends keyof KpiAssessmentEventMap>(type: K, listener: (this: KpiAssessment, event: KpiAssessmentEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof KpiAssessmentEventMap>(type: K, listener: (this: KpiAssessment, event: KpiAssessmentEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'kpi-assessment': KpiAssessment;
  }
}
