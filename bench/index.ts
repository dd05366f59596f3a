/** `npm run bench`: every speed figure of the project, printed. */
import { benchGenerationProfile, benchScaling } from './engine'
import { benchMads } from './mads'
import { benchRollout } from './rollout'

benchRollout()
await benchMads()
await benchScaling()
await benchGenerationProfile()
