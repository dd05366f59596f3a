/**
 * The interventions of the paper's analyses as episode hooks of the quadruped (src/core/env/quadruped/env.ts,
 * EpisodeHooks): stop the Hebbian updates, saturate the outputs, zero a subset of the weights.
 */
import type { EpisodeHooks } from '../../env/quadruped/env'
import type { PlasticMlp } from '../../hebbian/network'
import { Rng } from '../../util/rng'

/**
 * The updates stop after `t` of them: the update after step s runs only for s < t. So t = 0 keeps the
 * initial random weights for the whole lifetime, and t ≥ the lifetime changes nothing.
 */
export function freezeHooks(t: number): EpisodeHooks {
  return { plastic: (s) => s < t }
}

/**
 * Every network output is `value` during steps [start, start + duration). The output buffer is the last
 * layer's post activation, so the Hebbian update of those steps sees the saturated outputs too ("saturating
 * all its outputs to 1.0", seed 002 §4.1).
 */
export function saturateHooks(start: number, duration: number, value: number): EpisodeHooks {
  return {
    action: (t, action) => {
      if (t >= start && t < start + duration) action.fill(value)
    }
  }
}

/** round(fraction · n) distinct synapse indices, uniform over all layers (partial Fisher–Yates). */
export function pruneIndices(n: number, fraction: number, seed: number): Int32Array {
  return new Rng(seed).sample(n, Math.round(fraction * n))
}

/**
 * The weights at `indices` are zeroed at step `at`, before its forward pass: the step's action comes from
 * the pruned network and its Hebbian update starts from the zeros (the static network keeps them for the
 * rest of the episode). The hook recomputes that step's forward pass in place from the same input.
 */
export function pruneHooks(at: number, indices: Int32Array): EpisodeHooks {
  return {
    action: (t, _action, net: PlasticMlp) => {
      if (t !== at) return
      const w = net.weights
      for (let k = 0; k < indices.length; k++) w[indices[k]] = 0
      // forward() copies its input into activations[0] first, so the current input can be passed itself;
      // it writes the output into the same buffer `action` is.
      net.forward(net.activations[0])
    }
  }
}

/** Whole-lifetime analyses plot every step: the authors' early stop is turned off. */
export const NO_EARLY_STOP: EpisodeHooks = { earlyStop: () => false }

/** The hooks one after another (actions and steps in order; plastic and earlyStop: all must agree). */
export function composeHooks(...list: EpisodeHooks[]): EpisodeHooks {
  const actions = list.flatMap((h) => (h.action ? [h.action] : []))
  const steps = list.flatMap((h) => (h.step ? [h.step] : []))
  const plastic = list.flatMap((h) => (h.plastic ? [h.plastic] : []))
  const stops = list.flatMap((h) => (h.earlyStop ? [h.earlyStop] : []))
  return {
    ...(actions.length ? { action: (t, a, net) => actions.forEach((f) => f(t, a, net)) } : {}),
    ...(steps.length ? { step: (t, sim, net) => steps.forEach((f) => f(t, sim, net)) } : {}),
    ...(plastic.length ? { plastic: (t) => plastic.every((f) => f(t)) } : {}),
    ...(stops.length ? { earlyStop: (t) => stops.every((f) => f(t)) } : {})
  }
}
