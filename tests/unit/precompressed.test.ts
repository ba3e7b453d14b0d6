import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { Precompressed } from '../../server/mcp/precompressed'

const body = Buffer.from(`{"jsonrpc":"2.0","result":${JSON.stringify({ tools: Array.from({ length: 300 }, (_, i) => ({ name: `tool_${i}`, description: 'Ünïcödé – and repetition '.repeat(i % 7) })) })},"id":`)

/** Decoded the way a browser or fetch() does: the web platform's own gzip stream. */
async function webGunzip(chunks: Buffer[]): Promise<string> {
  const stream = new Blob(chunks).stream().pipeThrough(new DecompressionStream('gzip'))
  return new Response(stream).text()
}

describe('a precompressed answer', () => {
  const answer = new Precompressed(body)

  it.each(['1}', '"req-ü-42"}', '9007199254740991}', ''])('gzips to the body and the tail %j', async (tail) => {
    const chunks = answer.gzip(tail)
    const expected = `${body}${tail}`
    expect(gunzipSync(Buffer.concat(chunks)).toString()).toBe(expected)
    expect(await webGunzip(chunks)).toBe(expected)
    expect(Buffer.concat(answer.plain(tail)).toString()).toBe(expected)
  })

  it('is a fraction of the body\'s size, and only the tail is new per answer', () => {
    const [head, tail] = answer.gzip('7}')
    expect(head!.length).toBeLessThan(body.length / 5)
    expect(answer.gzip('8}')[0]).toBe(head) // the same buffer: nothing is compressed per answer
    expect(tail!.length).toBe(5 + 2 + 8)
  })
})
