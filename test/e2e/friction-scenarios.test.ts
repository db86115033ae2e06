// End to end: labelled visits in Chromium, recorded and analysed by the real server, scored per friction detector.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageSignal } from '../../server/src/analysis/page-signals';
import type { FormAbandonmentDetails, FrictionFlag } from '../../server/src/api-types';
import { startScenarioSite, type ScenarioSite } from '../support/scenario-site';
import { DEAD_SCENARIOS, RAGE_SCENARIOS } from './friction-scenarios/click-scenarios';
import { ERROR_SCENARIOS } from './friction-scenarios/error-scenarios';
import { FORM_SCENARIOS } from './friction-scenarios/form-scenarios';
import type { Scenario } from './friction-scenarios/scenario';
import { formatScores, scoreDetectors, scoreVisit } from './friction-scenarios/score';
import { Visitor } from './friction-scenarios/visitor';
import { beatOnDeadPress } from './friction-scenarios/beat-on-dead-press';

/** The issue's target for every detector's precision and recall… */
const TARGET = 0.95;
/** …and the floor below which the suite fails. */
const FLOOR = 0.9;
/** Visitors at once, each in a browser profile of its own, one visit after the other, each in a new tab. */
const CONCURRENT_VISITS = 4;
/**
 * Tries of a visit the browser did not run as scripted on a starved machine: presses that reached
 * the page later than scripted (visitor.ts), or a dead press the page's own tick answered by chance
 * (beat-on-dead-press.ts).
 */
const OFF_SCRIPT_TRIES = 3;
/**
 * Visits left unscored because their presses were off script on every try: the browser never did
 * what the label describes, so no flag can be judged right or wrong. More than this many means the
 * machine cannot run the suite, and it fails.
 */
const MAX_UNSCORED_VISITS = 4;

const SCENARIOS: Scenario[] = [...RAGE_SCENARIOS, ...DEAD_SCENARIOS, ...FORM_SCENARIOS, ...ERROR_SCENARIOS];

interface Outcome {
  scenario: Scenario;
  flags: FrictionFlag[];
  /** The final batch of a page never arrived (the browser dropped its keepalive request): what it held is missing. */
  finalMissing: boolean;
  /** What the detectors read, page by page, for the failure message. */
  signals: PageSignal[][];
  /** Rows of presses the page got later than scripted, on the last try (see visitor.ts). */
  offScript: string[];
}

/** One line per page: each signal's kind and ms from the page's first, with its selector or nodes where it has them. */
function describeSignals(signals: readonly PageSignal[]): string {
  const t0 = signals[0]?.t ?? 0;
  return signals
    .map((s) => `${s.t - t0}:${s.k}${s.k === 'click' ? `(${s.sel},${s.count})` : s.k === 'mutation' ? `(${s.nodes.slice(0, 4).join(',')})` : s.k === 'field' ? `(${s.action} ${s.field.selector})` : ''}`)
    .join(' ');
}

