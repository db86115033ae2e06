// The player's keyboard shortcuts: which key does what, and when a key belongs to the control it was pressed in instead.

export type ShortcutAction = 'toggle-play' | 'back' | 'forward' | 'next-friction' | 'previous-friction' | 'help';

/** How far the arrow keys move the replay. */
export const SEEK_STEP_MS = 5000;

/** For the help overlay, in the order shown. */
export const PLAYER_SHORTCUTS: ReadonlyArray<{ keys: string[]; does: string; action: ShortcutAction }> = [
  { keys: ['Space', 'K'], does: 'Play or pause', action: 'toggle-play' },
  { keys: ['←'], does: `Back ${SEEK_STEP_MS / 1000} seconds`, action: 'back' },
  { keys: ['→'], does: `Forward ${SEEK_STEP_MS / 1000} seconds`, action: 'forward' },
  { keys: ['N'], does: 'Next friction', action: 'next-friction' },
  { keys: ['P'], does: 'Previous friction', action: 'previous-friction' },
  { keys: ['?'], does: 'Show these shortcuts', action: 'help' },
];

const KEYS: Record<string, ShortcutAction> = {
  ' ': 'toggle-play',
  k: 'toggle-play',
  K: 'toggle-play',
  ArrowLeft: 'back',
  ArrowRight: 'forward',
  n: 'next-friction',
  N: 'next-friction',
  p: 'previous-friction',
  P: 'previous-friction',
  '?': 'help',
};

/** Where every key is text: no shortcut fires while someone types. */
const TYPING =
  'input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]):not([type=reset]):not([type=range]), textarea, select, [contenteditable]:not([contenteditable="false"])';
/** Controls that Space presses (or toggles) natively. */
const SPACE_ACTS = 'button, a[href], summary, input, [role=button], [role=checkbox], [role=switch], [role=menuitem], [role=tab]';
/** Controls that the arrow keys move natively. */
const ARROWS_ACT = 'input[type=range], input[type=radio], [role=slider], [role=radio], [role=tab], [role=listbox], [role=menu]';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | null;
}

/** The action a keydown asks for, or null when the key is not a shortcut there (typing, a browser shortcut, the control's own key). */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return null;
  const action = KEYS[event.key];
  if (!action) return null;
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest(TYPING)) return null;
  if (event.key === ' ' && target?.closest(SPACE_ACTS)) return null;
  if ((action === 'back' || action === 'forward') && target?.closest(ARROWS_ACT)) return null;
  return action;
}
