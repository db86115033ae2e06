// Whether this page may record: the consent state at page start and after each consent() call.

/** sessionStorage key that remembers a decision for the tab's session: '1' granted, '0' refused. */
export const CONSENT_STORAGE_KEY = 'frictionlens.consent';

/**
 * - pending: data-consent="required" and no decision yet; nothing is recorded, stored or sent.
 * - granted / denied: the page's last consent() call in this session (granted without one when
 *   consent is not required).
 * - gpc: the browser sends Global Privacy Control and the tag respects it; final for the page.
 */
export type ConsentState = 'pending' | 'granted' | 'denied' | 'gpc';

/**
 * stored: the remembered decision, CONSENT_STORAGE_KEY's value; gpc: navigator.globalPrivacyControl
 * is true and the tag respects it.
 */
export function initialConsent(stored: string | null, required: boolean, gpc: boolean): ConsentState {
  if (gpc) return 'gpc';
  if (stored === '1') return 'granted';
  if (stored === '0') return 'denied';
  return required ? 'pending' : 'granted';
}

/** A consent(granted) call; nothing the page says overrides the browser's GPC signal. */
export function nextConsent(state: ConsentState, granted: boolean): ConsentState {
  return state === 'gpc' ? state : granted ? 'granted' : 'denied';
}
