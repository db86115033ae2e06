// What became of each form on one judged page load: started, submitted through, or abandoned, and where the visitor gave up; pure.
import type { FormAbandonmentDetails, FrictionFlag } from '../api-types';
import { normalizePageUrl } from '../analysis/normalize-page-url';
import type { PageSignal, ViewSignal } from '../analysis/page-signals';
import { FORM_ABANDONMENT_DEFAULTS } from '../detectors/detector-thresholds';
import { originOf, submitOutcome } from '../detectors/submit-outcome';
import { viewUrlAt } from '../heatmaps/page-placement';

/** One form (its recorded selector) used on one page URL of the page load. */
export interface FormOutcome {
  form: string;
  /** Origin and path of the page view it was used on (no query or fragment), as friction and heatmaps group pages. */
  path: string;
  /** A submit of it went through on this page load. */
  submitted: boolean;
  /** The form abandonment detector flagged it: started, then left without a submit that went through. */
  abandoned: boolean;
  /** The last abandonment's moment (its drop-off field's last signal); without one, the first submit that went through. */
  ts: number;
  /** Where the last abandonment gave up; null when it was not abandoned. */
  dropOffField: string | null;
  /** Fields the abandoning visitor touched, with their labels ('' when none): empty unless abandoned. */
  fields: Array<{ field: string; label: string }>;
  /** Validation messages the abandoning visitor saw, per field, each once. */
  errors: Array<{ field: string; message: string }>;
}

/**
 * `signals` are the page's in time order; `flags` the judgement's. A form is in the result when the
 * detector flagged it abandoned (it flags only forms the visitor started, by its own rule, and only
 * once the page is complete) or a submit of it went through, judged by the detector's submitOutcome
 * as form goals are. Abandonments of fields outside any form are left out: no submit can be
 * counted for them, so they have no rate. Two abandonments of one form on one URL (the visitor came
 * back to that route) make one outcome whose drop-off is the later one's.
 */
export function formOutcomes(signals: readonly PageSignal[], flags: readonly FrictionFlag[], pageUrl: string): FormOutcome[] {
  const outcomes = new Map<string, FormOutcome>();
  const outcomeOf = (form: string, url: string, ts: number) => {
    const path = normalizePageUrl(url);
    const key = JSON.stringify([form, path]);
    let outcome = outcomes.get(key);
    if (!outcome) outcomes.set(key, (outcome = { form, path, submitted: false, abandoned: false, ts, dropOffField: null, fields: [], errors: [] }));
    return outcome;
  };

  const views = signals.filter((signal): signal is ViewSignal => signal.k === 'view');
  const origin = originOf(pageUrl);
  signals.forEach((signal, index) => {
    if (signal.k !== 'form' || signal.action !== 'submit') return;
    const scope = { form: signal.form, invalidFields: signal.invalidFields, origin, windowMs: FORM_ABANDONMENT_DEFAULTS.submitAnswerWindowMs };
    if (submitOutcome(signals, index, scope) !== 'through') return;
    const outcome = outcomeOf(signal.form, viewUrlAt(views, signal.t, pageUrl), signal.t);
    if (!outcome.submitted && !outcome.abandoned) outcome.ts = signal.t;
    outcome.submitted = true;
  });

  const labels = fieldLabels(signals);
  const abandonments = flags
    .filter((flag): flag is Extract<FrictionFlag, { type: 'form_abandonment' }> => flag.type === 'form_abandonment')
    .filter((flag) => !flag.details.outsideForm && flag.details.form !== '')
    .sort((a, b) => a.ts - b.ts);
  for (const { details, ts, url } of abandonments) {
    const outcome = outcomeOf(details.form, url || pageUrl, ts);
    outcome.abandoned = true;
    outcome.ts = ts;
    outcome.dropOffField = details.dropOffField;
    addFields(outcome, details, labels);
  }
  return [...outcomes.values()];
}

function addFields(outcome: FormOutcome, details: FormAbandonmentDetails, labels: ReadonlyMap<string, string>): void {
  const labelOf = (field: string) =>
    labels.get(field) || (field === details.dropOffField ? details.dropOffLabel : undefined) || details.validationErrors.find((e) => e.field === field && e.label)?.label || '';
  const touched = new Set([...details.fieldsTouched, ...(details.dropOffField ? [details.dropOffField] : [])]);
  for (const field of touched) if (!outcome.fields.some((known) => known.field === field)) outcome.fields.push({ field, label: labelOf(field) });
  for (const { field, message } of details.validationErrors) {
    if (!outcome.fields.some((known) => known.field === field)) outcome.fields.push({ field, label: labelOf(field) });
    if (!outcome.errors.some((known) => known.field === field && known.message === message)) outcome.errors.push({ field, message });
  }
}

/** Each field's latest non-empty label on the page: the flag keeps only the drop-off field's. */
function fieldLabels(signals: readonly PageSignal[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const signal of signals) if (signal.k === 'field' && signal.field.label) labels.set(signal.field.selector, signal.field.label);
  return labels;
}
