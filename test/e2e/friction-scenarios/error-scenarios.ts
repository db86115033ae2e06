// Labelled visits for error_loop: a visitor stuck on the same error or failed request, and errors that are no loop.
import type { Scenario } from './scenario';

export const ERROR_SCENARIOS: Scenario[] = [
  {
    name: 'loop: a widget throws the same error 3 times in 3 s (ids and timings differ)',
    path: '/errors.html?widget=3',
    expect: { error_loop: [''] },
    async visit(v) {
      await v.pause(4000);
    },
  },
  {
    name: 'loop: a contact form whose server answers 500, sent twice',
    path: '/spa-form.html?fail',
    expect: { error_loop: ['#contact'], form_abandonment: ['#contact'] },
    async visit(v) {
      await v.typeInto('#name', 'Ada');
      await v.typeInto('#email', 'ada@example.com');
      await v.press('#send');
      await v.pause(1500);
      await v.press('#send');
      await v.pause(1500);
    },
  },
  {
    name: 'loops twice: a promo code refused (422, and an error thrown) twice, then Size guide failing on each of 2 presses',
    path: '/errors.html',
    expect: { error_loop: ['#apply-promo', '#size-guide'] },
    async visit(v) {
      await v.typeInto('#promo', 'SAVE20');
      await v.press('#apply-promo');
      await v.pause(1500);
      await v.press('#apply-promo');
      await v.pause(1500);
      await v.press('#size-guide');
      await v.pause(1200);
      await v.press('#size-guide');
      await v.pause(1500);
    },
  },
  {
    name: 'loop: Load reviews answered 500 on each of 3 presses, the page saying so',
    path: '/errors.html',
    expect: { error_loop: ['#load-reviews'] },
    async visit(v) {
      for (let i = 0; i < 3; i++) {
        await v.press('#load-reviews');
        await v.pause(1200);
      }
    },
  },
  {
    name: 'loop: Pay now (a button, no form) answered 500 twice',
    path: '/errors.html',
    expect: { error_loop: ['#pay-now'] },
    async visit(v) {
      await v.press('#pay-now');
      await v.pause(1500);
      await v.press('#pay-now');
      await v.pause(1500);
    },
  },
  {
    name: 'loops twice: a widget error 5 times and a rejected stock check 3 times, nobody clicking',
    path: '/errors.html?widget=5&poller=3',
    expect: { error_loop: ['', ''] },
    async visit(v) {
      await v.pause(5500);
    },
  },
  {
    name: 'loop: the same error from three different Save buttons, one press each',
    path: '/errors.html',
    expect: { error_loop: [''] },
    async visit(v) {
      for (const id of ['#save-1', '#save-2', '#save-3']) {
        await v.press(id);
        await v.pause(800);
      }
      await v.pause(1500);
    },
  },
  {
    name: 'loop: Add to wishlist throws and shows nothing, pressed twice',
    path: '/errors.html',
    expect: { error_loop: ['#wishlist'], dead_click: ['#wishlist', '#wishlist'] },
    async visit(v) {
      await v.press('#wishlist');
      await v.pause(1500);
      await v.press('#wishlist');
      await v.pause(2500);
    },
  },
  {
    name: 'no loop: an error thrown once',
    path: '/errors.html',
    expect: {},
    async visit(v) {
      await v.press('#size-guide');
      await v.pause(2500);
    },
  },
  {
    name: 'no loop: two different errors from two buttons',
    path: '/errors.html',
    expect: {},
    async visit(v) {
      await v.press('#size-guide');
      await v.pause(1200);
      await v.press('#currency');
      await v.pause(2500);
    },
  },
  {
    name: 'no loop: the same button failing with a different error each time',
    path: '/errors.html',
    expect: {},
    async visit(v) {
      await v.press('#retry');
      await v.pause(1500);
      await v.press('#retry');
      await v.pause(2500);
    },
  },
  {
    name: 'no loop: Refresh prices pressed 3 times, each request answered',
    path: '/errors.html',
    expect: {},
    async visit(v) {
      for (let i = 0; i < 3; i++) {
        await v.press('#refresh');
        await v.pause(1200);
      }
      await v.pause(1300);
    },
  },
  {
    name: 'no loop: a widget error twice, under the 3 a loop needs',
    path: '/errors.html?widget=2',
    expect: {},
    async visit(v) {
      await v.pause(3500);
    },
  },
];
