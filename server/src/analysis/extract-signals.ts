// Reduces one batch's rrweb events to the page signals the detectors read; one walk over the events, nothing kept from them.
import { EventType, IncrementalSource, MouseInteractions, type eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS, type CustomEventData } from '../../../recorder/src/wire/format';
import { MAX_MUTATION_NODES, type MutationSignal, type PageSignal } from './page-signals';

type Data = Record<string, any>;

/**
 * rrweb events are trusted only as far as ingest checked them (type, timestamp, an object as data):
 * everything deeper is read defensively, and an event of an unexpected shape is passed over rather
 * than failing the batch. `final` adds the end signal at the batch's last event.
 */
export function extractSignals(events: readonly eventWithTime[], final = false): PageSignal[] {
  const signals: PageSignal[] = [];
  let meta: { width?: number; height?: number } = {};
  let lastTs = -Infinity;
  for (const event of events) {
    const t = event.timestamp;
    if (t > lastTs) lastTs = t;
    const data = event.data as Data;
    switch (event.type) {
      case EventType.Meta:
        meta = { width: num(data.width), height: num(data.height) };
        break;
      case EventType.FullSnapshot:
        signals.push({ k: 'snapshot', t, ...meta });
        break;
      case EventType.IncrementalSnapshot: {
        const signal = incremental(t, data);
        if (signal) signals.push(signal);
        break;
      }
      case EventType.Custom: {
        const signal = custom(t, data as CustomEventData);
        if (signal) signals.push(signal);
        break;
      }
    }
  }
  if (final && lastTs > -Infinity) signals.push({ k: 'end', t: lastTs });
  return signals;
}

function incremental(t: number, data: Data): PageSignal | undefined {
  switch (data.source) {
    case IncrementalSource.Mutation:
      return mutation(t, data);
    case IncrementalSource.MouseInteraction:
      return data.type === MouseInteractions.MouseDown || data.type === MouseInteractions.TouchStart ? { k: 'pointerdown', t } : undefined;
    case IncrementalSource.Scroll:
      return { k: 'scroll', t, id: num(data.id) ?? 0 };
    case IncrementalSource.Input:
      return { k: 'input', t, id: num(data.id) ?? 0, checked: data.isChecked === true };
    case IncrementalSource.Selection:
      return { k: 'selection', t, collapsed: list(data.ranges).every(isCollapsed) };
  }
  return undefined;
}

function mutation(t: number, data: Data): MutationSignal | undefined {
  const adds = list(data.adds);
  const removes = list(data.removes);
  const texts = list(data.texts);
  const attributes = list(data.attributes);
  const size = adds.length + removes.length + texts.length + attributes.length;
  if (size === 0) return undefined;
  const nodes = new Set<number>();
  const take = (id: unknown) => {
    if (nodes.size < MAX_MUTATION_NODES && typeof id === 'number') nodes.add(id);
  };
  for (const text of texts) take(text?.id);
  for (const attribute of attributes) take(attribute?.id);
  const added = new Set<unknown>();
  for (const add of adds) added.add(add?.node?.id);
  for (const add of adds) if (!added.has(add?.parentId)) take(add?.parentId);
  for (const remove of removes) take(remove?.parentId);
  return { k: 'mutation', t, nodes: [...nodes], structural: adds.length + removes.length > 0, size };
}

function custom(t: number, data: CustomEventData): PageSignal | undefined {
  const payload = data.payload as Data;
  if (typeof payload !== 'object' || payload === null) return undefined;
  switch (data.tag) {
    case CUSTOM_EVENT_TAGS.pageView:
      return {
        k: 'view',
        t,
        url: str(payload.url),
        title: str(payload.title),
        trigger: payload.trigger ?? 'load',
        // Conversion segments read the entry page's traffic source from it.
        ...(str(payload.referrer) && (payload.trigger ?? 'load') === 'load' ? { referrer: payload.referrer } : {}),
      };
    case CUSTOM_EVENT_TAGS.click: {
      const { x, y, selector, clickCount, modifier, target } = payload;
      return {
        k: 'click',
        t,
        x: num(x) ?? 0,
        y: num(y) ?? 0,
        sel: str(selector),
        count: num(clickCount) || 1,
        modifier: modifier === true,
        ...(target && typeof target === 'object' && typeof target.kind === 'string' ? { target } : {}),
      };
    }
    case CUSTOM_EVENT_TAGS.formField: {
      const { action, field, empty, valid, validity, validationMessage } = payload;
      if (!field || typeof field.selector !== 'string') return undefined;
      return { k: 'field', t, action, field, empty: empty === true, valid: valid !== false, validity: list(validity), message: str(validationMessage) };
    }
    case CUSTOM_EVENT_TAGS.form:
      return { k: 'form', t, action: payload.action, form: str(payload.form), fieldCount: num(payload.fieldCount) ?? 0, invalidFields: list(payload.invalidFields) };
    case CUSTOM_EVENT_TAGS.clickEffect:
      return { k: 'effect', t, effect: payload.effect, ...(typeof payload.selector === 'string' ? { sel: payload.selector } : {}) };
    case CUSTOM_EVENT_TAGS.error:
      return {
        k: 'error',
        t,
        kind: payload.kind,
        message: str(payload.message),
        ...(typeof payload.source === 'string' ? { source: payload.source } : {}),
        ...(num(payload.line) !== undefined ? { line: payload.line } : {}),
      };
    case CUSTOM_EVENT_TAGS.networkFailure:
      return {
        k: 'request-failed',
        t,
        method: str(payload.method),
        url: str(payload.url),
        status: num(payload.status) ?? 0,
        durationMs: num(payload.durationMs) ?? 0,
        initiator: payload.initiator === 'xhr' ? 'xhr' : 'fetch',
      };
    case CUSTOM_EVENT_TAGS.track:
      return { k: 'track', t, name: str(payload.name) };
    case CUSTOM_EVENT_TAGS.storm:
      return payload.action === 'paused' || payload.action === 'resumed' ? { k: 'storm', t, action: payload.action } : undefined;
    case CUSTOM_EVENT_TAGS.identify:
      return typeof payload.userId === 'string' ? { k: 'identify', t, userId: payload.userId } : undefined;
  }
  return undefined;
}

/** rrweb's SelectionRange: a caret (start equals end) selects nothing. */
const isCollapsed = (range: Data | null) => !range || (range.start === range.end && range.startOffset === range.endOffset);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const list = (value: unknown): any[] => (Array.isArray(value) ? value : []);
