// Entry of recorder.js: finds its own <script> tag and starts recording, or stays inert, never throwing into the page.
import { findRecorderScript, readRecorderConfig } from './recorder-config';
import { installFrictionlens, warnOnConsole } from './start-frictionlens';

try {
  installFrictionlens(window, () => readRecorderConfig(findRecorderScript(document), location.href, warnOnConsole));
} catch {
  // Nothing has been installed that could misbehave; the page goes on without recording.
}
