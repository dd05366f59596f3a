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

/** `#rrggbb` of an HSL colour (h in degrees, s and l in 0..1). */
function hsl(h: number, s: number, l: number): string {
  const f = (n: number): string => {
    const k = (n + h / 30) % 12
    const v = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1))
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0')
  }
  return `#${f(0)}${f(8)}${f(4)}`
}

/**
 * The colour of the i-th compared run or group (0-based): the eight of `seriesColors` first, then
 * colours spaced by the golden angle in hue (≈137.5°, so no two neighbours are alike), lightness
 * alternating between three levels, so the 9th never reuses the 1st and every index has its own colour.
 */
export function seriesColor(i: number): string {
  if (i < seriesColors.length) return seriesColors[i]
  const k = i - seriesColors.length
  return hsl((20 + k * 137.508) % 360, 0.62, [0.66, 0.54, 0.74][k % 3])
}

/** Time-profile components: worker time (rollouts, MADS, transport, idle) and the algorithm's own work. */
export const profileColors = {
  rollout: '#58b6a8',
  mads: '#6ea8fe',
  transport: '#b59cf5',
  idle: '#3a4452',
  algorithm: '#f2a65a'
} as const
