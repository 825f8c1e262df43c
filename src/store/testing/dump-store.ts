import type { KyselyStore } from '../kysely-store.ts';

const ORDER: Readonly<Record<string, readonly string[]>> = {
  files: ['hash'],
  events: ['time', 'id'],
  event_instances: ['instance_uid', 'time', 'event_id'],
  actors: ['id'],
  activity: ['who', 'hour'],
  stops: ['key'],
  credentials: ['access_key'],
  coverage: ['provider', 'account', 'region', 'hour', 'file_hash'],
  directory: ['principal_id', 'source'],
};

/**
 * Every row of every table in key order, numbers normalised (PostgreSQL returns `bigint`
 * as text): two stores with equal dumps hold the same evidence.
 */
export async function dumpStore(store: KyselyStore): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const [table, keys] of Object.entries(ORDER)) {
    let query = store.db.selectFrom(table as 'files').selectAll();
    for (const key of keys) query = query.orderBy(key as 'hash');
    const rows = await query.execute();
    out[table] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          typeof v === 'string' && /^\d+$/.test(v) && k !== 'hash' ? Number(v) : v,
        ]),
      ),
    );
  }
  return JSON.stringify(out);
}
