// Splits buffered events into groups whose request bodies each fit a keepalive request.
import { utf8ByteLength } from './utf8-byte-length';

/**
 * Greedy and order-preserving. overheadBytes is the body without events (header, brackets).
 * An event too large for any body gets a group of its own; the sender then posts it without
 * keepalive, best effort, rather than dropping it here.
 */
export function splitForKeepalive(eventJsons: readonly string[], maxBodyBytes: number, overheadBytes: number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let groupBytes = overheadBytes;
  for (const json of eventJsons) {
    const bytes = utf8ByteLength(json);
    if (group.length > 0 && groupBytes + 1 + bytes > maxBodyBytes) {
      groups.push(group);
      group = [];
      groupBytes = overheadBytes;
    }
    groupBytes += (group.length > 0 ? 1 : 0) + bytes; // 1: the comma before it
    group.push(json);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
