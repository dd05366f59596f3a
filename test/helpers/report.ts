/** The tiny Fig. 4 design the report tests train (rENOMAD and the EA × 2 seeds, 30 rollouts each). */
import { methodArms, type ReportDesign } from '../../src/engine/report/plan'

export const TINY_RENOMAD = { populationSize: 4, madsEvaluations: 5, madsCoordinates: 4 }

/** The design, with the EA's config replaceable (the other cells stay the same). */
export const tinyDesign = (ea: Record<string, unknown> = { populationSize: 4 }): ReportDesign => ({
  task: 'pentagon',
  seeds: [1, 2],
  evaluations: 30,
  arms: methodArms(['renomad', 'ea'], { renomad: TINY_RENOMAD, ea })
})
