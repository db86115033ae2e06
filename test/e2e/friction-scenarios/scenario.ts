// A labelled visit: where it starts, what the visitor does, and the friction a person watching the replay would flag.
import type { FrictionType } from '../../../server/src/api-types';
import type { Visitor } from './visitor';

export interface Scenario {
  name: string;
  /** Path on the scenario site (test/fixtures/pages/scenarios/). */
  path: string;
  /** What the visitor does; then they leave as `leave` says. */
  visit(visitor: Visitor): Promise<void>;
  /**
   * How the visit ends: 'elsewhere' (default) goes to another site in the same tab, 'close' closes
   * the tab, 'stay' leaves it open until the session goes idle.
   */
  leave?: 'elsewhere' | 'close' | 'stay';
  /**
   * The flags expected, by type: one entry per flag, the selector it must point at (a flag matches
   * when its selector contains the entry; '' matches any, e.g. an error with no trigger). Types not
   * listed expect no flag.
   */
  expect: Partial<Record<FrictionType, string[]>>;
  /** Page loads the visit makes (default 1): its friction is read once all of them are complete. */
  pages?: number;
}

/** Waits for a navigation to start, not for the next page's load: the visit goes on as the visitor would. */
export const COMMIT = { waitUntil: 'commit' } as const;
