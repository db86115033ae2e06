// frictionlens's own rrweb custom events (EventType.Custom): their tags and payloads, defined once.

/**
 * Tags are strings, never numbers, so stored data does not depend on declaration order.
 * No payload ever carries an input value, a request body or a query string.
 */
export const CUSTOM_EVENT_TAGS = {
  pageView: 'frictionlens.page-view',
  error: 'frictionlens.error',
  console: 'frictionlens.console',
  networkFailure: 'frictionlens.network-failure',
  formField: 'frictionlens.form-field',
  form: 'frictionlens.form',
  click: 'frictionlens.click',
  scrollDepth: 'frictionlens.scroll-depth',
  clickEffect: 'frictionlens.click-effect',
  identify: 'frictionlens.identify',
  track: 'frictionlens.track',
  storm: 'frictionlens.mutation-storm',
  recorderFault: 'frictionlens.recorder-fault',
  dropped: 'frictionlens.dropped',
} as const;

/** What started a page view: a page load or a single-page-app route change. */
export type PageViewTrigger = 'load' | 'push-state' | 'replace-state' | 'popstate' | 'hashchange';

export interface PageViewPayload {
  url: string;
  title: string;
  referrer: string;
  /** Absent on events recorded before route changes were tracked: read as 'load'. */
  trigger?: PageViewTrigger;
}

/** An uncaught error or unhandled promise rejection on the page. */
export interface ErrorPayload {
  kind: 'error' | 'unhandled-rejection';
  message: string;
  /** Script URL without query string, when the browser gives one. */
  source?: string;
  line?: number;
  column?: number;
  stack?: string;
}

export interface ConsolePayload {
  level: 'error' | 'warn';
  /** The logged arguments rendered as text, truncated. */
  message: string;
}

/** A fetch or XHR that failed: an HTTP status >= 400 or a network error (status 0). */
export interface NetworkFailurePayload {
  initiator: 'fetch' | 'xhr';
  method: string;
  /** Absolute URL without query string or fragment. */
  url: string;
  status: number;
  /** The network error's message when status is 0. */
  error?: string;
  durationMs: number;
}

/** Identity of a form field, stable across visits; never its value. */
export interface FieldRef {
  /** Stable CSS selector (see ClickPayload.selector). */
  selector: string;
  /** Tag plus type: 'input:email', 'select', 'textarea'. */
  kind: string;
  name?: string;
  /** Text of the field's label, truncated, when it has one. */
  label?: string;
  /** Selector of the field's form, when it has one. */
  form?: string;
}

export interface FormFieldPayload {
  action: 'focus' | 'blur' | 'change' | 'invalid';
  field: FieldRef;
  /** Whether the field was empty at that moment (the value itself is never sent). */
  empty: boolean;
  /** The field's constraint validity at that moment. */
  valid: boolean;
  /** Names of the ValidityState flags that are set, e.g. ['valueMissing']. */
  validity: string[];
  /** The validation message the browser or the site set, truncated. */
  validationMessage: string;
}

export interface FormPayload {
  action: 'submit' | 'reset';
  /** Selector of the form. */
  form: string;
  fieldCount: number;
  /** Selectors of fields that were invalid when the form was submitted. */
  invalidFields: string[];
}

/** A click, with what a heatmap needs to place it on any width of the same page. */
export interface ClickPayload {
  /** Page (document) coordinates in CSS pixels. */
  x: number;
  y: number;
  viewportWidth: number;
  viewportHeight: number;
  documentWidth: number;
  documentHeight: number;
  /**
   * Stable selector of the target: ids and data-testid where present, else tag and
   * :nth-of-type position; generated class names are never used.
   */
  selector: string;
  /** Position of the click inside the target's box, 0..1 from its left and top edges. */
  offsetX: number;
  offsetY: number;
  /** The target or an ancestor is position: fixed or sticky (it does not scroll with the page). */
  fixed: boolean;
  /**
   * The click's place in a multi-click as the browser counts it (MouseEvent.detail: 2 and 3 for a
   * double and triple click), so a detector can tell text selection from rage. Absent before it was sent.
   */
  clickCount?: number;
  /** A modifier key was held (Ctrl, Meta, Shift or Alt): the press may open a new tab or extend a selection. */
  modifier?: boolean;
  /** What was pressed, for a person reading a friction flag and for telling dead clicks from live ones. Absent before it was sent. */
  target?: ClickTargetInfo;
}

