import type { ExportStreams } from './export';

/**
 * Rows a chunk of an export whose rows become objects on the event loop (entities hydrated by
 * TypeORM, DTOs with derived fields): the event loop holds a chunk's worth of work at once, and a
 * board's reply waits behind it. A hundred rows keep that to a few ms; the history exports, whose
 * CSV is made beside the event loop, keep their larger chunks.
 */
const ENTITY_EXPORT_CHUNK_ROWS = 100;

/** The chunk of an entity-hydrating export: {@link ENTITY_EXPORT_CHUNK_ROWS}, or less in tests. */
export function entityChunkRows(exports: Pick<ExportStreams, 'chunkRows'>): number {
  return Math.min(exports.chunkRows, ENTITY_EXPORT_CHUNK_ROWS);
}
