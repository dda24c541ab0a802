// A separate process that opens a PGlite folder, stores one row, says READY and keeps the folder
// open until it is killed: what a Porchlight process does to its database, for lock tests.
// Usage: tsx test/support/pglite-holder.ts <dataDir> <workspaceId>
import { openDatabase } from '../../drizzle/db';
import { workspace } from '../../drizzle/schema';

const [dir, id] = process.argv.slice(2);
if (!dir || !id) throw new Error('usage: pglite-holder <dataDir> <workspaceId>');
const database = await openDatabase({ dataDir: dir });
await database.db.insert(workspace).values({ id, name: 'Written before the kill' });
console.log('READY');
setInterval(() => {}, 60_000);
