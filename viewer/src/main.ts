// Entry point: sends a replay link's first requests, then loads the viewer and mounts it into index.html.
import { AUTH_SESSION_PATH } from './lib/api-client';
import { Prefetched, prefetchReplay } from './lib/replay-prefetch';
import { tokenFromHash } from './lib/route';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html is missing the #app element');

// This small entry runs first, so the sign-in check and a replay link's session and batches are on
// their way while the viewer's own code (and the player's) still loads.
const prefetched = new Prefetched((input, init) => globalThis.fetch(input, init));
// A #token= sign-in link answers who is signed in itself (the router trades the token for a cookie).
if (tokenFromHash(window.location.hash) === null) prefetched.start(AUTH_SESSION_PATH);
prefetchReplay(window.location.hash, prefetched, () => import('./components/ReplayStage.svelte')).catch(() => {});

Promise.all([import('svelte'), import('./App.svelte')])
  .then(([{ mount }, { default: App }]) => mount(App, { target, props: { fetch: prefetched.fetch } }))
  .catch((error: unknown) => {
    // Text only: nothing here is markup.
    target.textContent = `The viewer could not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
  });
