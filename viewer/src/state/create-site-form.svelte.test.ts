import { describe, expect, it, vi } from 'vitest';
import { ApiClientError, type NewSite } from '../lib/api-client';
import { CreateSiteForm, parseOrigins } from './create-site-form.svelte';

describe('parseOrigins', () => {
  it('takes one origin per line and tidies them', () => {
    expect(parseOrigins(' https://a.example/ \n\n https://b.example,self\n')).toEqual([
      'https://a.example',
      'https://b.example',
      'self',
    ]);
  });
});

describe('CreateSiteForm', () => {
  it('checks the name and origins before sending', async () => {
    const create = vi.fn();
    const form = new CreateSiteForm(create);

    expect(await form.submit()).toBe(false);
    expect(form.error).toMatch(/^Give the site a name/);

    form.name = 'Shop';
    expect(await form.submit()).toBe(false);
    expect(form.error).toMatch(/^Add at least one origin/);
    expect(create).not.toHaveBeenCalled();
  });

  it('sends trimmed values and clears the form on success', async () => {
    const sent: NewSite[] = [];
    const form = new CreateSiteForm(async (site) => {
      sent.push(site);
      return { id: 'n', key: 'k' };
    });
    form.name = '  Shop ';
    form.originsText = 'https://shop.example\nhttps://www.shop.example';

    expect(await form.submit()).toBe(true);

    expect(sent).toEqual([{ name: 'Shop', origins: ['https://shop.example', 'https://www.shop.example'] }]);
    expect(form.created).toBe('Shop');
    expect(form.name).toBe('');
    expect(form.originsText).toBe('');
    expect(form.error).toBeNull();
    expect(form.submitting).toBe(false);
  });

  it("shows the server's validation message and keeps the input", async () => {
    const form = new CreateSiteForm(async () => {
      throw new ApiClientError(400, 'invalid_request', 'origins[0]: must be an origin like https://shop.example');
    });
    form.name = 'Shop';
    form.originsText = 'shop.example';

    expect(await form.submit()).toBe(false);

    expect(form.error).toBe('origins[0]: must be an origin like https://shop.example');
    expect(form.originsText).toBe('shop.example');
    expect(form.created).toBeNull();
  });
});
