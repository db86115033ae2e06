// The repository types both backends share: SQLite answers at once, PostgreSQL with a Promise.

/** A value now (SQLite) or later (PostgreSQL); callers await it either way. */
export type Awaitable<T> = T | Promise<T>;

/**
 * A synchronous repository interface (the SQLite one, which ingest calls as it is) turned into the
 * one both backends implement: every method's answer may be a Promise, nested repositories too.
 * Awaitable rather than Promise, so the SQLite repositories are these types as they stand, with no
 * wrapper allocating a Promise per call (the README's scale-out section has the measurement).
 */
export type MaybeAsync<R> = {
  [K in keyof R]: R[K] extends (...args: infer A) => infer T ? (...args: A) => Awaitable<T> : R[K] extends object ? MaybeAsync<R[K]> : R[K];
};

/** The PostgreSQL side of MaybeAsync: every method answers with a Promise. */
export type Async<R> = {
  [K in keyof R]: R[K] extends (...args: infer A) => infer T ? (...args: A) => Promise<Awaited<T>> : R[K] extends object ? Async<R[K]> : R[K];
};
