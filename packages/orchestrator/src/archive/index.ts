/** Archives of run directories: `3pio pack` writes them, `3pio merge` reads them. */
export { ArchiveError } from './archive-error.js';
export { packRunDirectory } from './pack.js';
export { unpackArchive, type UnpackLimits } from './unpack.js';
