import { describe, expect, it } from 'vitest';
import type { PageSignal, ViewSignal } from '../analysis/page-signals';
import { deepestPerView, loadMoment, viewUrlAt } from './page-placement';

const view = (t: number, url: string): ViewSignal => ({ k: 'view', t, url, title: '', trigger: t ? 'push-state' : 'load' });
const views = [view(0, 'https://app.example/a'), view(5000, 'https://app.example/b')];

describe('page placement', () => {
  it('gives a click the URL of the view it happened in', () => {
    expect(viewUrlAt(views, 4999, '')).toBe('https://app.example/a');
    expect(viewUrlAt(views, 5000, '')).toBe('https://app.example/b');
    expect(viewUrlAt([], 10, 'https://app.example/load')).toBe('https://app.example/load');
  });

  it('counts the deepest depth of each view; a depth sent as the next view starts belongs to the view it ends', () => {
    const depths = [
      { id: 1, ts: 3000, maxY: 1200 }, // tab hidden in view a
      { id: 2, ts: 5000, maxY: 1900 }, // view a ends at the route change
      { id: 3, ts: 9000, maxY: 800 }, // view b ends
    ];
    expect(deepestPerView(depths, views)).toEqual(new Map([[2, 'https://app.example/a'], [3, 'https://app.example/b']]));
  });

  it('takes the page at its first snapshot, up to the visitor\'s first interaction', () => {
    const signals: PageSignal[] = [
      { k: 'snapshot', t: 100, width: 390, height: 844 },
      { k: 'mutation', t: 300, nodes: [5], structural: true, size: 4 },
      { k: 'scroll', t: 900, id: 1 },
      { k: 'click', t: 1500, x: 1, y: 1, sel: '#a', count: 1, modifier: false },
    ];
    expect(loadMoment(signals)).toEqual({ snapshotTs: 100, width: 390, height: 844, momentTs: 1500 });
    expect(loadMoment(signals.slice(0, 3))?.momentTs).toBeNull();
    expect(loadMoment([{ k: 'snapshot', t: 1 }])).toBeUndefined();
  });
});
