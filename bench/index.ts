/** `npm run bench`: every speed figure of the project, printed. */
import { benchRollout } from './rollout'

benchRollout()
