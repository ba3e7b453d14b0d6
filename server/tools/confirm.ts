import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, isNull } from 'drizzle-orm'
import { confirmTokens } from '../db/schema'
import { forbidden } from '../utils/errors'
import type { ToolContext } from './define'

const TTL_MS = 5 * 60_000
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** Arguments as the confirm token is bound to them: without `confirm` and `wait_seconds`. */
function argsHash(args: Record<string, unknown>) {
  const { confirm: _c, wait_seconds: _w, ...rest } = args
  return sha256(JSON.stringify(Object.keys(rest).sort().map(k => [k, rest[k]])))
}

/** First call of a destructive tool: a single-use token bound to caller, tool and arguments. */
export function issueConfirmation(ctx: ToolContext, args: Record<string, unknown>) {
  const token = `confirm_${randomBytes(18).toString('base64url')}`
  const expiresAt = new Date(Date.now() + TTL_MS).toISOString()
  ctx.services.db.insert(confirmTokens).values({
    tokenHash: sha256(token),
    userId: ctx.identity.userId,
    tool: ctx.tool.name,
    argsHash: argsHash(args),
    expiresAt,
  }).run()
  return { confirm: token, expires_at: expiresAt }
}

/** Second call: spends the token, or refuses when it is unknown, spent, expired or for other arguments. */
export function consumeConfirmation(ctx: ToolContext, args: Record<string, unknown>, token: string) {
  const spent = ctx.services.db.update(confirmTokens).set({ usedAt: new Date().toISOString() }).where(and(
    eq(confirmTokens.tokenHash, sha256(token)),
    eq(confirmTokens.userId, ctx.identity.userId),
    eq(confirmTokens.tool, ctx.tool.name),
    eq(confirmTokens.argsHash, argsHash(args)),
    isNull(confirmTokens.usedAt),
    gt(confirmTokens.expiresAt, new Date().toISOString()),
  )).returning().get()
  if (!spent) {
    throw forbidden('The confirm token is invalid, expired, already used, or was issued for other arguments or another caller: call again without "confirm" to get a fresh plan')
  }
}
