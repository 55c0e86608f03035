/** Tables of the transparency log's integrated tree (migration 0012; decision 0029). */

export interface TlogStateTable {
  id: number; // always 1
  size: number;
  root: string; // base64
  /** The origin the log was first signed under; null before its first checkpoint. */
  origin: string | null;
  updated_at: string | null;
}

export interface TlogTileTable {
  level: number;
  tile_index: number;
  width: number; // 1..256
  hashes: Uint8Array; // width × 32 bytes
}

export interface TlogCheckpointTable {
  size: number;
  root: string; // base64
  note: string; // the signed note, as the log signed it
  signed_at: string;
}

export interface TlogCosignatureTable {
  checkpoint_size: number;
  witness: string; // the witness's key name
  lines: string; // its cosignature line(s), each ending in a newline
  received_at: string;
}
