/**
 * The clock of a replay: position (fractional step), play/pause and speed, advanced by
 * requestAnimationFrame. One clock can drive several canvases (SyncedReplays: one shared clock, one set
 * of controls). The loop runs only while playing or when a redraw is pending, and counts the frames it
 * drew (`frames`, the player's own frame counter for the fps measurement).
 *
 * What 1× means: the model's time step Δt = 1 has no physical unit (docs/worm-foraging-model.md,
 * src/core/model/params.ts), so 1× is a fixed STEPS_PER_SECOND = 25 model steps per second: the
 * paper's 250-step rollout plays in 10 s, as its movies S1–S3 do at their pace.
 */
import { reactive } from 'vue'

export const STEPS_PER_SECOND = 25
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8] as const
export type Speed = (typeof SPEEDS)[number]

type Draw = (position: number) => void

/** Least time between updates of the controls (step counter, scrubber, readout) during playback. */
const UI_MS = 100

export class ReplayClock {
  /** What the controls show (updated when the shown step changes, not every frame). */
  readonly ui = reactive({ playing: false, speed: 1 as number, step: 0, steps: 0 })
  /** Fractional position, 0 … steps. */
  position = 0
  /** Frames drawn since the clock was made, and the milliseconds spent drawing them. */
  frames = 0
  drawMs = 0
  private readonly draws = new Set<Draw>()
  private raf = 0
  private last = 0
  private dirty = true
  private uiAt = 0

  /** `stepsPerSecond`: what 1× plays (the worm's 25 model steps/s; the quadruped's frames in real time). */
  constructor(public stepsPerSecond: number = STEPS_PER_SECOND) {}

  /** Sets the replay length; the position goes to the end (the whole path shows until Play). */
  setSteps(steps: number, position = steps): void {
    this.ui.steps = steps
    this.seek(position)
  }

  play(): void {
    if (this.ui.steps === 0) return
    if (this.position >= this.ui.steps) this.position = 0
    this.ui.playing = true
    this.last = 0
    this.kick()
  }

  pause(): void {
    this.ui.playing = false
    this.ui.step = Math.floor(this.position)
    this.invalidate()
  }

  toggle(): void {
    if (this.ui.playing) this.pause()
    else this.play()
  }

  seek(position: number): void {
    this.position = Math.min(this.ui.steps, Math.max(0, position))
    this.ui.step = Math.floor(this.position)
    this.invalidate()
  }

  setSpeed(speed: number): void {
    this.ui.speed = speed
  }

  /** Asks for a redraw on the next frame (e.g. after a resize). */
  invalidate(): void {
    this.dirty = true
    this.kick()
  }

  /** Registers a canvas's draw function; returns its removal. */
  attach(draw: Draw): () => void {
    this.draws.add(draw)
    this.invalidate()
    return () => {
      this.draws.delete(draw)
      if (this.draws.size === 0) this.stop()
    }
  }

  stop(): void {
    if (this.raf) cancelAnimationFrame(this.raf)
    this.raf = 0
    this.ui.playing = false
  }

  private kick(): void {
    if (this.raf === 0 && this.draws.size > 0 && typeof requestAnimationFrame === 'function')
      this.raf = requestAnimationFrame(this.frame)
  }

  private readonly frame = (now: number): void => {
    this.raf = 0
    if (this.ui.playing) {
      if (this.last > 0) this.position += ((now - this.last) / 1000) * this.stepsPerSecond * this.ui.speed
      this.last = now
      if (this.position >= this.ui.steps) {
        this.position = this.ui.steps
        this.ui.playing = false
      }
      // The controls follow at most every UI_MS while playing (the DOM repaints cost frames), exactly
      // when the replay stops.
      const step = Math.floor(this.position)
      if (step !== this.ui.step && (!this.ui.playing || now - this.uiAt >= UI_MS)) {
        this.ui.step = step
        this.uiAt = now
      }
    }
    if (this.ui.playing || this.dirty) {
      this.dirty = false
      const t0 = performance.now()
      for (const d of this.draws) d(this.position)
      this.drawMs += performance.now() - t0
      this.frames++
    }
    if (this.ui.playing) this.kick()
  }
}