/**
 * The element a click acted on: the nearest interactive ancestor of the element under the pointer
 * (a link, a button, a field, a label, an element with a button-like role), else that element itself.
 */
export interface ClickTargetInfo {
  /** Tag plus type where it matters, as in FieldRef.kind: 'a', 'button', 'input:checkbox', 'label', 'img', 'div'. */
  kind: string;
  /** Its visible text or accessible name, trimmed and truncated to 60 characters; absent in masked or blocked parts of the page and for fields. */
  text?: string;
  /** Role attribute, when it has one ('button', 'tab', 'link'…). */
  role?: string;
  /** For links: the URL without query string or fragment, and whether it opens in another tab or window. */
  href?: string;
  newTab?: boolean;
  /** Text field, textarea, select or contenteditable: clicking it focuses or edits it. */
  editable?: boolean;
  /** Its computed cursor is a pointer: it looks clickable. */
  pointer?: boolean;
}

/** Deepest point of the page seen during one page view, sent when the page view ends. */
export interface ScrollDepthPayload {
  /** Bottom edge of the deepest viewport seen, in document pixels. */
  maxY: number;
  documentHeight: number;
  viewportHeight: number;
  /** maxY / documentHeight, 0..1. */
  fraction: number;
}

/**
 * Effects of a press that leave no trace in the DOM, so a later detector can tell a dead
 * click from a live one.
 */
export type ClickEffectKind = 'disabled-press' | 'window-open' | 'file-chooser' | 'date-picker' | 'download' | 'copy';

export interface ClickEffectPayload {
  effect: ClickEffectKind;
  /** Selector of the element pressed or acted on, when there is one. */
  selector?: string;
  /** For window-open and download: the URL without query string. */
  url?: string;
}

export interface IdentifyPayload {
  userId: string;
  traits: Record<string, string | number | boolean | null>;
}

export interface TrackPayload {
  name: string;
  props: Record<string, string | number | boolean | null>;
}

/** Recording of DOM mutations paused because the page changed too fast, and resumed. */
export interface StormPayload {
  action: 'paused' | 'resumed';
  /** Mutations seen in the window that triggered the pause, or skipped while paused. */
  mutations: number;
}

/** The recorder stopped after an internal fault; reported once. */
export interface RecorderFaultPayload {
  message: string;
  stack?: string;
}

/** Batches the recorder had to drop from its persisted queue (oldest first) because it was full. */
export interface DroppedPayload {
  batches: number;
  events: number;
  /**
   * Not dropped: left in the browser's storage as the page went (no room in the keepalive quota, or
   * kept back behind one that had none). They arrive with the visitor's next page load of the site,
   * if there is one. Sent in a batch of its own, after them, marked final.
   */
  parked?: true;
}

/** Payload type of each custom tag. */
export interface CustomEventPayloads {
  [CUSTOM_EVENT_TAGS.pageView]: PageViewPayload;
  [CUSTOM_EVENT_TAGS.error]: ErrorPayload;
  [CUSTOM_EVENT_TAGS.console]: ConsolePayload;
  [CUSTOM_EVENT_TAGS.networkFailure]: NetworkFailurePayload;
  [CUSTOM_EVENT_TAGS.formField]: FormFieldPayload;
  [CUSTOM_EVENT_TAGS.form]: FormPayload;
  [CUSTOM_EVENT_TAGS.click]: ClickPayload;
  [CUSTOM_EVENT_TAGS.scrollDepth]: ScrollDepthPayload;
  [CUSTOM_EVENT_TAGS.clickEffect]: ClickEffectPayload;
  [CUSTOM_EVENT_TAGS.identify]: IdentifyPayload;
  [CUSTOM_EVENT_TAGS.track]: TrackPayload;
  [CUSTOM_EVENT_TAGS.storm]: StormPayload;
  [CUSTOM_EVENT_TAGS.recorderFault]: RecorderFaultPayload;
  [CUSTOM_EVENT_TAGS.dropped]: DroppedPayload;
}

export type CustomEventTag = keyof CustomEventPayloads;

/** An rrweb custom event's data, typed by its tag. */
export type CustomEventData<T extends CustomEventTag = CustomEventTag> = { [K in T]: { tag: K; payload: CustomEventPayloads[K] } }[T];
