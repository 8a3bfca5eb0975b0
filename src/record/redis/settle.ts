import { sleep } from '../timeouts.ts';
import { replicationInfo } from './admin.ts';
import type { RedisCluster } from './cluster.ts';

/**
 * Waits, at most `timeoutMs`, until every running replica has processed the primary's whole replication
 * stream. Returns whether they converged; the final reads go to the primary either way.
 */
export async function settle(cluster: RedisCluster, primary: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const replicas = cluster.nodes.filter((node) => node.id !== primary && cluster.isRunning(node.id));
  for (;;) {
    const target = (await replicationInfo(cluster.node(primary)).catch(() => undefined))?.offset;
    const offsets = await Promise.all(replicas.map((node) => replicationInfo(node).catch(() => undefined)));
    if (target !== undefined && offsets.every((info) => info?.linkUp && info.offset >= target)) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}
