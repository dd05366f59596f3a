/** `npm run bench`: every speed figure of the project, printed. */
import { benchCluster } from './cluster'
import { benchGenerationProfile, benchScaling } from './engine'
import { benchHebbianEs } from './hebbian'
import { benchMads } from './mads'
import { benchQuadruped } from './quadruped'
import { benchRollout } from './rollout'
import { benchTransport } from './transport'

benchRollout()
await benchMads()
await benchScaling()
await benchGenerationProfile()
await benchTransport()
await benchQuadruped()
await benchHebbianEs()
await benchCluster()
