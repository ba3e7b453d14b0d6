// Liveness: the process is up and serving. Readiness (/readyz) checks its dependencies.
export default defineEventHandler(() => ({ status: 'ok' }))
