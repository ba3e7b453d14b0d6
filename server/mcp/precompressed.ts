import { constants, crc32, deflateRawSync } from 'node:zlib'

const GZIP_HEADER = Buffer.from([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]) // deflate, no name, no time, unknown OS

/**
 * A large answer that is the same every time but for a short tail (tools/list: some 80 KB of tool
 * descriptors, then the request's id), sent as it is or gzip-compressed at the cost of the
 * tail alone. The body is deflated once, ending on a sync flush (byte-aligned, not final);
 * each answer appends the tail as a final stored block (RFC 1951 §3.2.4) and the gzip
 * trailer, whose CRC-32 continues from the body's. A tenth of the bytes to write: on
 * loopback and on the wire, writing is what an answer of this size costs.
 */
export class Precompressed {
  private readonly gzipped: Buffer
  private readonly crc: number

  constructor(private readonly body: Buffer) {
    const deflated = deflateRawSync(body, { level: constants.Z_BEST_COMPRESSION, finishFlush: constants.Z_SYNC_FLUSH })
    this.gzipped = Buffer.concat([GZIP_HEADER, deflated])
    this.crc = crc32(body)
  }

  /** The answer's bytes in order: the body, then `tail`. */
  plain(tail: string): Buffer[] {
    return [this.body, Buffer.from(tail)]
  }

  gzip(tail: string): Buffer[] {
    const bytes = Buffer.from(tail)
    if (bytes.length > 0xFFFF) throw new RangeError('A stored block holds at most 65,535 bytes')
    const block = Buffer.alloc(5 + bytes.length + 8)
    block[0] = 1 // BFINAL = 1, BTYPE = 00 (stored); the rest of the byte is padding
    block.writeUInt16LE(bytes.length, 1)
    block.writeUInt16LE(~bytes.length & 0xFFFF, 3)
    bytes.copy(block, 5)
    block.writeUInt32LE(crc32(bytes, this.crc), 5 + bytes.length)
    block.writeUInt32LE((this.body.length + bytes.length) % 2 ** 32, 9 + bytes.length)
    return [this.gzipped, block]
  }
}
