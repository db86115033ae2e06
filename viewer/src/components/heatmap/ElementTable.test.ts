// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeatmapElement } from '../../lib/contract';
import ElementSessions from './ElementSessions.svelte';
import ElementTable from './ElementTable.svelte';

const ELEMENTS: HeatmapElement[] = [
  { selector: '#place-order', label: 'button "Place order"', clicks: 12, rageClicks: 3, deadClicks: 1, errorClicks: 2 },
  { selector: '#main>div>img', label: null, clicks: 4, rageClicks: 0, deadClicks: 4, errorClicks: 0 },
];

let component: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (component) unmount(component);
  document.body.innerHTML = '';
});

describe('ElementTable', () => {
  it('shows each element with its clicks and friction, and says which one is chosen', () => {
    const chosen: Array<string | null> = [];
    component = mount(ElementTable, { target: document.body, props: { elements: ELEMENTS, selected: '#place-order', onselect: (s: string | null) => chosen.push(s) } });
    flushSync();
    const rows = [...document.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent!.replace(/\s+/g, ' ').trim()));
    expect(rows).toEqual([
      ['button "Place order" #place-order', '12', '3', '1', '2'],
      ['Element #main>div>img', '4', '0', '4', '0'],
    ]);
    const buttons = document.querySelectorAll('button');
    expect(buttons[0]!.getAttribute('aria-pressed')).toBe('true');
    buttons[1]!.click();
    buttons[0]!.click();
    expect(chosen).toEqual(['#main>div>img', null]);
  });
});

describe('ElementSessions', () => {
  it('links each session to its replay at the click', () => {
    const sessions = [{ sessionId: 'sess-0001', clickTs: Date.UTC(2026, 0, 5, 10), atMs: 61_000, clicks: 2, rageClicks: 2, deadClicks: 0, errorClicks: 0 }];
    component = mount(ElementSessions, { target: document.body, props: { status: 'ready', sessions } });
    flushSync();
    const link = document.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('#/sessions/sess-0001?t=61000');
    expect(document.querySelector('li')!.textContent).toContain('2 clicks · 2 rage');
  });
});
