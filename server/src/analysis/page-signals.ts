// The detectors' input: one page load's recording reduced to the signals friction is judged on, in time order.
import type {
  ClickEffectKind,
  ClickTargetInfo,
  ErrorPayload,
  FieldRef,
  FormFieldPayload,
  PageViewTrigger,
} from '../../../recorder/src/wire/format';

/**
 * The analysis pass decodes each stored batch once and reduces its rrweb events to these (see
 * extract-signals.ts). They are kept per batch, so detection over a whole page reads this compact
 * form instead of inflating the page's batches again. Every signal has `t`, ms since epoch on the
 * client's clock, and `k`, its kind. Field names are short because a long page holds thousands.
 */
export type PageSignal =
  | SnapshotSignal
  | ViewSignal
  | ClickSignal
  | PointerDownSignal
  | MutationSignal
  | ScrollSignal
  | InputSignal
  | SelectionSignal
  | FieldSignal
  | FormSignal
  | EffectSignal
  | ErrorSignal
  | RequestFailedSignal
  | TrackSignal
  | IdentifySignal
  | StormSignal
  | EndSignal;

/** rrweb took a full snapshot (the page loaded, or recording resumed): the DOM was rebuilt, not changed by anyone. */
export interface SnapshotSignal {
  k: 'snapshot';
  t: number;
  /** Viewport size from the Meta event before it, when there was one. */
  width?: number;
  height?: number;
}

/** A page view: the page load itself ('load') or a single-page-app route change. */
export interface ViewSignal {
  k: 'view';
  t: number;
  url: string;
  title: string;
  trigger: PageViewTrigger;
  /** document.referrer of a load, when it had one (signals stored before it was kept have none). */
  referrer?: string;
}

/** A pointer click, from the recorder's frictionlens.click event. */
export interface ClickSignal {
  k: 'click';
  t: number;
  /** Page coordinates, CSS px. */
  x: number;
  y: number;
  /** Stable selector of the element under the pointer: a path of parts joined by '>', so an ancestor's selector is a prefix of it. */
  sel: string;
  /** MouseEvent.detail: 1 for a single click, 2 and 3 within a double or triple click; 1 when not sent. */
  count: number;
  modifier: boolean;
  /** What was pressed (the nearest interactive ancestor), when the recorder sent it. */
  target?: ClickTargetInfo;
}

/**
 * A mouse button or a finger went down (rrweb's MouseDown and TouchStart): where a press starts, and
 * with it the changes that answer it at pointerdown (a menu, a ripple); its click comes at the release.
 */
export interface PointerDownSignal {
  k: 'pointerdown';
  t: number;
}

/**
 * One rrweb mutation event. `nodes` are the ids of the nodes it changed: texts and attributes by
 * their node, additions and removals by their parent; at most MAX_MUTATION_NODES of them. A parent
 * that the same event added (a nested part of a new subtree) is not listed: only nodes that existed
 * before the event are.
 */
export interface MutationSignal {
  k: 'mutation';
  t: number;
  nodes: number[];
  /** Nodes were added or removed (not only texts or attributes changed). */
  structural: boolean;
  /** Adds + removes + texts + attributes, as rrweb counts them. */
  size: number;
}

/** The document or an element scrolled. */
export interface ScrollSignal {
  k: 'scroll';
  t: number;
  /** rrweb node id of what scrolled; the document is rrweb's node 1. */
  id: number;
}

/** A field's value or checked state changed (rrweb's input event; values are masked and not kept here). */
export interface InputSignal {
  k: 'input';
  t: number;
  id: number;
  /** Set for checkboxes and radios. */
  checked?: boolean;
}

/** The text selection changed. */
export interface SelectionSignal {
  k: 'selection';
  t: number;
  /** Nothing is selected now (a click that only clears a selection). */
  collapsed: boolean;
}

/** A form field's focus, blur, change or invalid, from the recorder's frictionlens.form-field event. */
export interface FieldSignal {
  k: 'field';
  t: number;
  action: FormFieldPayload['action'];
  field: FieldRef;
  empty: boolean;
  valid: boolean;
  validity: string[];
  message: string;
}

/** A form's submit or reset event. A submit the browser blocks for invalid fields never fires. */
export interface FormSignal {
  k: 'form';
  t: number;
  action: 'submit' | 'reset';
  form: string;
  fieldCount: number;
  invalidFields: string[];
}

/** A press that did something the DOM does not show: a picker, a popup, a download, a copy, or a press on a disabled control. */
export interface EffectSignal {
  k: 'effect';
  t: number;
  effect: ClickEffectKind;
  sel?: string;
}

/** An uncaught error or unhandled rejection. */
export interface ErrorSignal {
  k: 'error';
  t: number;
  kind: ErrorPayload['kind'];
  message: string;
  source?: string;
  line?: number;
}

/** A fetch or XHR that failed (status >= 400, or 0 for a network error). */
export interface RequestFailedSignal {
  k: 'request-failed';
  t: number;
  method: string;
  /** Without query string. */
  url: string;
  status: number;
  /** How long the request took: `t` is when it ended, so it started at t - durationMs. */
  durationMs: number;
  initiator: 'fetch' | 'xhr';
}

/** frictionlens.track(name) was called. */
export interface TrackSignal {
  k: 'track';
  t: number;
  name: string;
}

/** frictionlens.identify(userId) was called. */
export interface IdentifySignal {
  k: 'identify';
  t: number;
  userId: string;
}

/** Recording of DOM changes paused through a mutation storm, or resumed: while paused no mutation arrives, so nothing can be judged dead. */
export interface StormSignal {
  k: 'storm';
  t: number;
  action: 'paused' | 'resumed';
}

/** The page load ended: its final batch (sent on pagehide) arrived. `t` is the batch's last event time. */
export interface EndSignal {
  k: 'end';
  t: number;
}

/** A mutation event changing more nodes than this keeps only the first ones; detectors need a sample, not the whole set. */
export const MAX_MUTATION_NODES = 64;
