// Labelled visits for form_abandonment: forms started and left, and forms that went through or were never started.
import { COMMIT, type Scenario } from './scenario';

/** The checkout with every field valid. */
async function fillCheckout(v: Parameters<Scenario['visit']>[0], postcode = '10115'): Promise<void> {
  await v.typeInto('#email', 'ada@example.com');
  await v.typeInto('#full-name', 'Ada Lovelace');
  await v.typeInto('#postcode', postcode);
}

export const FORM_SCENARIOS: Scenario[] = [
  {
    name: 'abandoned: checkout half filled, then the tab closed',
    path: '/checkout.html',
    leave: 'close',
    expect: { form_abandonment: ['#checkout'] },
    async visit(v) {
      await v.typeInto('#email', 'ada@example.com');
      await v.typeInto('#full-name', 'Ada');
      await v.pause(500);
    },
  },
  {
    name: 'abandoned: checkout half filled, then off to another site',
    path: '/checkout.html',
    expect: { form_abandonment: ['#checkout'] },
    async visit(v) {
      await v.typeInto('#email', 'ada@example.com');
      await v.pause(500);
    },
  },
  {
    name: 'abandoned: a submit the browser refused (postcode pattern), then off to another site',
    path: '/checkout.html',
    expect: { form_abandonment: ['#checkout'] },
    async visit(v) {
      await fillCheckout(v, '1011');
      await v.press('#place-order');
      await v.pause(1500);
    },
  },
  {
    name: 'abandoned: a click into the email field, nothing typed, then off to another site',
    path: '/checkout.html',
    expect: { form_abandonment: ['#checkout'] },
    async visit(v) {
      await v.press('#email');
      await v.pause(1500);
    },
  },
  {
    name: 'abandoned: a click into the email field, Tab to the next, then off to another site',
    path: '/checkout.html',
    expect: { form_abandonment: ['#checkout'] },
    async visit(v) {
      await v.press('#email');
      await v.pause(500);
      await v.key('Tab');
      await v.pause(1000);
    },
  },
  {
    name: "abandoned: a click on the email field's label, nothing typed, then off to another site",
    path: '/checkout.html',
    expect: { form_abandonment: ['#checkout'] },
    async visit(v) {
      await v.press('#email-label');
      await v.pause(1000);
    },
  },
  {
    name: 'abandoned: typing into the field autofocus had put the caret in, Tab to the next, then off to another site',
    path: '/autofocus.html',
    expect: { form_abandonment: ['#signup'] },
    async visit(v) {
      await v.pause(500);
      // The recorder sees typed values when a field is left (rrweb's input sampling 'last'): Tab leaves it.
      await v.type('ada@example.com');
      await v.key('Tab');
      await v.pause(500);
    },
  },
  {
    name: 'abandoned: a single-page app form filled, then another route of the app',
    path: '/spa-form.html',
    expect: { form_abandonment: ['#contact'] },
    async visit(v) {
      await v.typeInto('#name', 'Ada');
      await v.typeInto('#email', 'ada@example.com');
      await v.press('#nav-shop');
      await v.pause(1000);
    },
  },
  {
    name: 'abandoned: checkout started, then the visitor went idle with the tab open',
    path: '/checkout.html',
    leave: 'stay',
    expect: { form_abandonment: ['#checkout'] },
    async visit(v) {
      await v.typeInto('#email', 'ada@example.com');
    },
  },
  {
    name: 'submitted: checkout filled and placed, the thank-you page loads',
    path: '/checkout.html',
    pages: 2,
    expect: {},
    async visit(v) {
      await fillCheckout(v);
      await Promise.all([v.page.waitForURL('**/thanks.html?*', COMMIT), v.press('#place-order')]);
      await v.page.waitForFunction(() => window.frictionlens?.getSessionId());
      await v.pause(500);
    },
  },
  {
    name: 'submitted: refused for its postcode, fixed, then placed',
    path: '/checkout.html',
    pages: 2,
    expect: {},
    async visit(v) {
      await fillCheckout(v, '1011');
      await v.press('#place-order');
      await v.pause(1000);
      await v.press('#postcode');
      await v.key('End');
      await v.type('5');
      await Promise.all([v.page.waitForURL('**/thanks.html?*', COMMIT), v.press('#place-order')]);
      await v.page.waitForFunction(() => window.frictionlens?.getSessionId());
      await v.pause(500);
    },
  },
  {
    name: 'submitted: a single-page app form sent with fetch, answered in place',
    path: '/spa-form.html',
    expect: {},
    async visit(v) {
      await v.typeInto('#name', 'Ada');
      await v.typeInto('#email', 'ada@example.com');
      await v.typeInto('#message', 'Do you ship to Norway?');
      await v.press('#send');
      await v.page.waitForSelector('#sent');
      await v.pause(1000);
    },
  },
  {
    name: 'not started: autofocus put the caret in the email field, the visitor took another link',
    path: '/autofocus.html',
    pages: 2,
    expect: {},
    async visit(v) {
      await v.pause(1000);
      await Promise.all([v.page.waitForURL('**/next.html', COMMIT), v.press('#guest')]);
      await v.page.waitForFunction(() => window.frictionlens?.getSessionId());
      await v.pause(500);
    },
  },
  {
    name: 'not started: a pop-up put the caret in its email field when the mouse moved, the visitor read on and closed the tab',
    path: '/autofocus.html',
    leave: 'close',
    expect: {},
    async visit(v) {
      await v.page.mouse.move(300, 300);
      await v.page.waitForSelector('#newsletter', { state: 'visible' });
      await v.pause(1000);
      await v.selectText('#about');
      await v.pause(1000);
    },
  },
  {
    name: 'not a form to finish: a search box typed into, then off to another site',
    path: '/checkout.html',
    expect: {},
    async visit(v) {
      await v.typeInto('#q', 'linen');
      await v.pause(500);
    },
  },
];
