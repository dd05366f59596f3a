/** Colours shared by the canvas and the charts (mirrors the CSS variables in styles.css). */
export const palette = {
  bg: '#0f1216',
  panel: '#151a21',
  grid: '#1f2630',
  border: '#2a323d',
  text: '#d5dbe3',
  muted: '#8792a1',
  faint: '#5b6573',
  accent: '#58b6a8',
  left: '#6ea8fe',
  right: '#f2a65a',
  reward: '#58b6a8',
  food: '#7cc68b',
  eaten: '#e4c05c',
  touchZone: 'rgba(242, 166, 90, 0.06)',
  pathStart: [110, 168, 254] as const,
  pathEnd: [232, 110, 190] as const
}

/** Colours of compared runs (training curves, the swatches of the runs table), in selection order. */
export const seriesColors = [
  '#6ea8fe',
  '#f2a65a',
  '#7cc68b',
  '#e86ebe',
  '#b59cf5',
  '#e4c05c',
  '#58c7d8',
  '#e5737a'
] as const

/** Time-profile components: worker time (rollouts, MADS, transport, idle) and the algorithm's own work. */
export const profileColors = {
  rollout: '#58b6a8',
  mads: '#6ea8fe',
  transport: '#b59cf5',
  idle: '#3a4452',
  algorithm: '#f2a65a'
} as const
