import { z } from 'zod'
import { applicationName } from '../../gitops/names'
import { labelSelector, serviceSelector } from '../../gitops/render/labels'
import { errorMessage } from '../../utils/errors'
import { defineTool, READ } from '../define'
import { Service } from '../schemas'
import { service, team } from './inputs'
import { NO_CLUSTER } from '../../domain/services/view'
import { ArgoCdStatus, PodView } from './schemas'
import { requireService, serviceView } from '../../domain/services/view'

const unknown = (message: string) => ({ syncStatus: 'Unknown', healthStatus: 'Unknown', revision: null, message, reconciledAt: null, outOfSync: [] })

export default defineTool({
  name: 'mctl_get_service_status',
  title: 'Get service status',
  description: 'Live status of a service: Argo CD sync and health, and its pods (ready, restarts, OOMKilled, CrashLoopBackOff…). Without a cluster: "Unknown", the reason in note.',
  input: z.object({ team, service }),
  output: z.object({
    service: Service,
    argocd: ArgoCdStatus.nullable().describe('null when the Argo CD Application does not exist (yet)'),
    pods: z.array(PodView),
    note: z.string().optional().describe('Why some live state is missing or unknown'),
  }),
  annotations: READ,
  access: 'member',
  subject: input => ({ tenant: input.team }),
  rest: { method: 'GET', path: '/api/v1/services/{team}/{service}/status' },
  async handler({ services: { index, cluster } }, { team, service }) {
    const spec = requireService(index, team, service)
    const view = serviceView({ tenant: team, name: service, spec }, index.platform)
    if (!cluster) return { service: view, argocd: unknown(NO_CLUSTER), pods: [], note: NO_CLUSTER }

    const app = applicationName(team, service)
    // Both reads run at once and are bounded by the cluster timeout; a failure becomes a note.
    const [argocd, pods] = await Promise.allSettled([cluster.application(app), cluster.pods(team, labelSelector(serviceSelector(team, service)))])
    const notes: string[] = []
    if (argocd.status === 'rejected') notes.push(errorMessage(argocd.reason))
    else if (argocd.value === null) notes.push(`Argo CD application "${app}" not found: it appears once Argo CD has picked up the commit`)
    if (pods.status === 'rejected') notes.push(errorMessage(pods.reason))
    return {
      service: view,
      argocd: argocd.status === 'fulfilled' ? argocd.value : unknown(errorMessage(argocd.reason)),
      pods: pods.status === 'fulfilled' ? pods.value : [],
      ...(notes.length ? { note: notes.join('; ') } : {}),
    }
  },
})
