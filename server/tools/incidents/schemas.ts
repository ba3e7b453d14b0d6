import { z } from 'zod'

export const incidentStatus = z.enum(['firing', 'acknowledged', 'resolved', 'suppressed'])
export const incidentRef = z.string().min(8).max(32).describe('Incident id, or a prefix of at least 8 characters')

export const Incident = z.object({
  id: z.string(),
  fingerprint: z.string(),
  alertname: z.string(),
  status: incidentStatus,
  severity: z.string(),
  type: z.string().describe('oom, crashloop, probe, latency, errors, cpu, memory, storage, certificate, quota, meta or other'),
  team: z.string().nullable(),
  service: z.string().nullable(),
  summary: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  generatorUrl: z.string().nullable(),
  startsAt: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  occurrences: z.number().int(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolveReason: z.string().nullable(),
})
