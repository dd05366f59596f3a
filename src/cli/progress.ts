import { MultiBar, Presets } from 'cli-progress'
import type { ProgressEvent } from '../engine/runs/manager'
import { headlineLabel, headlineValue } from './format'

const fmtTime = (s: number | null): string => {
  if (s === null || !Number.isFinite(s)) return '--:--'
  const m = Math.floor(s / 60)
  return `${m}:${String(Math.round(s % 60)).padStart(2, '0')}`
}

/**
 * Progress bars with ETA for long commands (one bar per active run), written to stderr so stdout stays
 * clean for tables and JSON. Lines logged through `log` appear above the bars.
 */
export class Progress {
  private readonly multi = new MultiBar(
    {
      format:
        ' {bar} {percentage}% | {label} | gen {gen} | best {metric} {headline} | fitness {fit} | ETA {eta}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      stream: process.stderr,
      noTTYOutput: false,
      etaBuffer: 20
    },
    Presets.shades_classic
  )
  private readonly bars = new Map<string, ReturnType<MultiBar['create']>>()

  update(label: string, environment: string, e: ProgressEvent): void {
    const payload = {
      label,
      gen: e.generation,
      metric: headlineLabel(environment),
      headline: headlineValue(environment, e.bestMetrics),
      fit: e.bestFitness.toFixed(1),
      eta: fmtTime(e.etaSeconds)
    }
    let bar = this.bars.get(e.runId)
    if (!bar) {
      bar = this.multi.create(1000, 0, payload)
      this.bars.set(e.runId, bar)
    }
    bar.update(Math.round(e.fraction * 1000), payload)
  }

  log(line: string): void {
    if (process.stdout.isTTY && process.stderr.isTTY) this.multi.log(line + '\n')
    else process.stdout.write(line + '\n')
  }

  /** Ends the bars; writes nothing when none was drawn (a run refused before its first generation). */
  stop(): void {
    if (this.bars.size > 0) this.multi.stop()
  }
}
