import { parse } from 'yaml'
import { z } from 'zod'
import type { GitRepo } from '../../gitops/repo'
import { ServicePatch } from '../patch'
import type { Skill, SkillInput } from './types'

export const SKILLS_DIR = 'platform/skills'

/** `exact` or `/regex/` (anchored by the author if they want it). */
const pattern = z.string().min(1).refine((v) => {
  if (!/^\/.*\/$/.test(v)) return true
  try { new RegExp(v.slice(1, -1)); return true }
  catch { return false }
}, 'is not a valid /regular expression/')

const Match = z.object({
  alertname: pattern.optional(),
  type: z.string().optional().describe('oom, crashloop, probe, latency, errors, cpu, memory, …'),
  severity: pattern.optional(),
  labels: z.record(z.string(), pattern).optional(),
  evidence: z.object({
    lastTermination: pattern.optional().describe('e.g. OOMKilled, Error'),
    waitingReason: pattern.optional().describe('e.g. CrashLoopBackOff'),
    argocdHealth: pattern.optional().describe('e.g. Degraded'),
    logContains: pattern.optional(),
  }).strict().optional(),
}).strict()

/** A YAML skill file: match conditions → a change template (a service.yaml edit). */
export const YamlSkillFile = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes').optional(),
  description: z.string().max(500).optional(),
  title: z.string().min(1).max(200).optional(),
  match: Match,
  change: ServicePatch,
  confidence: z.number().min(0).max(1).default(0.5),
}).strict()
type YamlSkillFile = z.infer<typeof YamlSkillFile>

const test = (p: string | undefined, value: string | null | undefined) => {
  if (p === undefined) return true
  if (value === null || value === undefined) return false
  return /^\/.*\/$/.test(p) ? new RegExp(p.slice(1, -1)).test(value) : p === value
}

/** Why the file's conditions do not hold, or null when they all do. */
function mismatch(m: YamlSkillFile['match'], { incident, evidence }: SkillInput): string | null {
  if (!test(m.alertname, incident.alertname)) return `alertname ${incident.alertname} does not match ${m.alertname}`
  if (m.type !== undefined && m.type !== incident.type) return `type ${incident.type} is not ${m.type}`
  if (!test(m.severity, incident.severity)) return `severity ${incident.severity} does not match ${m.severity}`
  for (const [k, p] of Object.entries(m.labels ?? {})) if (!test(p, incident.labels[k])) return `label ${k}=${incident.labels[k] ?? '(none)'} does not match ${p}`
  const e = m.evidence
  if (!e) return null
  if (!test(e.lastTermination, evidence.lastTermination?.reason)) return `last termination ${evidence.lastTermination?.reason ?? '(none)'} does not match ${e.lastTermination}`
  if (e.waitingReason !== undefined && !evidence.pods?.some(p => test(e.waitingReason, p.waitingReason))) return `no pod is waiting with ${e.waitingReason}`
  if (!test(e.argocdHealth, evidence.argocd?.healthStatus)) return `Argo CD health ${evidence.argocd?.healthStatus ?? '(unknown)'} does not match ${e.argocdHealth}`
  if (e.logContains !== undefined && !evidence.logs?.lines.some(l => /^\/.*\/$/.test(e.logContains!) ? test(e.logContains, l.line) : l.line.includes(e.logContains!)))
    return `no log line contains ${e.logContains}`
  return null
}

function toSkill(path: string, f: YamlSkillFile): Skill {
  const name = f.name ?? path.split('/').pop()!.replace(/\.ya?ml$/, '')
  return {
    name,
    source: 'yaml',
    description: f.description ?? `YAML skill ${path}`,
    run(input) {
      const why = mismatch(f.match, input)
      if (why) return { kind: 'skip', reason: why }
      return { kind: 'propose', title: f.title ?? name, reason: f.description ?? `the conditions of ${path} hold`, confidence: f.confidence, patch: f.change }
    },
  }
}

export interface YamlSkills { skills: Skill[], problems: string[] }

/**
 * The YAML skills of a commit, in file-name order. A file that does not parse or validate is
 * left out with a problem naming the file and the field; the others keep working.
 */
export async function loadYamlSkills(repo: GitRepo, rev: string): Promise<YamlSkills> {
  const paths = (await repo.listFiles(rev, SKILLS_DIR)).filter(p => /^platform\/skills\/[^/]+\.ya?ml$/.test(p)).sort()
  const texts = await repo.readFiles(rev, paths)
  const skills: Skill[] = []
  const problems: string[] = []
  for (const path of paths) {
    let raw: unknown
    try { raw = parse(texts.get(path) ?? '') }
    catch (err) {
      problems.push(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`)
      continue
    }
    const result = YamlSkillFile.safeParse(raw ?? {})
    if (!result.success) {
      problems.push(`${path}: ${result.error.issues.map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`)
      continue
    }
    skills.push(toSkill(path, result.data))
  }
  return { skills, problems }
}
