// The ingest bench's servers on PostgreSQL: the bare route, the real app, the SQLite app beside them, and one node against two behind the round-robin proxy.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../test/support/start-postgres';
import { startServerChild, type ServerChild } from './server-child';

/** Linux counts process CPU time in clock ticks of 1/100 s (getconf CLK_TCK). */
const MICROS_PER_TICK = 10_000;

export interface PostgresTargets {
  baseline: ServerChild;
  real: ServerChild;
  sqlite: ServerChild;
  oneNode: ServerChild;
  twoNodes: ServerChild;
  /** Starts the schema's floor (bench/floor-server-postgres.ts) on a database of its own in the same cluster. */
  startFloor(): Promise<ServerChild>;
  /** CPU time the whole cluster (postmaster and every backend) has used so far. */
  databaseCpuMicros(): number;
  stop(): Promise<void>;
}

/** The processes of one cluster: its postmaster and the postmaster's children, from /proc. */
function clusterCpuMicros(postmasterPid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
    } catch {
      continue; // exited between the listing and the read
    }
    // Fields after the command name, which may hold spaces: state, ppid, … utime (14th), stime (15th),
    // then cutime and cstime: the time of children waited for, so backends that exited still count.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    if (pid === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    else if (Number(fields[1]) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * MICROS_PER_TICK;
}

async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'data_directory'");
    return Number(readFileSync(join(rows[0]!.setting, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } finally {
    await client.end();
  }
}

/** Nodes behind a proxy child of their own: CPU is the nodes' (the proxy's is not ours to count). */
async function behindProxy(name: string, nodes: ServerChild[]): Promise<ServerChild> {
  const proxy = await startServerChild(`${name} proxy`, './round-robin-child.ts', {
    UPSTREAM_PORTS: nodes.map((node) => node.port).join(','),
    BENCH_KEY: nodes[0]!.key,
  });
  return {
    name,
    port: proxy.port,
    key: proxy.key,
    cpuMicros: async () => (await Promise.all(nodes.map((node) => node.cpuMicros()))).reduce((sum, cpu) => sum + cpu, 0),
    settle: async () => void (await Promise.all(nodes.map((node) => node.settle()))),
    async stop() {
      const { answered } = await proxy.stop();
      const reports = [];
      for (const node of nodes) reports.push(await node.stop());
      // The nodes share one database: each counts every batch stored there.
      return { chunks: Math.max(...reports.map((report) => report.chunks)), answered, analysed: 0 };
    },
  };
}

/**
 * One cluster with production-like durability, a database per server so none reads another's
 * rows; nodes of one database start one after another, so the second finds the first's site.
 */
export async function startPostgresTargets(): Promise<PostgresTargets> {
  const cluster: PostgresServer = await startPostgres({ durable: true });
  const started: ServerChild[] = [];
  const child = async (name: string, script: string, env: Record<string, string>) => {
    const server = await startServerChild(name, script, env);
    started.push(server);
    return server;
  };
  try {
    const pid = await postmasterPid(cluster.url);
    const baseline = await child('pg bare', './baseline-server-postgres.ts', { DATABASE_URL: await cluster.createDatabase('bench_bare') });
    const real = await child('pg real', './app-server-postgres.ts', { DATABASE_URL: await cluster.createDatabase('bench_real') });
    // As the PostgreSQL app: ingest alone, no analysis process.
    const sqlite = await child('sqlite real', './app-server.ts', { BENCH_ANALYSIS: 'off' });
    const oneUrl = await cluster.createDatabase('bench_one_node');
    const oneNode = await behindProxy('1 node', [await startServerChild('1 node', './app-server-postgres.ts', { DATABASE_URL: oneUrl })]);
    started.push(oneNode);
    const twoUrl = await cluster.createDatabase('bench_two_nodes');
    const first = await startServerChild('node a', './app-server-postgres.ts', { DATABASE_URL: twoUrl });
    const second = await startServerChild('node b', './app-server-postgres.ts', { DATABASE_URL: twoUrl });
    const twoNodes = await behindProxy('2 nodes', [first, second]);
    started.push(twoNodes);
    return {
      baseline,
      real,
      sqlite,
      oneNode,
      twoNodes,
      startFloor: async () => child('pg floor', './floor-server-postgres.ts', { DATABASE_URL: await cluster.createDatabase('bench_floor') }),
      databaseCpuMicros: () => clusterCpuMicros(pid),
      stop: () => cluster.stop(),
    };
  } catch (error) {
    for (const server of started) await server.stop().catch(() => {});
    await cluster.stop();
    throw error;
  }
}
