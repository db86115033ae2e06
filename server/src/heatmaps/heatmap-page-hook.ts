// Places a judged page's heatmap rows: each click under its page view's URL with its rage, dead and error kinds, the deepest scroll of each view, and the load's snapshot moment.
import { normalizePageUrl } from '../analysis/normalize-page-url';
import type { PageHook } from '../analysis/page-hook';
import type { ViewSignal } from '../analysis/page-signals';
import type { HeatmapRepos } from '../repos/heatmap-repos';
import type { MaybeAsync } from '../repos/maybe-async';
import { clickKinds } from './click-kinds';
import { deviceClass } from './device-class';
import { deepestPerView, loadMoment, viewUrlAt } from './page-placement';

export function createHeatmapPageHook({ keys, clicks, scrolls, loads }: MaybeAsync<HeatmapRepos>): PageHook {
  return {
    name: 'heatmaps',
    async afterJudgement(page, judgement, unsorted) {
      const signals = unsorted.slice().sort((a, b) => a.t - b.t);
      const views = signals.filter((signal): signal is ViewSignal => signal.k === 'view');
      // Looked up once per URL in this judgement (each lookup is a round trip on PostgreSQL); never
      // kept past it, since the transaction it runs in may roll back the rows it created.
      const refs = new Map<string, number>();
      const pageRef = async (url: string): Promise<number> => {
        const path = normalizePageUrl(url);
        let ref = refs.get(path);
        if (ref === undefined) refs.set(path, (ref = await keys.pageRef(page.siteId, path)));
        return ref;
      };

      const rows = await clicks.listByPage(page.sessionId, page.pageId);
      const kinds = clickKinds(rows.map((row) => row.ts), judgement.flags, signals);
      for (const [index, row] of rows.entries()) {
        const placement = { pageRef: await pageRef(viewUrlAt(views, row.ts, page.url)), ...kinds[index]! };
        const same = row.pageRef === placement.pageRef && row.rage === placement.rage && row.dead === placement.dead && row.error === placement.error;
        if (!same) await clicks.place(page.siteId, row.id, placement);
      }

      const load = loadMoment(signals);
      const device = load ? deviceClass(load.width) : undefined;
      if (load && device) {
        const url = viewUrlAt(views, load.snapshotTs, page.url);
        await loads.put({ sessionId: page.sessionId, pageId: page.pageId, pageRef: await pageRef(url), device, ...load, complete: judgement.complete });
      }

      // Without a snapshot's width the device class is unknown, and the depths count nowhere.
      const depths = await scrolls.listByPage(page.sessionId, page.pageId);
      const deepest = deepestPerView(depths, views);
      for (const depth of depths) {
        const url = deepest.get(depth.id);
        const placement = url !== undefined && device ? { pageRef: await pageRef(url || page.url), device } : null;
        const same = placement ? depth.pageRef === placement.pageRef && depth.device === placement.device : depth.pageRef === null;
        if (!same) await scrolls.place(page.siteId, depth.id, placement);
      }
    },
  };
}

