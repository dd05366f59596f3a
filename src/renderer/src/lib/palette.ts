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
