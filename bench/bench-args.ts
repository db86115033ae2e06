// Small shared pieces of the bench scripts: a median, and options from the command line.

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `--name N` from argv, a positive integer; the fallback when absent. */
export function positiveIntOption(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  const value = index >= 0 ? Number(argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive integer`);
  return value;
}

/** `--name VALUE` from argv; undefined when absent. */
export function stringOption(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

/** `--name a,b,c` from argv; null when absent. */
export function listOption(argv: readonly string[], name: string): string[] | null {
  const index = argv.indexOf(name);
  return index >= 0 ? (argv[index + 1] ?? '').split(',').filter(Boolean) : null;
}
