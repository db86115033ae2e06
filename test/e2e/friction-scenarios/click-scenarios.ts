// Labelled visits for rage_click and dead_click: controls that answer nothing, and look-alikes that answer every press.
import { COMMIT, type Scenario } from './scenario';

/** Long enough after a press for the dead-click window (2 s) to pass before the visitor moves on. */
const PAST_DEAD_WINDOW_MS = 2500;
/** Long enough after a burst for it to settle (1 s): one more press would no longer join it. */
const PAST_BURST_MS = 1500;

export const RAGE_SCENARIOS: Scenario[] = [
  {
    name: 'rage: an Apply button that does nothing, pressed 5 times',
    path: '/controls.html',
    expect: { rage_click: ['#apply'] },
    async visit(v) {
      await v.press('#apply', { times: 5 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'rage: a product photo with a pointer cursor and a hover zoom, pressed 4 times',
    path: '/controls.html',
    expect: { rage_click: ['#photo'] },
    async visit(v) {
      await v.press('#photo', { times: 4, gapMs: 200 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'rage: a disabled Pay button pressed 4 times',
    path: '/controls.html',
    expect: { rage_click: ['#pay'] },
    async visit(v) {
      await v.press('#pay', { times: 4 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'rage: Place order pressed again and again after its spinner text appeared',
    path: '/controls.html',
    expect: { rage_click: ['#place-order'] },
    async visit(v) {
      await v.press('#place-order', { times: 5, gapMs: 250 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'rage: a dead Remind me button on a page whose countdown ticks every second',
    path: '/clock.html',
    expect: { rage_click: ['#remind'] },
    async visit(v) {
      await v.pause(2500);
      await v.press('#remind', { times: 4, gapMs: 200 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'rage twice: 3 clicks on a dead Apply, then 4 on the heart icon of a Save button that does nothing',
    path: '/controls.html',
    expect: { rage_click: ['#apply', '#save'] },
    async visit(v) {
      await v.press('#apply', { times: 3, gapMs: 200 });
      await v.pause(PAST_BURST_MS);
      await v.press('#save>span', { times: 4 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'rage twice: a Size chart link whose script does nothing, then a dead Apply pressed 4 times 700 ms apart',
    path: '/controls.html',
    expect: { rage_click: ['#size-chart', '#apply'] },
    async visit(v) {
      await v.press('#size-chart', { times: 4 });
      await v.pause(PAST_BURST_MS);
      await v.press('#apply', { times: 4, gapMs: 700 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'rage: Notify me pressed 4 times while the carousel autoplays',
    path: '/autoplay.html',
    expect: { rage_click: ['#notify'] },
    async visit(v) {
      await v.pause(2500);
      await v.press('#notify', { times: 4, gapMs: 250 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'not rage: a quantity stepper pressed 6 times fast, its number rising each time; then pagination 4 times, advancing each time',
    path: '/controls.html',
    expect: {},
    async visit(v) {
      await v.press('#plus', { times: 6, gapMs: 120 });
      await v.pause(PAST_BURST_MS);
      await v.press('#next-page', { times: 4 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'not rage: a carousel arrow pressed 5 times fast, a new slide each time; then Load more 4 times, the list growing each time',
    path: '/controls.html',
    expect: {},
    async visit(v) {
      await v.press('#next-slide', { times: 5, gapMs: 100 });
      await v.pause(PAST_BURST_MS);
      await v.press('#load-more', { times: 4 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'not rage: a triple-click selecting a paragraph; then a double-click to edit a name, and typing',
    path: '/controls.html',
    expect: {},
    async visit(v) {
      await v.tripleClick('#story');
      await v.pause(PAST_BURST_MS);
      await v.doubleClick('#name');
      await v.type(' King');
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'not rage: a label that toggles a checkbox, pressed once and then 3 times fast',
    path: '/controls.html',
    expect: {},
    async visit(v) {
      await v.press('#gift-label');
      await v.pause(1200);
      await v.press('#gift-label', { times: 3 });
      await v.pause(PAST_BURST_MS);
    },
  },
  {
    name: 'not rage: the arrow of an autoplaying carousel pressed 3 times fast',
    path: '/autoplay.html',
    expect: {},
    async visit(v) {
      await v.pause(2500);
      await v.press('#hero-next', { times: 3, gapMs: 200 });
      await v.pause(PAST_BURST_MS);
    },
  },
];

export const DEAD_SCENARIOS: Scenario[] = [
  {
    name: 'dead: an Apply button that does nothing, pressed once',
    path: '/controls.html',
    expect: { dead_click: ['#apply'] },
    async visit(v) {
      await v.press('#apply');
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'dead: a product photo that looks clickable, pressed once',
    path: '/controls.html',
    expect: { dead_click: ['#photo'] },
    async visit(v) {
      await v.press('#photo');
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'dead: a disabled Pay button pressed once',
    path: '/controls.html',
    expect: { dead_click: ['#pay'] },
    async visit(v) {
      await v.press('#pay');
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'dead: Remind me pressed once while a countdown ticks',
    path: '/clock.html',
    expect: { dead_click: ['#remind'] },
    async visit(v) {
      await v.pause(2500);
      await v.press('#remind');
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'dead: Notify me pressed on a page whose carousel autoplays, after a working arrow press',
    path: '/autoplay.html',
    expect: { dead_click: ['#notify'] },
    async visit(v) {
      await v.pause(2500);
      await v.press('#hero-next');
      await v.pause(1200);
      await v.press('#notify');
      // The visitor stays a few slides longer. With only 2.5 s on the page before the first press,
      // slides that fall next to a press (a busy machine shifts the presses) are left out of what
      // the detector learns of the page's beat, which the slides after the press must then show;
      // with 1 s past the window there were none, and the next slide counted as Notify's answer.
      await v.pause(PAST_DEAD_WINDOW_MS + 5000);
    },
  },
  {
    name: 'dead: a Size chart link whose script does nothing, then the visitor moved on to the stepper',
    path: '/controls.html',
    expect: { dead_click: ['#size-chart'] },
    async visit(v) {
      await v.press('#size-chart');
      await v.pause(PAST_DEAD_WINDOW_MS);
      await v.press('#plus');
      await v.pause(500);
    },
  },
  {
    name: 'dead three times: the heart icon of a Save button, then Apply twice 1.5 s apart',
    path: '/controls.html',
    expect: { dead_click: ['#save', '#apply', '#apply'] },
    async visit(v) {
      await v.press('#save>span');
      await v.pause(PAST_DEAD_WINDOW_MS);
      await v.press('#apply');
      await v.pause(1500);
      await v.press('#apply');
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'not dead: a link to another page of the site',
    path: '/controls.html',
    pages: 2,
    expect: {},
    async visit(v) {
      await Promise.all([v.page.waitForURL('**/next.html', COMMIT), v.press('#to-next')]);
      await v.page.waitForFunction(() => window.frictionlens?.getSessionId());
      await v.pause(500);
    },
  },
  {
    name: 'not dead: a link to another page that takes 2.5 s to answer',
    path: '/controls.html',
    pages: 2,
    expect: {},
    async visit(v) {
      await Promise.all([v.page.waitForURL('**/slow/next.html', COMMIT), v.press('#to-slow')]);
      await v.page.waitForFunction(() => window.frictionlens?.getSessionId());
      await v.pause(500);
    },
  },
  {
    name: 'not dead: a button that answers after 800 ms; then an anchor that scrolls down the page',
    path: '/controls.html',
    expect: {},
    async visit(v) {
      await v.press('#slow');
      await v.pause(PAST_DEAD_WINDOW_MS);
      await v.press('#to-details');
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'not dead: a link that opens a new tab',
    path: '/controls.html',
    expect: {},
    async visit(v) {
      const [tab] = await Promise.all([v.page.context().waitForEvent('page'), v.press('#new-tab')]);
      await tab.waitForLoadState();
      await tab.close({ runBeforeUnload: true });
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'not dead: a file input, whose chooser opens outside the page',
    path: '/controls.html',
    expect: {},
    async visit(v) {
      const [chooser] = await Promise.all([v.page.waitForEvent('filechooser'), v.press('#upload')]);
      await chooser.setFiles([]);
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'not dead: a button that opens a modal, and its close button; then a Ctrl-press on a button that does nothing (a modifier click)',
    path: '/controls.html',
    expect: {},
    async visit(v) {
      await v.press('#open-modal');
      await v.pause(1000);
      await v.press('#close-modal');
      await v.pause(PAST_DEAD_WINDOW_MS);
      await v.press('#apply', { modifier: 'Control' });
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'not dead: a working button on a page whose countdown ticks',
    path: '/clock.html',
    expect: {},
    async visit(v) {
      await v.pause(2500);
      await v.press('#show-times');
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
  {
    name: 'not dead: a click into a text field, typing, then a click on plain text; then text selected by dragging across a paragraph',
    path: '/controls.html',
    expect: {},
    async visit(v) {
      await v.typeInto('#coupon', 'SPRING');
      await v.pause(500);
      await v.press('#story');
      await v.pause(PAST_DEAD_WINDOW_MS);
      await v.selectText('#story');
      await v.pause(PAST_DEAD_WINDOW_MS);
    },
  },
];
