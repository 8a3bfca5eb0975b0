import type { Database, Recording, RecordOptions } from '../recorder.ts';
import { record } from '../recorder.ts';
import type { SyncMode } from './cluster.ts';
import { PostgresCluster } from './cluster.ts';
import { postgresDriver } from './driver.ts';
import type { PostgresTools } from './environment.ts';
import { findPostgresTools } from './environment.ts';

// PostgreSQL on the recorder core: a primary and streaming standbys; the harness fails over by
// pg_promote of the most advanced standby.

export interface PostgresRecordOptions extends RecordOptions {
  readonly sync: SyncMode;
  /** Where the server programs are and whom they run as; found as `leaderlog record postgres` finds them when absent. */
  readonly tools?: PostgresTools;
}

function postgresDatabase(options: PostgresRecordOptions): Database {
  return {
    name: 'postgres',
    start: (nodes) => PostgresCluster.start({ nodes, sync: options.sync, tools: options.tools ?? foundTools() }),
    driver: () => postgresDriver(options),
  };
}

function foundTools(): PostgresTools {
  const found = findPostgresTools();
  if ('missing' in found) throw new Error(found.missing);
  return found;
}

export function recordPostgres(options: PostgresRecordOptions): Promise<Recording> {
  return record(postgresDatabase(options), options);
}
