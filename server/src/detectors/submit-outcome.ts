// Judges what became of one form submit from the signals after it: it went through, was blocked, or got no answer.
import type { PageSignal } from '../analysis/page-signals';
import type { FieldRef } from '../../../recorder/src/wire/format';

export type SubmitOutcome = 'through' | 'blocked' | 'unanswered';

export interface SubmitScope {
  /** The form's selector; null for fields outside any form, "submitted" by a button press. */
  form: string | null;
  /** Fields that were invalid when the submit event ran (constraint validation or aria-invalid). */
  invalidFields: readonly string[];
  /** Origin of the page: only the site's own failed requests say the submit was refused. */
  origin: string;
  windowMs: number;
}

/**
 * `index` is the submit (or the button press standing in for one). What follows is read up to the
 * visitor's next move on the form (a focus or change on one of its fields, or its next submit):
 * - blocked: fields invalid at submit; or, within the window, a field of the form reported invalid
 *   (the browser's `invalid`, or a site's own validation, which the recorder reads after the site's
 *   handlers ran), or a failed request to the page's own origin (a third party's, such as a blocked
 *   tracker, says nothing about the form). Evidence of blocking wins over a later navigation.
 * - through: the page ended or the app changed route with the visitor doing nothing in between
 *   (however long it took), or the DOM changed within the window (a success message).
 * - unanswered: none of these; nothing the visitor could see happened.
 */
export function submitOutcome(signals: readonly PageSignal[], index: number, scope: SubmitScope): SubmitOutcome {
  if (scope.invalidFields.length) return 'blocked';
  const start = signals[index]!.t;
  const owns = (field: FieldRef) => (field.form ?? null) === scope.form;
  let answered = false;
  let acted = false;
  for (let i = index + 1; i < signals.length; i++) {
    const signal = signals[i]!;
    const inWindow = signal.t - start <= scope.windowMs;
    switch (signal.k) {
      case 'field':
        if (!owns(signal.field)) break;
        if (inWindow && (signal.action === 'invalid' || !signal.valid)) return 'blocked';
        if (signal.action === 'focus' || signal.action === 'change') return answered ? 'through' : 'unanswered';
        break;
      case 'form':
        if (signal.action === 'submit' && signal.form === scope.form) return answered ? 'through' : 'unanswered';
        break;
      case 'request-failed':
        if (inWindow && ownRequest(signal.url, signal.status, scope.origin)) return 'blocked';
        break;
      case 'mutation':
        if (inWindow) answered = true;
        break;
      case 'click':
        acted = true;
        break;
      case 'view':
        if (signal.trigger !== 'load') return acted && !answered ? 'unanswered' : 'through';
        break;
      case 'end':
        return acted && !answered ? 'unanswered' : 'through';
    }
    // Past the window only a navigation with no click before it can still change the answer.
    if (!inWindow && acted) break;
  }
  return answered ? 'through' : 'unanswered';
}

/** A request to the page's own origin; without a known origin, any HTTP error (status 0 is too often a blocked tracker). */
export function ownRequest(url: string, status: number, origin: string): boolean {
  return origin ? url === origin || url.startsWith(origin + '/') : status > 0;
}

/** The last URL asked about and its origin: two detectors ask for every page judged, and parsing a URL (throwing, for one without an origin) costs more than some detectors. */
let lastOrigin = { url: '', origin: '' };

/** The origin of a page URL, '' when it has none. */
export function originOf(url: string): string {
  if (url === lastOrigin.url) return lastOrigin.origin;
  let origin = '';
  try {
    origin = new URL(url).origin;
  } catch {
    // No origin: a relative or empty URL.
  }
  lastOrigin = { url, origin: origin === 'null' ? '' : origin };
  return lastOrigin.origin;
}
