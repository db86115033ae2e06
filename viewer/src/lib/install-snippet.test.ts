import { expect, it } from 'vitest';
import { installSnippet } from './install-snippet';

it('builds the script tag from origin and site key', () => {
  expect(installSnippet('https://lens.example', 'pk_123')).toBe(
    '<script src="https://lens.example/recorder.js" data-key="pk_123" async></script>',
  );
});
