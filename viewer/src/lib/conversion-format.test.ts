import { describe, expect, it } from 'vitest';
import { describeGoal, describeOpportunity, formatEstimate, formatPoints, formatRate, pagePath } from './conversion-format';

describe('conversion formatting', () => {
  it('writes rates, points and estimates', () => {
    expect(formatRate(0.2)).toBe('20.0%');
    expect(formatRate(null)).toBe('–');
    expect(formatPoints(0.3)).toBe('+30.0 pts');
    expect(formatPoints(-0.05)).toBe('−5.0 pts');
    expect(formatEstimate({ estimate: 9, low: 2.16855, high: 14.443 })).toBe('9.0 (2.2 to 14.4)');
  });

  it('describes goals, opportunities and pages', () => {
    expect(describeGoal({ name: 'x', kind: 'form', pattern: '/checkout*', selector: '#checkout-form' })).toBe('Form #checkout-form sent on /checkout*');
    const base = { page: 'https://shop.example/checkout.html', label: 'Postcode', affected: { sessions: 1, conversions: 0, rate: 0 }, comparable: { sessions: 1, conversions: 1, rate: 1 }, status: 'not_enough_data' as const, difference: null, lostConversions: null };
    expect(describeOpportunity({ ...base, type: 'form_abandonment', target: '#checkout-form', field: '#postcode' })).toBe('Form abandonment of #checkout-form at #postcode (Postcode)');
    expect(describeOpportunity({ ...base, type: 'dead_click', target: '#photo', field: null, label: null })).toBe('Dead clicks on #photo');
    expect(pagePath('https://shop.example/product/*')).toBe('/product/*');
  });
});
