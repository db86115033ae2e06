import { describe, expect, it } from 'vitest';
import { CONFIG_PROBLEMS, findRecorderScript, readRecorderConfig, type ScriptLike } from './recorder-config';

function script(src: string, attributes: Record<string, string>): ScriptLike {
  return { src, getAttribute: (name) => attributes[name] ?? null };
}

const PAGE = 'https://shop.example.com/checkout';

describe('readRecorderConfig', () => {
  it('posts to the origin the script was loaded from', () => {
    const tag = script('https://fl.example.net:8443/recorder.js?v=3', { 'data-key': 'site_abc123' });
    expect(readRecorderConfig(tag, PAGE)).toMatchObject({ siteKey: 'site_abc123', endpoint: 'https://fl.example.net:8443' });
  });

  it('resolves a relative src against the page', () => {
    const tag = script('/recorder.js', { 'data-key': 'k1' });
    expect(readRecorderConfig(tag, 'http://192.168.1.20:3000/demo/cart.html')).toMatchObject({
      siteKey: 'k1',
      endpoint: 'http://192.168.1.20:3000',
    });
  });

  it('lets data-endpoint name another origin, keeping only its origin', () => {
    const tag = script('https://cdn.example.com/recorder.js', {
      'data-key': ' k2 ',
      'data-endpoint': 'https://collect.example.org/some/path/',
    });
    expect(readRecorderConfig(tag, PAGE)).toMatchObject({ siteKey: 'k2', endpoint: 'https://collect.example.org' });
  });

  it('reads the privacy attributes: nothing extra masked, consent not required, GPC respected by default', () => {
    const plain = readRecorderConfig(script('/recorder.js', { 'data-key': 'k' }), PAGE);
    expect(plain).toMatchObject({ maskAllText: false, consentRequired: false, respectGpc: true });
    const strict = readRecorderConfig(
      script('/recorder.js', { 'data-key': 'k', 'data-mask-text': 'all', 'data-consent': 'required', 'data-respect-gpc': 'false' }),
      PAGE,
    );
    expect(strict).toMatchObject({ maskAllText: true, consentRequired: true, respectGpc: false });
    const unknown = readRecorderConfig(script('/recorder.js', { 'data-key': 'k', 'data-mask-text': 'some', 'data-consent': 'yes' }), PAGE);
    expect(unknown).toMatchObject({ maskAllText: false, consentRequired: false });
  });

  it('reads data-sample-rate (0..1, default 1) and data-min-duration-ms (default 0), ignoring junk', () => {
    const read = (attributes: Record<string, string>) => readRecorderConfig(script('/recorder.js', { 'data-key': 'k', ...attributes }), PAGE);
    expect(read({})).toMatchObject({ sampleRate: 1, minDurationMs: 0 });
    expect(read({ 'data-sample-rate': ' 0.25 ', 'data-min-duration-ms': '5000' })).toMatchObject({ sampleRate: 0.25, minDurationMs: 5000 });
    expect(read({ 'data-sample-rate': '0' })).toMatchObject({ sampleRate: 0 });
    expect(read({ 'data-sample-rate': '3' })).toMatchObject({ sampleRate: 1 });
    for (const junk of ['50%', '-0.5', '', 'NaN']) {
      expect(read({ 'data-sample-rate': junk, 'data-min-duration-ms': junk })).toMatchObject({ sampleRate: 1, minDurationMs: 0 });
    }
  });

  it('stays inert without a tag, without a key, or with a blank key, and says why', () => {
    const warnings: string[] = [];
    const warn = (problem: string) => warnings.push(problem);
    expect(readRecorderConfig(null, PAGE, warn)).toBeNull();
    expect(readRecorderConfig(script('https://fl.example.net/recorder.js', {}), PAGE, warn)).toBeNull();
    expect(readRecorderConfig(script('https://fl.example.net/recorder.js', { 'data-key': '   ' }), PAGE, warn)).toBeNull();
    expect(warnings).toEqual([CONFIG_PROBLEMS.noScript, CONFIG_PROBLEMS.noKey, CONFIG_PROBLEMS.noKey]);
  });

  it('stays inert when the endpoint is not http(s), and says why', () => {
    const warnings: string[] = [];
    const warn = (problem: string) => warnings.push(problem);
    expect(readRecorderConfig(script('file:///tmp/recorder.js', { 'data-key': 'k' }), 'file:///tmp/page.html', warn)).toBeNull();
    expect(
      readRecorderConfig(script('https://fl.example.net/recorder.js', { 'data-key': 'k', 'data-endpoint': 'javascript:alert(1)' }), PAGE, warn),
    ).toBeNull();
    expect(warnings).toEqual([CONFIG_PROBLEMS.badEndpoint, CONFIG_PROBLEMS.badEndpoint]);
    readRecorderConfig(script('/recorder.js', { 'data-key': 'k' }), PAGE, warn);
    expect(warnings).toHaveLength(2); // a usable tag says nothing
  });
});

describe('findRecorderScript', () => {
  const tagged = { src: 'https://fl.example.net/recorder.js', getAttribute: (n: string) => (n === 'data-key' ? 'k' : null) };

  it('prefers document.currentScript', () => {
    const doc = { currentScript: tagged as unknown as HTMLScriptElement, querySelector: () => null };
    expect(findRecorderScript(doc)).toBe(tagged);
  });

  it('falls back to the data-key selector when currentScript is null', () => {
    const seen: string[] = [];
    const doc = {
      currentScript: null,
      querySelector: (selector: string) => (seen.push(selector), tagged) as never,
    };
    expect(findRecorderScript(doc)).toBe(tagged);
    expect(seen).toEqual(['script[data-key][src*="recorder"]']);
  });
});
