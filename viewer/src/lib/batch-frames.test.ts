import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBatchFrames } from '../../../server/src/api/session-batches-route';
import { BatchTooLargeError, batchEvents, inflateBatchText, readBatchFrames } from './batch-frames';

const toArrayBuffer = (bytes: Uint8Array) => bytes.slice().buffer;

describe('readBatchFrames', () => {
  it('reads back what the server frames, seq and body', () => {
    const bodies = [Buffer.from([1, 2, 3]), Buffer.alloc(0), Buffer.from('hello')];
    const frames = readBatchFrames(toArrayBuffer(encodeBatchFrames(bodies.map((body, i) => ({ seq: 10 + i * 5, body })))));
    expect(frames.map((frame) => frame.seq)).toEqual([10, 15, 20]);
    expect(frames.map((frame) => Buffer.from(frame.body).toString('hex'))).toEqual(['010203', '', Buffer.from('hello').toString('hex')]);
    expect(readBatchFrames(new ArrayBuffer(0))).toEqual([]);
  });

  it('refuses a response cut off inside a header or a body', () => {
    const whole = encodeBatchFrames([{ seq: 1, body: Buffer.from('abcdef') }]);
    expect(() => readBatchFrames(toArrayBuffer(whole.subarray(0, 5)))).toThrow(/frame header/);
    expect(() => readBatchFrames(toArrayBuffer(whole.subarray(0, whole.length - 1)))).toThrow(/inside batch 1/);
  });
});

describe('inflateBatchText', () => {
  it('inflates a stored batch to its JSON and size', async () => {
    const json = JSON.stringify({ v: 1, events: [{ type: 4, timestamp: 1, data: {} }], note: 'é' });
    const { text, bytes } = await inflateBatchText(gzipSync(json), 1000);
    expect(text).toBe(json);
    expect(bytes).toBe(Buffer.byteLength(json));
    expect(batchEvents(text)).toEqual([{ type: 4, timestamp: 1, data: {} }]);
  });

  it('stops a batch that inflates past the limit', async () => {
    await expect(inflateBatchText(gzipSync('a'.repeat(200_000)), 100_000)).rejects.toBeInstanceOf(BatchTooLargeError);
  });

  it('rejects a damaged body and a batch without events', async () => {
    await expect(inflateBatchText(new Uint8Array([0x1f, 0x8b, 0, 0]), 1000)).rejects.toThrow();
    expect(() => batchEvents('{"v":1}')).toThrow(/no events/);
  });
});
