import { z } from 'zod'

/** On-disk schema of a connectome resource (resources/connectomes/*.json), documented in its README. */
export const connectomeFileSchema = z.object({
  schema: z.literal('connectome-lab/connectome@1'),
  id: z.string().min(1),
  name: z.string(),
  sources: z.array(z.string()),
  neurons: z.array(
    z.object({
      name: z.string().min(1),
      types: z.array(z.string()),
      neurotransmitters: z.array(z.string())
    })
  ),
  muscles: z.array(
    z.object({
      name: z.string().min(1),
      quadrant: z.enum(['D', 'V']),
      side: z.enum(['L', 'R']).nullable(),
      index: z.number().int().nullable(),
      locomotion: z.boolean()
    })
  ),
  sensory: z.object({ touch: z.array(z.string()), food: z.array(z.string()) }),
  /** [pre, post, W0] per distinct pair, in genome order (finiteness is checked by the loader, naming the pair). */
  connections: z.array(
    z.tuple([
      z.string(),
      z.string(),
      z.custom<number>((v) => typeof v === 'number', 'weight must be a number')
    ])
  ),
  pairsHash: z.string()
})

export type ConnectomeFile = z.infer<typeof connectomeFileSchema>
