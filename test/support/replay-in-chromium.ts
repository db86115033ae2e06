// Plays stored events in rrweb's own Replayer inside Chromium and reads what the replay shows.
import { fileURLToPath } from 'node:url';
import type { eventWithTime } from '@rrweb/types';
import type { Browser } from 'playwright-core';

const rrwebUmd = fileURLToPath(new URL('../../node_modules/rrweb/dist/rrweb.umd.cjs', import.meta.url));

export interface ReplayResult {
  /** innerText of the replayed document's body at the end of the recording. */
  text: string;
  /** Title of the replayed document at the end. */
  title: string;
}

/** Replays `events` to their end and returns what the last page looked like. */
export async function replayToEnd(browser: Browser, events: eventWithTime[]): Promise<ReplayResult> {
  const page = await browser.newPage();
  try {
    await page.setContent('<!doctype html><html><body><div id="root"></div></body></html>');
    await page.addScriptTag({ path: rrwebUmd });
    // Passed as unknown[]: inferring Playwright's serializable type of eventWithTime is too deep.
    return await page.evaluate(async (recorded: unknown[]) => {
      // Typed structurally: `typeof import('rrweb')` is too deep for the compiler here.
      type ReplayerLike = {
        getMetaData(): { totalTime: number };
        pause(timeOffset: number): void;
        iframe: HTMLIFrameElement;
      };
      type ReplayerClass = new (events: unknown[], config: Record<string, unknown>) => ReplayerLike;
      const { Replayer } = (window as unknown as { rrweb: { Replayer: ReplayerClass } }).rrweb;
      const replayer = new Replayer(recorded, {
        root: document.getElementById('root')!,
        mouseTail: false,
        showWarning: false,
      });
      replayer.pause(replayer.getMetaData().totalTime);
      // Let the replayer finish applying the last mutations.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const doc = replayer.iframe.contentDocument!;
      return { text: doc.body.innerText, title: doc.title };
    }, events as unknown[]);
  } finally {
    await page.close();
  }
}

/** Collapses whitespace so text from the live page and the replay compare line for line. */
export function normalizeText(text: string): string {
  return text.replace(/[ \t]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
}
