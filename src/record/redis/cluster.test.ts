import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { ourRedisPids } from '../cluster.test-kit.ts';
import { linksBetween, NetworkPartitioner } from '../network-partition.ts';
import { sleep } from '../timeouts.ts';
import { adminCommand, replicationInfo } from './admin.ts';
import { RedisCluster } from './cluster.ts';
import { missingForRedis } from './environment.ts';

const missing = await missingForRedis(true);
if (missing.length > 0) console.warn(`skipping the real Redis cluster tests: ${missing.join('; ')}`);

describe.skipIf(missing.length > 0)('a real Redis cluster on loopback', () => {
  let cluster: RedisCluster | undefined;
  let partitioner: NetworkPartitioner | undefined;

  afterEach(async () => {
    await partitioner?.heal();
    await cluster?.stop();
    expect(ourRedisPids()).toEqual([]);
  });

  test('starts a primary and replicas on their own addresses, replicating', async () => {
    cluster = await RedisCluster.start({ nodes: 3 });
    const [n1, n2, n3] = cluster.nodes;
    expect([n1.host, n2.host, n3.host]).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    await adminCommand(n1, ['SET', 'k', 'v1']);
    await adminCommand(n1, ['WAIT', '2', '1000']);
    expect(await adminCommand(n3, ['GET', 'k'])).toBe('v1');
    expect((await replicationInfo(n2)).role).toBe('slave');
  });

  test('a partition silently stops replication and healing resumes it', async () => {
    cluster = await RedisCluster.start({ nodes: 2 });
    partitioner = new NetworkPartitioner();
    const [n1, n2] = cluster.nodes;
    await partitioner.cut(linksBetween(n1, n2));
    await adminCommand(n1, ['SET', 'k', 'cut off']);
    await sleep(200);
    expect(await adminCommand(n2, ['GET', 'k'])).toBeNull();
    // The replica still believes its link is up: a DROP is silent.
    expect((await replicationInfo(n2)).linkUp).toBe(true);
    await partitioner.heal();
    await expect.poll(() => adminCommand(n2, ['GET', 'k']), { timeout: 5000 }).toBe('cut off');
    expect(execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' })).not.toContain(partitioner.table);
  });

  test('a partition table left by a leaderlog process that died is swept away', async () => {
    const dead = spawnSync('true').pid; // a process that has exited
    const orphan = `leaderlog_${dead}_0badc0`;
    execFileSync('nft', ['add', 'table', 'inet', orphan]);
    cluster = await RedisCluster.start({ nodes: 2 });
    partitioner = new NetworkPartitioner();
    await partitioner.cut(linksBetween(cluster.nodes[0], cluster.nodes[1]));
    const tables = execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' });
    expect(tables).not.toContain(orphan);
    expect(tables).toContain(partitioner.table);
  });

  test('stop() kills a paused server and removes its dirs', async () => {
    cluster = await RedisCluster.start({ nodes: 2 });
    cluster.pause('n1');
    const root = cluster.root;
    await cluster.stop();
    expect(existsSync(root)).toBe(false);
  });

  test('a killed node restarts on the same address and port', async () => {
    cluster = await RedisCluster.start({ nodes: 2 });
    await cluster.kill('n2');
    expect(cluster.isRunning('n2')).toBe(false);
    await cluster.startNode('n2', cluster.node('n1'));
    await cluster.waitForLinks([cluster.node('n2')]);
    expect(await adminCommand(cluster.node('n2'), ['PING'])).toBe('PONG');
  });
});
