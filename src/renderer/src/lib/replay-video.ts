/**
 * A replay as a WebM video, drawn frame by frame with the player's own drawing functions (replay-draw.ts)
 * on an offscreen canvas. Encoded by mediabunny (CanvasSource → VP9 or VP8 through WebCodecs), faster
 * than real time; where WebCodecs cannot encode either codec, MediaRecorder on canvas.captureStream()
 * records it in real time instead (`method` says which ran).
 *
 * Frames come at a fixed `fps`; the video lasts steps / (STEPS_PER_SECOND × speed) seconds.
 */
import {
  BufferTarget,
  CanvasSource,
  Output,
  QUALITY_HIGH,
  WebMOutputFormat,
  canEncodeVideo,
  type VideoCodec
} from 'mediabunny'
import type { RolloutTraceData } from '../../../shared/api'
import type { ArenaGeometry } from './arena'
import { STEPS_PER_SECOND } from './replay-clock'
import { createScene, drawFrame, drawStatic, type ReplayNetwork, type ReplayScene } from './replay-draw'
import { palette } from './palette'

export const RESOLUTIONS = [
  { label: '640 × 360', width: 640, height: 360 },
  { label: '1280 × 720', width: 1280, height: 720 },
  { label: '1920 × 1080', width: 1920, height: 1080 }
] as const

export interface VideoRequest {
  trace: RolloutTraceData
  geometry: ArenaGeometry
  /** The activity panel's network; null for the arena only. */
  network: ReplayNetwork | null
  width: number
  height: number
  speed: number
  fps: number
  /** Written in a corner of every frame (e.g. the run and the task). */
  caption?: string
  /** Fraction done, 0..1. */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

export interface VideoResult {
  blob: Blob
  frames: number
  seconds: number
  method: 'webcodecs-vp9' | 'webcodecs-vp8' | 'mediarecorder'
  /** Wall-clock ms the encoding took. */
  encodeMs: number
}

export class VideoCancelled extends Error {
  constructor() {
    super('video export cancelled')
    this.name = 'VideoCancelled'
  }
}

/** Frames and duration of a replay video. */
export function videoTiming(steps: number, speed: number, fps: number): { seconds: number; frames: number } {
  const seconds = steps / (STEPS_PER_SECOND * speed)
  return { seconds, frames: Math.max(1, Math.round(seconds * fps)) }
}

function check(req: VideoRequest): void {
  const even = (n: number) => Number.isInteger(n) && n >= 64 && n <= 3840 && n % 2 === 0
  if (!even(req.width))
    throw new Error(`width: expected an even number of pixels from 64 to 3840, got ${req.width}`)
  if (!even(req.height))
    throw new Error(`height: expected an even number of pixels from 64 to 3840, got ${req.height}`)
  if (!(req.speed > 0 && req.speed <= 64)) throw new Error(`speed: expected 0 < speed ≤ 64, got ${req.speed}`)
  if (!(Number.isInteger(req.fps) && req.fps >= 1 && req.fps <= 60))
    throw new Error(`fps: expected a whole number from 1 to 60, got ${req.fps}`)
  if (req.trace.steps < 1) throw new Error('trace: the replay has no steps')
}

/** A frame painter over one offscreen canvas: the scene, its static layer and the caption. */
function painter(req: VideoRequest) {
  const canvas = new OffscreenCanvas(req.width, req.height)
  const ctx = canvas.getContext('2d')!
  const layer = new OffscreenCanvas(req.width, req.height)
  const scene: ReplayScene = createScene(req.trace, req.geometry, req.network, req.width, req.height)
  drawStatic(layer.getContext('2d')!, scene)
  const size = Math.max(11, Math.round(req.height / 36))
  const paint = (position: number): void => {
    drawFrame(ctx, scene, layer, position)
    ctx.font = `${size}px system-ui, sans-serif`
    ctx.textBaseline = 'bottom'
    ctx.fillStyle = palette.muted
    const step = Math.floor(position)
    ctx.fillText(
      `${req.caption ? `${req.caption} · ` : ''}step ${step} / ${req.trace.steps}`,
      scene.arena.x + 18,
      req.height - 16
    )
  }
  return { canvas, paint }
}

async function pickCodec(width: number, height: number): Promise<VideoCodec | null> {
  for (const codec of ['vp9', 'vp8'] as const) {
    try {
      if (await canEncodeVideo(codec, { width, height })) return codec
    } catch {
      // not encodable here
    }
  }
  return null
}

export async function encodeReplayWebm(req: VideoRequest): Promise<VideoResult> {
  check(req)
  const t0 = performance.now()
  const { seconds, frames } = videoTiming(req.trace.steps, req.speed, req.fps)
  // Frame k shows time k / fps; the last frame the end of the replay.
  const stepsPerFrame = req.trace.steps / Math.max(1, frames - 1)
  const { canvas, paint } = painter(req)
  const codec = typeof VideoEncoder === 'function' ? await pickCodec(req.width, req.height) : null
  if (!codec) return recordRealTime(req, canvas, paint, frames, seconds, stepsPerFrame, t0)

  const target = new BufferTarget()
  const output = new Output({ format: new WebMOutputFormat(), target })
  const source = new CanvasSource(canvas, { codec, bitrate: QUALITY_HIGH, keyFrameInterval: 2 })
  output.addVideoTrack(source, { frameRate: req.fps })
  await output.start()
  try {
    for (let k = 0; k < frames; k++) {
      if (req.signal?.aborted) throw new VideoCancelled()
      paint(Math.min(req.trace.steps, k * stepsPerFrame))
      await source.add(k / req.fps, 1 / req.fps)
      req.onProgress?.((k + 1) / frames)
    }
    await output.finalize()
  } catch (e) {
    await output.cancel().catch(() => undefined)
    throw e
  }
  return {
    blob: new Blob([target.buffer!], { type: 'video/webm' }),
    frames,
    seconds,
    method: codec === 'vp9' ? 'webcodecs-vp9' : 'webcodecs-vp8',
    encodeMs: performance.now() - t0
  }
}

/** The fallback: MediaRecorder on a visible-size canvas's captureStream, painted in real time. */
async function recordRealTime(
  req: VideoRequest,
  offscreen: OffscreenCanvas,
  paint: (position: number) => void,
  frames: number,
  seconds: number,
  stepsPerFrame: number,
  t0: number
): Promise<VideoResult> {
  const canvas = document.createElement('canvas')
  canvas.width = req.width
  canvas.height = req.height
  const ctx = canvas.getContext('2d')!
  const stream = canvas.captureStream(req.fps)
  const mime = MediaRecorder.isTypeSupported('video/webm;codecs=vp9') ? 'video/webm;codecs=vp9' : 'video/webm'
  const recorder = new MediaRecorder(stream, { mimeType: mime })
  const chunks: Blob[] = []
  recorder.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data)
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()))
  recorder.start(250)
  try {
    for (let k = 0; k < frames; k++) {
      if (req.signal?.aborted) throw new VideoCancelled()
      paint(Math.min(req.trace.steps, k * stepsPerFrame))
      ctx.drawImage(offscreen, 0, 0)
      req.onProgress?.((k + 1) / frames)
      const due = t0 + ((k + 1) * 1000) / req.fps
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())))
    }
  } finally {
    recorder.stop()
    stream.getTracks().forEach((t) => t.stop())
    await stopped
  }
  return {
    blob: new Blob(chunks, { type: 'video/webm' }),
    frames,
    seconds,
    method: 'mediarecorder',
    encodeMs: performance.now() - t0
  }
}
