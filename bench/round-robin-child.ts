// Bench child: the tests' round-robin proxy in a process of its own, in front of the nodes named by UPSTREAM_PORTS.
import { startRoundRobinProxy } from '../test/support/round-robin-proxy';
import { answerBench } from './child-control';

const ports = (process.env.UPSTREAM_PORTS ?? '').split(',').filter(Boolean).map(Number);
if (ports.length === 0) throw new Error('UPSTREAM_PORTS must list the ports of the nodes to balance');
const proxy = await startRoundRobinProxy(ports.map((port) => ({ host: '127.0.0.1', port })));

answerBench({ port: Number(new URL(proxy.url).port), key: process.env.BENCH_KEY ?? '' }, async () => {
  await proxy.close();
  // Stores nothing itself: the nodes behind it report what they stored.
  return { chunks: 0, answered: [...proxy.answered], failed: proxy.failed };
});
