// The lifecycle every view renders: nothing asked yet, waiting, have data, or failed.
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';
