import type { Database, Recording, RecordOptions } from '../recorder.ts';
import { record } from '../recorder.ts';
import { RedisCluster } from './cluster.ts';
import type { RedisDriverOptions } from './driver.ts';
import { redisDriver } from './driver.ts';
import { Sentinel } from './sentinel.ts';

// Redis on the recorder core: real redis-server processes, the harness or Redis Sentinel failing over.

export type FailoverMode = 'harness' | 'sentinel';

export interface RedisRecordOptions extends RecordOptions, Pick<RedisDriverOptions, 'wait'> {
  /** Who promotes a replica: the harness (highest replication offset) or Redis Sentinel. */
  readonly failover?: FailoverMode;
}

function redisDatabase(options: RedisRecordOptions): Database {
  return {
    name: 'redis',
    start: (nodes) => RedisCluster.start({ nodes }),
    driver: () => redisDriver(options),
    ...(options.failover === 'sentinel' && {
      authority: (cluster) => Sentinel.start(cluster as RedisCluster, cluster.nodes[0].id),
    }),
  };
}

export function recordRedis(options: RedisRecordOptions): Promise<Recording> {
  return record(redisDatabase(options), options);
}
