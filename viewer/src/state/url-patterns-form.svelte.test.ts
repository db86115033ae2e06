import { describe, expect, it } from 'vitest';
import { ApiClientError } from '../lib/api-client';
import type { Site } from '../lib/contract';
import { parsePatterns, UrlPatternsForm } from './url-patterns-form.svelte';

const site = (urlPatterns: string[]): Site => ({ id: 's1', name: 'Shop', origins: ['self'], key: 'k', createdAt: 1, urlPatterns, retentionDays: null });

describe('UrlPatternsForm', () => {
  it('sends one pattern per line and shows what the server kept', async () => {
    expect(parsePatterns(' /product/*\n\n/blog/** \n')).toEqual(['/product/*', '/blog/**']);
    const sent: string[][] = [];
    const form = new UrlPatternsForm(['/a/*'], async (patterns) => (sent.push(patterns), site([...new Set(patterns)])));
    expect(form.text).toBe('/a/*');
    form.text = '/product/*\n/product/*';
    await form.submit();
    expect(sent).toEqual([['/product/*', '/product/*']]);
    expect(form.text).toBe('/product/*');
    expect(form.saved).toBe(true);
  });

  it('says what the server refused', async () => {
    const form = new UrlPatternsForm([], async () => {
      throw new ApiClientError(400, 'invalid_request', 'Invalid body: "urlPatterns.0": must be a path starting with "/"');
    });
    form.text = 'product/*';
    await form.submit();
    expect(form.error).toMatch(/must be a path/);
    expect(form.saved).toBe(false);
  });
});
