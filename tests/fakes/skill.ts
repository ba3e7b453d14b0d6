// A loopback remote skill: verifies MCTL's HMAC-SHA256 signature (X-Mctl-Timestamp,
// X-Mctl-Signature over "<timestamp>.<body>") like a real receiver must, refuses unsigned or
// tampered requests with 401, and answers with what the test decides.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { json, listen, type Fake } from './http'

export interface FakeSkill extends Fake {
  secret: string
  /** Payloads whose signature checked out. */
  received: any[]
  /** Requests refused for a bad or missing signature. */
  refused: number
  answer: (payload: any) => { status: number, body?: unknown }
}

export async function startSkillFake(secret = 'skill-hmac-secret-0123456789'): Promise<FakeSkill> {
  const received: any[] = []
  const state = { refused: 0, answer: (_: any) => ({ status: 204 }) as { status: number, body?: unknown } }
  const fake = await listen((req, res) => {
    const timestamp = String(req.headers['x-mctl-timestamp'] ?? '')
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${req.body}`).digest('hex')}`)
    const given = Buffer.from(String(req.headers['x-mctl-signature'] ?? ''))
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300
    if (!fresh || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      state.refused++
      return json(res, 401, { error: 'bad signature' })
    }
    const payload = JSON.parse(req.body)
    received.push(payload)
    const { status, body } = state.answer(payload)
    json(res, status, body ?? null)
  })
  return {
    ...fake,
    secret,
    received,
    get refused() { return state.refused },
    get answer() { return state.answer },
    set answer(fn) { state.answer = fn },
  }
}
