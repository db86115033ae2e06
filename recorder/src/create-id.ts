// Makes session and page ids that match the wire format's ID_PATTERN.

/** The part of `crypto` we need; randomUUID is missing outside secure contexts (plain http on a LAN IP). */
export type IdCrypto = Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string };

const ID_RANDOM_BYTES = 16;

export function createId(crypto: IdCrypto): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(ID_RANDOM_BYTES));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
