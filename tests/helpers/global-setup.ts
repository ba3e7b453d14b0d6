// Vitest global setup: integration tests run the built server, so make sure it is current.
import { ensureBuild } from '../../scripts/build.mjs'

export default async function setup() {
  await ensureBuild({ log: message => console.log(message) })
}
