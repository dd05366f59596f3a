/**
 * The connectome graph's look (Cytoscape.js stylesheet and colours), as in the ENOMAD paper's Fig. 2:
 * excitatory synapses red and inhibitory blue with the width by |w| (a), and in a diff the increases
 * magenta and the decreases green with the width by |Δw| (b, c). Edges (drawn on a canvas layer,
 * lib/graph-edges.ts) are thin and translucent so that 3,689 of them read as strata rather than a
 * hairball; labels show on hover, selection and zoom.
 */
import type { StylesheetJson } from 'cytoscape'
import type { Stratum } from './strata'

export const graphColors = {
  excitatory: '#e5534b',
  inhibitory: '#4a8cf7',
  increase: '#f048d8',
  decrease: '#3fd47f',
  unchanged: '#6b7685',
  label: '#d5dbe3',
  axis: '#8792a1',
  selected: '#ffffff'
} as const

/** Node fill by stratum (none of them an edge colour). */
export const stratumColors: Record<Stratum, string> = {
  sensory: '#f2c14e',
  recurrent: '#aab4c2',
  muscle: '#6f7886',
  'muscle-left': '#4fc3c8',
  'muscle-right': '#f2934b'
}

export const stratumLabels: Record<Stratum, string> = {
  sensory: 'sensory',
  recurrent: 'recurrent',
  muscle: 'other muscles',
  'muscle-left': 'left locomotion',
  'muscle-right': 'right locomotion'
}

/** Model coordinates the unit strata layout is scaled to (the viewport then fits it). */
export const GRAPH_WIDTH = 1400
export const GRAPH_HEIGHT = 760

/** Edge width in px at zoom 1: a floor so that the weakest synapse shows, then √ of the share of the largest. */
export function edgeWidth(magnitude: number, largest: number, diff: boolean): number {
  if (!(largest > 0) || magnitude === 0) return 0.35
  const share = Math.sqrt(Math.min(1, Math.abs(magnitude) / largest))
  return diff ? 0.7 + 3.6 * share : 0.3 + 2.4 * share
}

export const graphStylesheet: StylesheetJson = [
  {
    selector: 'node',
    style: {
      width: 9,
      height: 9,
      'background-color': 'data(color)',
      'border-width': 0,
      label: 'data(id)',
      color: graphColors.label,
      'font-size': 7,
      'font-family': 'ui-monospace, SFMono-Regular, Menlo, monospace',
      'text-valign': 'center',
      'text-halign': 'right',
      'text-margin-x': 3,
      'min-zoomed-font-size': 11,
      'text-outline-width': 2,
      'text-outline-color': '#0f1216',
      'text-outline-opacity': 0.85
    }
  },
  { selector: 'node.muscle', style: { shape: 'round-rectangle', width: 10, height: 6 } },
  { selector: 'node.sensory', style: { 'text-halign': 'left', 'text-margin-x': -3 } },
  {
    selector: 'node.axis',
    style: {
      width: 1,
      height: 1,
      'background-opacity': 0,
      label: 'data(label)',
      color: graphColors.axis,
      'font-size': 14,
      'font-weight': 600,
      'text-wrap': 'wrap',
      'text-halign': 'center',
      'text-valign': 'top',
      'text-margin-x': 0,
      'min-zoomed-font-size': 0,
      events: 'no',
      'text-outline-width': 0
    }
  },
  { selector: 'node.dim', style: { opacity: 0.35 } },
  // Neighbourhood of the clicked neuron: the rest fades (its synapses: lib/graph-edges.ts).
  { selector: 'node.faded', style: { opacity: 0.12, label: '' } },
  {
    selector: 'node.hl, node.hover',
    style: { 'min-zoomed-font-size': 0, 'font-size': 8, opacity: 1, 'z-index': 20 }
  },
  {
    selector: 'node:selected',
    style: {
      width: 13,
      height: 13,
      'border-width': 2,
      'border-color': graphColors.selected,
      'min-zoomed-font-size': 0,
      'font-size': 10,
      'font-weight': 700,
      'z-index': 30
    }
  }
]
