// Types of kpi-wasm/host.js: the host page's side of the embed protocol (v1).
import type { Problem, Report, RuleSetDocument, SubmissionDocument, Unit, RuleSetInfo } from './index.js';

/** The protocol version this helper speaks (1). */
export const PROTOCOL_VERSION: 1;

/** What `set` may carry (any subset). */
export interface EmbedState {
  /** A built-in id, a URL on the embed page's server, or rule-set JSON text or object. */
  rules?: string | RuleSetDocument;
  submission?: SubmissionDocument | string;
  unit?: Partial<Unit>;
  /** Values by input id; OA strings such as "true", "否", "12", "3.5" are converted by field type. */
  values?: Record<string, unknown>;
  notes?: Record<string, string>;
  readonly?: boolean;
}

export interface EmbedOptions extends EmbedState {
  /** URL of the embed page (`https://kpi.example.com/embed.html`). Its server's EMBED_ORIGINS must name this page's origin. */
  src: string;
  /** The iframe's title (accessibility). Default 安全生产考核表. */
  title?: string;
  /** Size the iframe's height to the page's content on every kpi:resize. Default true. */
  autoResize?: boolean;
  /** Milliseconds to wait for the page's answer. Default 20000. */
  timeout?: number;
}

interface MessageBase { v: 1; id?: string | number }
export interface ReadyMessage extends MessageBase { type: 'kpi:ready'; rules: RuleSetInfo | null; builtIns: RuleSetInfo[] }
export interface StateMessage extends MessageBase {
  submission: SubmissionDocument | null;
  report: Report | null;
  problems: Problem[];
  /** No problems and a report: what a form would accept. */
  valid: boolean;
}
export interface ChangeMessage extends MessageBase { type: 'kpi:change'; submission: SubmissionDocument; report: Report | null; problems: Problem[] }
export interface ScoreMessage extends StateMessage { type: 'kpi:score'; cause: 'input' | 'load' | 'set' }
export interface SubmissionMessage extends StateMessage { type: 'kpi:submission' }
export interface ErrorMessage extends MessageBase { type: 'kpi:error'; code: string; message: string; problems: Problem[] }
export interface ResizeMessage extends MessageBase { type: 'kpi:resize'; height: number }

export interface KpiEmbedEventMap {
  ready: CustomEvent<ReadyMessage>;
  change: CustomEvent<ChangeMessage>;
  score: CustomEvent<ScoreMessage>;
  submission: CustomEvent<SubmissionMessage>;
  error: CustomEvent<ErrorMessage>;
  resize: CustomEvent<ResizeMessage>;
}

/** An Error from the page (`code`, `problems`) or from the helper (`host.timeout`, `host.destroyed`, `host.argument`). */
export interface EmbedError extends Error {
  code: string;
  problems: Problem[];
}

/** One embedded form (an iframe of embed.html) and its messages. */
export class KpiEmbed extends EventTarget {
  constructor(container: Element, options: EmbedOptions);
  readonly iframe: HTMLIFrameElement;
  /** The embed page's origin. */
  readonly origin: string;
  /** Resolves when the page is ready (and the options' state, if any, is set). */
  readonly ready: Promise<unknown>;
  /** Sets rules, submission, unit, values, notes, readonly; resolves with the page's answer, rejects with an EmbedError. */
  set(state: EmbedState): Promise<ScoreMessage>;
  /** The current submission, report, problems and validity. */
  get(): Promise<SubmissionMessage>;
  /** Removes the iframe and stops listening. */
  destroy(): void;
  addEventListener<K extends keyof KpiEmbedEventMap>(type: K, listener: (event: KpiEmbedEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}

/** Creates the iframe in `container` and returns its KpiEmbed. */
export function createEmbed(container: Element, options: EmbedOptions): KpiEmbed;
