// The embedded database: data survives a restart, migrations apply by themselves, and only
// one process may own a PGlite folder.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../drizzle/db';
import { workspace } from '../../drizzle/schema';

describe('PGlite data folder', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across restarts and refuses a second owner with a clear message', async () => {
    const first = await openDatabase({ dataDir: dir });
    await first.db.insert(workspace).values({ id: 'ws-1', name: 'Kept' });
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by another Porchlight process/);
    await first.close();

    const again = await openDatabase({ dataDir: dir }); // migrations run again: must be a no-op
    expect(await again.db.select().from(workspace)).toEqual([expect.objectContaining({ id: 'ws-1', name: 'Kept' })]);
    await again.close();
  });
});
