// A scripted visitor: real mouse presses at an element's centre, typing key by key, closing the tab or leaving the site.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';

/** Chromium's double-click interval: a press this soon after the last one, on the same spot, counts up (MouseEvent.detail). */
const MULTI_CLICK_MS = 500;
/** A quick typist. */
const KEY_DELAY_MS = 40;
/**
 * How much later than scripted a press of a row may reach the page. A starved machine can hand the
 * page a press most of a second late, turning one burst into two; the visit then no longer is what
 * its label says, and is reported off script (to be run again) rather than scored.
 */
const PRESS_LATE_SLACK_MS = 300;

export type Modifier = 'Alt' | 'Control' | 'Meta' | 'Shift';

export interface PressOptions {
  /** Presses in a row (default 1). */
  times?: number;
  /** From one press to the next (default 150 ms: an angry visitor). */
  gapMs?: number;
  /** Held through every press. */
  modifier?: Modifier;
}

export class Visitor {
  private lastPress = { x: NaN, y: NaN, at: -Infinity, count: 0 };
  /** Rows of presses the page got further apart than scripted (see PRESS_LATE_SLACK_MS). */
  readonly offScript: string[] = [];

  constructor(
    readonly page: Page,
    /** Another origin, where the visitor goes when they leave the site. */
    private readonly elsewhere: string,
  ) {}

  /** The element's centre in the viewport, scrolled into view first. */
  async centre(selector: string): Promise<{ x: number; y: number }> {
    const target = this.page.locator(selector);
    await target.scrollIntoViewIfNeeded();
    const box = await target.boundingBox();
    if (!box) throw new Error(`${selector} is not visible`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /**
   * Presses the element with the mouse as a person would: move, down, up. The browser's click count
   * goes up as a real mouse's does (pressed again within the double-click interval on the same spot).
   * Each press of a row is sent at its own time (`gapMs` after the one before) without waiting for
   * the browser to acknowledge the last, so a slow round trip on a busy machine does not stretch a
   * burst: the browser gets them in order, as a mouse would send them.
   */
  async press(selector: string, { times = 1, gapMs = 150, modifier }: PressOptions = {}): Promise<void> {
    const { x, y } = await this.centre(selector);
    const { mouse, keyboard } = this.page;
    if (times > 1) await this.notePresses();
    if (modifier) await keyboard.down(modifier);
    await mouse.move(x, y);
    const sent: Array<Promise<void>> = [];
    const start = Date.now();
    for (let i = 0; i < times; i++) {
      const wait = start + i * gapMs - Date.now();
      if (wait > 0) await sleep(wait);
      const last = this.lastPress;
      const count = last.x === x && last.y === y && Date.now() - last.at < MULTI_CLICK_MS ? last.count + 1 : 1;
      sent.push(mouse.down({ clickCount: count }), mouse.up({ clickCount: count }));
      this.lastPress = { x, y, at: Date.now(), count };
    }
    await Promise.all(sent);
    if (modifier) await keyboard.up(modifier);
    if (times > 1) await this.checkGaps(selector, times, gapMs);
  }

  /** Starts noting when the page gets each press (pointerdown: disabled controls get it too, click they do not). */
  private async notePresses(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as { visitorPresses?: number[] };
      if (!w.visitorPresses) addEventListener('pointerdown', () => w.visitorPresses!.push(Date.now()), true);
      w.visitorPresses = [];
    });
  }

  private async checkGaps(selector: string, times: number, gapMs: number): Promise<void> {
    // A press that navigates takes the page, and what it noted, with it: nothing to check then.
    const at = await this.page.evaluate(() => (window as unknown as { visitorPresses?: number[] }).visitorPresses ?? []).catch(() => []);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    if (at.length === times && gaps.every((gap) => gap <= gapMs + PRESS_LATE_SLACK_MS)) return;
    this.offScript.push(`${times} presses on ${selector} ${gapMs} ms apart reached the page ${at.length === times ? `with gaps of ${gaps.join(', ')} ms` : `${at.length} times`}`);
  }

  async doubleClick(selector: string): Promise<void> {
    const { x, y } = await this.centre(selector);
    await this.page.mouse.dblclick(x, y);
  }

  /** Three presses counted 1, 2, 3: selects a paragraph. */
  async tripleClick(selector: string): Promise<void> {
    const { x, y } = await this.centre(selector);
    await this.page.mouse.click(x, y, { clickCount: 3 });
  }

  /** Drags across an element's text from its left to its right edge, selecting it. */
  async selectText(selector: string): Promise<void> {
    const box = await this.page.locator(selector).boundingBox();
    if (!box) throw new Error(`${selector} is not visible`);
    const y = box.y + Math.min(10, box.height / 2);
    await this.page.mouse.move(box.x + 2, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width - 2, y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** Clicks into the field, then types key by key. */
  async typeInto(selector: string, text: string): Promise<void> {
    await this.press(selector);
    await this.type(text);
  }

  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: KEY_DELAY_MS });
  }

  async key(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** The visitor reads, thinks, waits: part of the visit's script, never a condition of the test. */
  async pause(ms: number): Promise<void> {
    await this.page.waitForTimeout(ms);
  }

  /** Closes the tab, running the page's unload handlers as a browser does. */
  async closeTab(): Promise<void> {
    if (!this.page.isClosed()) await this.page.close({ runBeforeUnload: true });
  }

  /** Goes to another site in the same tab. */
  async leaveSite(): Promise<void> {
    await this.page.goto(this.elsewhere);
  }
}
