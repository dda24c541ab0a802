// One Porchlight process per PGlite folder: two would both "work" and silently lose writes. The
// lock is proper-lockfile's (a directory whose mtime the owner refreshes); beside it the owner
// writes its pid, so a lock left by a process that was killed (kill -9, a crash, a power cut of
// the container) is taken over at once instead of after the 15 s staleness window, while a live
// owner still refuses a second process.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

interface Owner {
  pid: number;
  host: string;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number | null) {
    super(
      `The database folder ${dataDir} is in use by another Porchlight process${pid ? ` (pid ${pid})` : ''}. ` +
        'Stop it first, or set DATA_DIR to another folder (or DATABASE_URL to use PostgreSQL).',
    );
  }
}

function readOwner(file: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host } : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks the folder for this process; resolves with the release function. */
export async function lockDataDir(dataDir: string, log: (msg: string) => void): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, 'porchlight.lock');
  const ownerPath = path.join(dataDir, 'porchlight.lock.owner');
  const take = () => lockfile.lock(dataDir, { lockfilePath: lockPath, stale: 15_000 });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const owner = readOwner(ownerPath);
    // Another machine's process (a shared volume), or one still running here: refuse.
    if (!owner || owner.host !== os.hostname() || alive(owner.pid)) throw new DataDirInUseError(dataDir, owner?.pid ?? null);
    log(`the database folder was locked by process ${owner.pid}, which is gone: taking it over`);
    rmSync(lockPath, { recursive: true, force: true });
    try {
      release = await take();
    } catch {
      throw new DataDirInUseError(dataDir, null); // another process took it over first
    }
  }
  writeFileSync(ownerPath, JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies Owner));
  return async () => {
    rmSync(ownerPath, { force: true });
    await release();
  };
}
