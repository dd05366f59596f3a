/** Sensory neuron sets of the worm-foraging model (seed 000, section 2.2; GoPiGo). */

/** Nose-touch neurons, stimulated when the worm is near a wall. */
export const TOUCH_SENSORS = [
  'FLPR',
  'FLPL',
  'ASHL',
  'ASHR',
  'IL1VL',
  'IL1VR',
  'OLQDL',
  'OLQDR',
  'OLQVR',
  'OLQVL'
] as const

/** Chemosensory neurons, stimulated when uneaten food is within detection range. */
export const FOOD_SENSORS = ['ADFL', 'ADFR', 'ASGR', 'ASGL', 'ASIL', 'ASIR', 'ASJR', 'ASJL'] as const