describe('friction detectors on labelled visits', () => {
  let site: ScenarioSite;
  const outcomes = new Map<string, Outcome>();

  /** A visit, run again (up to OFF_SCRIPT_TRIES times) while the browser got its presses later than scripted. */
  async function run(profile: BrowserContext, scenario: Scenario): Promise<Outcome> {
    for (let tries = 1; ; tries++) {
      const { outcome, offScript } = await runOnce(profile, scenario);
      if (!offScript.length || tries === OFF_SCRIPT_TRIES) return { ...outcome, offScript };
      offScriptRuns.push(`${scenario.name}, try ${tries}: ${offScript.join('; ')}`);
    }
  }

  async function runOnce(profile: BrowserContext, scenario: Scenario): Promise<{ outcome: Outcome; offScript: string[] }> {
    const visit = await site.open(profile, scenario.path);
    try {
      const visitor = new Visitor(visit.page, site.elsewhere);
      await scenario.visit(visitor);
      const leave = scenario.leave ?? 'elsewhere';
      if (leave === 'close') await visitor.closeTab();
      else if (leave === 'elsewhere') await visitor.leaveSite();
      const { flags, finalMissing } = await visit.friction(scenario.pages ?? 1, leave === 'stay' ? undefined : Date.now());
      const signals = visit.signals();
      return { outcome: { scenario, flags, finalMissing, signals, offScript: [] }, offScript: [...visitor.offScript, ...beatOnDeadPress(scenario, signals)] };
    } catch (error) {
      throw new Error(`visit "${scenario.name}" failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      for (const tab of profile.pages()) await tab.close();
    }
  }

  let visitsMs = 0;
  /** Tries set aside because the page got its presses off script, for the log. */
  const offScriptRuns: string[] = [];

  beforeAll(async () => {
    site = await startScenarioSite();
    const started = Date.now();
    const queue = [...SCENARIOS];
    const visitor = async () => {
      const profile = await site.newProfile();
      for (let next = queue.shift(); next; next = queue.shift()) outcomes.set(next.name, await run(profile, next));
      await profile.close();
    };
    await Promise.all(Array.from({ length: CONCURRENT_VISITS }, visitor));
    visitsMs = Date.now() - started;
    // Minutes on a machine busy with other work: every step of every visit waits on the event itself.
  }, 900_000);

  afterAll(async () => {
    await site?.close();
  });

  const flagsOf = (name: string) => outcomes.get(name)?.flags ?? [];

  it(`has at least 30 visits, positives and look-alike negatives for every detector, and reaches precision and recall of ${FLOOR} (target ${TARGET}) on each`, () => {
    const unscored = SCENARIOS.filter((scenario) => outcomes.get(scenario.name)?.offScript.length);
    const scored = SCENARIOS.filter((scenario) => !unscored.includes(scenario));
    const visits = scored.map((scenario) => scoreVisit(scenario, flagsOf(scenario.name)));
    const scores = scoreDetectors(visits, scored);
    console.log(formatScores(scores, visits.length));
    console.log(`${visits.length} visits, ${CONCURRENT_VISITS} at a time, in ${(visitsMs / 1000).toFixed(0)} s`);
    for (const run of offScriptRuns) console.log(`  run again, off script: ${run}`);
    for (const scenario of unscored) console.log(`  not scored, off script on every try: ${scenario.name}: ${outcomes.get(scenario.name)!.offScript.join('; ')}`);
    for (const visit of visits) {
      const wrong = Object.entries(visit.byType).filter(([, tally]) => tally.fp || tally.fn);
      if (!wrong.length) continue;
      const outcome = outcomes.get(visit.scenario);
      const lost = outcome?.finalMissing ? ' (the last batch of a page never arrived)' : '';
      console.log(`  off: ${visit.scenario}: ${wrong.map(([type, t]) => `${type} ${t.fp} extra, ${t.fn} missed`).join('; ')}${lost}`);
      for (const flag of flagsOf(visit.scenario)) console.log(`    ${flag.type} ${flag.selector}: ${flag.reason}`);
      for (const page of outcome?.signals ?? []) console.log(`    signals: ${describeSignals(page)}`);
    }
    expect(outcomes.size).toBe(SCENARIOS.length);
    expect(unscored.length).toBeLessThanOrEqual(MAX_UNSCORED_VISITS);
    expect(scored.length).toBeGreaterThanOrEqual(30);
    for (const score of scores) {
      expect(score.positives, score.type).toBeGreaterThanOrEqual(3);
      expect(score.negatives, score.type).toBeGreaterThanOrEqual(3);
      expect(score.precision, `${score.type} precision`).toBeGreaterThanOrEqual(FLOOR);
      expect(score.recall, `${score.type} recall`).toBeGreaterThanOrEqual(FLOOR);
    }
  });

  it('says what it saw in a sentence, with the evidence behind it', () => {
    const only = (name: string, type: FrictionFlag['type']) => flagsOf(name).filter((flag) => flag.type === type);
    const [rage] = only('rage: an Apply button that does nothing, pressed 5 times', 'rage_click');
    expect(rage?.reason).toMatch(/^5 clicks in [\d.]+ s on 'Apply' and nothing on the page changed\.$/);
    expect(rage?.details).toMatchObject({ clicks: 5, clicksWithEffect: 0, targetText: 'Apply' });

    const [pay] = only('dead: a disabled Pay button pressed once', 'dead_click');
    expect(pay?.details).toMatchObject({ disabled: true, windowMs: 2000 });
    expect(pay?.reason).toBe('Clicked a disabled control and nothing on the page changed within 2 s.');

    const [tabbed] = only('abandoned: a click into the email field, Tab to the next, then off to another site', 'form_abandonment');
    expect(tabbed?.details).toMatchObject({ form: '#checkout', fieldsTouched: ['#email', '#full-name'], dropOffField: '#full-name', blockedSubmits: 0, ending: 'left-page' });
    const [refused] = only('abandoned: a submit the browser refused (postcode pattern), then off to another site', 'form_abandonment');
    expect(refused?.details).toMatchObject({ dropOffField: '#postcode', blockedSubmits: 1 });
    expect((refused?.details as FormAbandonmentDetails).validationErrors.map((error) => error.field)).toEqual(['#postcode']);
    expect(refused?.reason).toMatch(/^Started the checkout form, got to 'Postcode' \(error: '.+'\), tried to submit once without getting through, and left\.$/);

    const [failing] = only('loop: a contact form whose server answers 500, sent twice', 'error_loop');
    expect(failing?.details).toMatchObject({ pattern: 'action-error', count: 2, trigger: '#contact', error: `POST ${site.origin}/api/fail → 500` });
    const [widget] = only('loop: a widget throws the same error 3 times in 3 s (ids and timings differ)', 'error_loop');
    expect(widget?.details).toMatchObject({ pattern: 'repeated-error', count: 3, error: 'Error: Failed to render recommendation <num> after <num>' });
  });
});
