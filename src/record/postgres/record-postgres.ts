import type { Database, RecordOptions, Recording } from '../recorder.ts';
import { record } from '../recorder.ts';
import { PostgresCluster } from './cluster.ts';
import type { SyncMode } from './cluster.ts';
import { postgresDriver } from './driver.ts';
import type { PostgresTools } from './environment.ts';

// PostgreSQL on the recorder core: a primary and streaming standbys; the harness fails over by
// pg_promote of the most advanced standby.

export interface PostgresRecordOptions extends RecordOptions {
  readonly sync: SyncMode;
  readonly tools: PostgresTools;
}

export function postgresDatabase(options: PostgresRecordOptions): Database {
  return {
    name: 'postgres',
    start: (nodes) => PostgresCluster.start({ nodes, sync: options.sync, tools: options.tools }),
    driver: () => postgresDriver(options),
  };
}

export function recordPostgres(options: PostgresRecordOptions): Promise<Recording> {
  return record(postgresDatabase(options), options);
}
