// Sentry Replay as a site installs it from npm, for the overhead bench's peer row: every session recorded, DSN on the bench's local sink.
import { init, replayIntegration } from '@sentry/browser';

declare global {
  interface Window {
    benchSentryDsn: string;
  }
}

// Its defaults otherwise (text masked, media blocked, compression in its own worker, a 10,000-mutation
// limit past which it stops recording): what a new user of the SDK gets.
init({
  dsn: window.benchSentryDsn,
  replaysSessionSampleRate: 1,
  replaysOnErrorSampleRate: 0,
  integrations: [replayIntegration()],
});
