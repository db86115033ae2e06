// Reads one batch's frictionlens.click events into heatmap clicks; pure, one walk over the events.
import { EventType, IncrementalSource, MouseInteractions, type eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';

export interface ExtractedClick {
  ts: number;
  viewportWidth: number;
  selector: string;
  offsetX: number;
  offsetY: number;
  /** Page coordinates, CSS px. */
  x: number;
  y: number;
  /** The click's y in the viewport, from rrweb's own record of the same click; null when it was not in the batch. */
  screenY: number | null;
  documentWidth: number;
  documentHeight: number;
  fixed: boolean;
  /** Kind and text of what was pressed: 'button "Place order"'. */
  label: string | null;
  /** The page view's URL as far as the batch tells (its last page view before the click, else the batch's URL); the page hook corrects it from the page's views. */
  pageUrl: string;
}

/** rrweb records the same click as our event, within a few ms of it: its coordinates are the viewport's. */
export const CLICK_PAIR_MS = 100;

type Data = Record<string, any>;

/**
 * Clicks without a usable position or width are passed over: they could be drawn nowhere.
 * Fractions are clamped to 0..1 and coordinates rounded, whatever the batch says.
 */
export function extractClicks(events: readonly eventWithTime[], batchUrl = ''): ExtractedClick[] {
  const clicks: ExtractedClick[] = [];
  let pageUrl = batchUrl;
  const screenClicks: Array<{ ts: number; y: number; used: boolean }> = [];
  for (const event of events) {
    const data = event.data as Data;
    if (event.type === EventType.IncrementalSnapshot && data.source === IncrementalSource.MouseInteraction && data.type === MouseInteractions.Click) {
      if (isNum(data.y)) screenClicks.push({ ts: event.timestamp, y: data.y, used: false });
    } else if (event.type === EventType.Custom && data.tag === CUSTOM_EVENT_TAGS.click) {
      const click = toClick(event.timestamp, data.payload, pageUrl);
      if (click) clicks.push(click);
    } else if (event.type === EventType.Custom && data.tag === CUSTOM_EVENT_TAGS.pageView && typeof data.payload?.url === 'string') {
      pageUrl = data.payload.url;
    }
  }
  for (const click of clicks) {
    let best: (typeof screenClicks)[number] | undefined;
    for (const candidate of screenClicks) {
      const gap = Math.abs(candidate.ts - click.ts);
      if (!candidate.used && gap <= CLICK_PAIR_MS && (!best || gap < Math.abs(best.ts - click.ts))) best = candidate;
    }
    if (best) {
      best.used = true;
      click.screenY = Math.round(best.y);
    }
  }
  return clicks;
}

function toClick(ts: number, payload: Data | undefined, pageUrl: string): ExtractedClick | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { x, y, viewportWidth, documentWidth, documentHeight, selector, offsetX, offsetY, fixed, target } = payload;
  if (!isNum(x) || !isNum(y) || !isNum(viewportWidth) || viewportWidth <= 0 || !isNum(ts)) return undefined;
  const kind = typeof target?.kind === 'string' ? target.kind : null;
  const text = typeof target?.text === 'string' && target.text ? target.text : null;
  return {
    ts: Math.floor(ts),
    viewportWidth: Math.round(viewportWidth),
    selector: typeof selector === 'string' ? selector : '',
    offsetX: unit(offsetX),
    offsetY: unit(offsetY),
    x: Math.round(x),
    y: Math.round(y),
    screenY: null,
    documentWidth: isNum(documentWidth) ? Math.round(documentWidth) : 0,
    documentHeight: isNum(documentHeight) ? Math.round(documentHeight) : 0,
    fixed: fixed === true,
    label: kind && text ? `${kind} "${text}"` : kind,
    pageUrl,
  };
}

const isNum = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const unit = (value: unknown): number => (isNum(value) ? Math.min(1, Math.max(0, value)) : 0.5);
