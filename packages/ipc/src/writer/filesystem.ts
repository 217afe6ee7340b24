/**
 * Whether one O_APPEND write is enough to keep lines whole. On a local file system the
 * kernel serialises appends to one file, so concurrent writers never tear each other's
 * lines. On network and FUSE file systems appends are emulated by each client (NFS:
 * "size, then write at size"), so two machines, or two caches, can overwrite each other.
 */
import { statfsSync } from 'node:fs';

// statfs(2) f_type magic numbers of the file systems whose appends are not atomic.
const SHARED_FILE_SYSTEMS = new Map<number, string>([
  [0x6969, 'nfs'],
  [0x517b, 'smb'],
  [0xff534d42, 'cifs'],
  [0xfe534d42, 'smb2'],
  [0x73757245, 'coda'],
  [0x5346414f, 'afs'],
  [0x00c36400, 'ceph'],
  [0x01021997, '9p'],
  [0x65735546, 'fuse'],
  [0x0bd00bd0, 'lustre'],
  [0x47504653, 'gpfs'],
]);

/** The name of the shared file system `dir` lives on, or undefined for a local one. */
export function sharedFileSystemAt(dir: string): string | undefined {
  // The type can come back sign-extended from a 32-bit field: compare as unsigned.
  return SHARED_FILE_SYSTEMS.get(statfsSync(dir).type >>> 0);
}
