// Entry of recorder.js: finds its own <script> tag and starts recording, or stays inert, never throwing into the page.
import { isAncestorRecording } from './ancestor-recording';
import { createBatchSender } from './batch-sender';
import { createId } from './create-id';
import { createGzip } from './gzip';
import { createPublicApi } from './public-api';
import { findRecorderScript, readRecorderConfig } from './recorder-config';
import { createRecorder } from './recorder';
import { createRecordingEngine } from './recording-engine';
import { openSessionStorage } from './session-storage';
import { createSessionStore } from './session-store';

function main(win: Window): void {
  // A second copy of the tag, or a frame whose parent page already records it.
  if (win.frictionlens || isAncestorRecording(win)) return;
  const config = readRecorderConfig(findRecorderScript(win.document), win.location.href);
  if (!config || typeof win.fetch !== 'function' || !win.crypto) return;

  const now = () => Date.now();
  const newId = () => createId(win.crypto);
  const recorder = createRecorder({
    win,
    engine: createRecordingEngine(),
    store: createSessionStore({ storage: openSessionStorage(win), now, createId: newId }),
    sender: createBatchSender({ ...config, fetch: win.fetch.bind(win), gzip: createGzip(globalThis) }),
    now,
    createId: newId,
    onFault: (error) => console.warn('[frictionlens] recording stopped after an internal error:', error),
  });
  win.frictionlens = createPublicApi(recorder);
}

try {
  main(window);
} catch {
  // Nothing has been installed that could misbehave; the page goes on without recording.
}
