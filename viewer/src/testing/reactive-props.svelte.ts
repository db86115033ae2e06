// Test support: props a test changes after mounting a component (runes only compile in .svelte files and modules).

/** A deeply reactive copy of `initial`: pass getters reading it as props, then assign to it. */
export function reactiveProps<T extends object>(initial: T): T {
  const props = $state(initial);
  return props;
}
