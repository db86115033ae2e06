import { expect, it } from 'vitest';
import { describeBothBackends, type TestBackend } from '../../../test/support/both-backends';
import type { FormOutcome } from '../forms/form-outcomes';

const T0 = 1_700_000_000_000;
const PATH = 'https://shop.example/contact';

async function session(backend: TestBackend, siteId: string, id: string, startedAt: number): Promise<void> {
  const { sessions, pages } = backend.repos;
  await sessions.insert({ id, siteId, startedAt, endedAt: startedAt + 9000, eventCount: 1, entryUrl: PATH, userAgent: null, browser: null, browserVersion: null, os: null, device: 'mobile', receivedAt: startedAt });
  for (const pageId of ['p1', 'p2']) await pages.insert({ sessionId: id, pageId, url: PATH, startedAt });
}

const abandoned = (ts: number, dropOffField: string, errors: FormOutcome['errors'] = []): FormOutcome => ({
  form: '#contact', path: PATH, submitted: false, abandoned: true, ts, dropOffField,
  fields: [{ field: 'email', label: 'Email' }, { field: 'phone', label: '' }], errors,
});
const submitted = (ts: number): FormOutcome => ({ form: '#contact', path: PATH, submitted: true, abandoned: false, ts, dropOffField: null, fields: [], errors: [] });

describeBothBackends('form outcomes and form report repositories', (backend) => {
  it('ranks forms by abandonment, gives each field’s drop-off and the abandoning sessions, a page at a time', async () => {
    const { sites, forms } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    for (const [index, id] of ['a', 'b', 'c', 'd'].entries()) await session(backend(), site.id, id, T0 + index * 1000);
    await forms.outcomes.replaceForPage({ siteId: site.id, sessionId: 'a', pageId: 'p1' }, [abandoned(T0 + 10, 'email', [{ field: 'email', message: 'Invalid email' }])]);
    await forms.outcomes.replaceForPage({ siteId: site.id, sessionId: 'b', pageId: 'p1' }, [abandoned(T0 + 1010, 'phone')]);
    // Abandoned on one page load, submitted on the next: not an abandoner.
    await forms.outcomes.replaceForPage({ siteId: site.id, sessionId: 'c', pageId: 'p1' }, [abandoned(T0 + 2010, 'email')]);
    await forms.outcomes.replaceForPage({ siteId: site.id, sessionId: 'c', pageId: 'p2' }, [submitted(T0 + 2020)]);
    await forms.outcomes.replaceForPage({ siteId: site.id, sessionId: 'd', pageId: 'p1' }, [abandoned(T0 + 3010, 'email', [{ field: 'email', message: 'Required' }])]);
    // Judged again: the page's outcome is replaced.
    await forms.outcomes.replaceForPage({ siteId: site.id, sessionId: 'd', pageId: 'p1' }, [abandoned(T0 + 3010, 'email', [{ field: 'email', message: 'Invalid email' }])]);

    const range = { siteId: site.id, from: T0, to: T0 + 60_000 };
    const key = { form: '#contact', path: PATH };
    expect(await forms.report.forms(range, 10)).toEqual([{ form: '#contact', path: PATH, started: 4, submitted: 1, abandoned: 3 }]);
    expect(await forms.report.counts(range, key)).toEqual({ ...key, started: 4, submitted: 1, abandoned: 3 });
    expect(await forms.report.counts(range, { form: '#none', path: PATH })).toEqual({ form: '#none', path: PATH, started: 0, submitted: 0, abandoned: 0 });
    expect(await forms.report.fields(range, key)).toEqual([
      { field: 'email', label: 'Email', touched: 3, lastTouched: 2, errored: 2, topMessage: 'Invalid email', topMessageSessions: 2 },
      { field: 'phone', label: '', touched: 3, lastTouched: 1, errored: 0, topMessage: null, topMessageSessions: 0 },
    ]);
    const first = await forms.report.abandoningSessions(range, key, { field: null, before: null, limit: 2 });
    expect(first).toEqual([
      { sessionId: 'd', startedAt: T0 + 3000, endedAt: T0 + 12_000, device: 'mobile', ts: T0 + 3010, dropOffField: 'email', dropOffLabel: 'Email', dropOffMessage: 'Invalid email' },
      { sessionId: 'b', startedAt: T0 + 1000, endedAt: T0 + 10_000, device: 'mobile', ts: T0 + 1010, dropOffField: 'phone', dropOffLabel: null, dropOffMessage: null },
    ]);
    const next = await forms.report.abandoningSessions(range, key, { field: null, before: { ts: T0 + 1010, sessionId: 'b' }, limit: 2 });
    expect(next.map((row) => row.sessionId)).toEqual(['a']);
    expect((await forms.report.abandoningSessions(range, key, { field: 'phone', before: null, limit: 5 })).map((row) => row.sessionId)).toEqual(['b']);
    expect(await forms.report.countAbandoning(range, key, null)).toBe(3);
    expect(await forms.report.countAbandoning(range, key, 'email')).toBe(2);
  });
});
