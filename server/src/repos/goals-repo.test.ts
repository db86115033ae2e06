import { expect, it } from 'vitest';
import { describeBothBackends } from '../../../test/support/both-backends';

describeBothBackends('goals, goal changes and goal jobs repositories', (backend) => {
  async function site(name = 'Shop') {
    return backend().repos.sites.create({ name, origins: [] });
  }

  it('creates, lists, reads and deletes goals of each kind', async () => {
    const { goals } = backend().repos.conversions;
    const shop = await site();
    const other = await site('Other');
    const page = await goals.create(shop.id, { name: 'Thanks', kind: 'page', pattern: '/thanks*' }, 1000);
    const event = await goals.create(shop.id, { name: 'Signed up', kind: 'event', event: 'signup' }, 2000);
    const form = await goals.create(shop.id, { name: 'Contact', kind: 'form', pattern: '/contact', selector: '#contact' }, 3000);
    await goals.create(other.id, { name: 'Elsewhere', kind: 'event', event: 'x' }, 500);
    expect(page).toEqual({ id: page.id, siteId: shop.id, name: 'Thanks', version: 1, definition: { kind: 'page', pattern: '/thanks*' }, createdAt: 1000, updatedAt: 1000 });
    expect((await goals.listBySite(shop.id)).map((goal) => goal.definition)).toEqual([page.definition, event.definition, form.definition]);
    expect(await goals.get(form.id)).toEqual(form);
    expect(await goals.delete(event.id)).toBe(true);
    expect(await goals.delete(event.id)).toBe(false);
    expect(await goals.get(event.id)).toBeUndefined();
  });

  it('bumps the version only when the definition changes, not the name', async () => {
    const { goals } = backend().repos.conversions;
    const goal = await goals.create((await site()).id, { name: 'A', kind: 'page', pattern: '/a' }, 1000);
    const renamed = await goals.update(goal.id, { name: 'B', kind: 'page', pattern: '/a' }, 2000);
    expect(renamed).toMatchObject({ definitionChanged: false, goal: { name: 'B', version: 1, updatedAt: 2000 } });
    const redefined = await goals.update(goal.id, { name: 'B', kind: 'event', event: 'a' }, 3000);
    expect(redefined).toMatchObject({ definitionChanged: true, goal: { version: 2, definition: { kind: 'event', event: 'a' } } });
    expect(await goals.update('nope', { name: 'B', kind: 'page', pattern: '/a' }, 4000)).toBeUndefined();
  });

  it('starts a job with the goal; a redefinition starts it again for the new version, a rename does not', async () => {
    const { changes, goalJobs } = backend().repos.conversions;
    const shop = await site();
    await backend().exec('INSERT INTO sessions (site_id, id, started_at, ended_at, entry_url, device, received_at, updated_at) VALUES (?, ?, 1, 2, ?, ?, 1, 1)', [shop.id, 's1', 'https://shop.example/', 'desktop']);
    const goal = await changes.create(shop.id, { name: 'A', kind: 'page', pattern: '/a' }, 1000);
    expect(await goalJobs.status(goal.id)).toEqual({ state: 'pending', done: 0, total: 1, finishedAt: null, error: null });
    expect(await goalJobs.openCount()).toBe(1);

    const claimed = await goalJobs.claim(2000, 60_000);
    expect(claimed).toEqual({ goalId: goal.id, goalVersion: 1, afterSession: '', done: 0, total: 1 });
    // Leased: nobody else takes it until the lease ends.
    expect(await goalJobs.claim(2001, 60_000)).toBeUndefined();
    expect(await goalJobs.advance(goal.id, 1, 's1', 1)).toBe(true);
    await goalJobs.finish(goal.id, 1, 'done', 3000);
    expect(await goalJobs.status(goal.id)).toEqual({ state: 'done', done: 1, total: 1, finishedAt: 3000, error: null });
    expect(await goalJobs.openCount()).toBe(0);

    expect((await changes.update(goal.id, { name: 'Renamed', kind: 'page', pattern: '/a' }, 4000))?.version).toBe(1);
    expect((await goalJobs.status(goal.id))?.state).toBe('done');
    expect((await changes.update(goal.id, { name: 'Renamed', kind: 'page', pattern: '/b' }, 5000))?.version).toBe(2);
    expect(await goalJobs.status(goal.id)).toMatchObject({ state: 'pending', done: 0 });
    // The old version's slice no longer counts.
    expect(await goalJobs.advance(goal.id, 1, 's1', 1)).toBe(false);
    expect(await changes.update('nope', { name: 'X', kind: 'page', pattern: '/x' }, 6000)).toBeUndefined();
  });

  it('goes on after the session its last slice ended at: the next claim of the job starts there', async () => {
    const { changes, goalJobs } = backend().repos.conversions;
    const goal = await changes.create((await site()).id, { name: 'A', kind: 'event', event: 'a' }, 1000);
    expect(await goalJobs.claim(2000, 60_000)).toMatchObject({ afterSession: '', done: 0 });
    expect(await goalJobs.advance(goal.id, 1, 's-0042', 42)).toBe(true);
    // A slice gives its lease back: the job is claimed again at once, from where the slice stopped.
    expect(await goalJobs.claim(2001, 60_000)).toEqual({ goalId: goal.id, goalVersion: 1, afterSession: 's-0042', done: 42, total: 42 });
    expect(await goalJobs.advance(goal.id, 1, 's-0100', 100)).toBe(true);
    expect(await goalJobs.claim(2002, 60_000)).toMatchObject({ afterSession: 's-0100', done: 100 });
    // Another version's slice moves nothing (nor gives the lease back: the job is taken again once it ends).
    expect(await goalJobs.advance(goal.id, 2, 's-0200', 200)).toBe(false);
    expect(await goalJobs.claim(2003, 60_000)).toBeUndefined();
    expect(await goalJobs.claim(2002 + 60_000, 60_000)).toMatchObject({ afterSession: 's-0100', done: 100 });
  });

  it('a failed job keeps its error; jobs are claimed oldest first', async () => {
    const { changes, goalJobs } = backend().repos.conversions;
    const shop = await site();
    const first = await changes.create(shop.id, { name: 'A', kind: 'event', event: 'a' }, 1000);
    const second = await changes.create(shop.id, { name: 'B', kind: 'event', event: 'b' }, 2000);
    expect((await goalJobs.claim(3000, 10))?.goalId).toBe(first.id);
    expect((await goalJobs.claim(3000, 10))?.goalId).toBe(second.id);
    // The first lease has ended: taken again.
    expect((await goalJobs.claim(3010, 10))?.goalId).toBe(first.id);
    await goalJobs.finish(first.id, 1, 'failed', 3020, 'boom');
    expect(await goalJobs.status(first.id)).toMatchObject({ state: 'failed', error: 'boom', finishedAt: 3020 });
    expect(await goalJobs.status('nope')).toBeNull();
  });
});
