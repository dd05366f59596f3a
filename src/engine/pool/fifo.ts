/**
 * A map of at most `capacity` entries that forgets the oldest insertion first. Lookups do not reorder it,
 * so two copies fed the same sequence of `set` calls hold the same keys: the pool mirrors each worker's
 * centre cache this way (pool.ts, worker.ts).
 */
export class FifoCache<V> {
  private readonly entries = new Map<string, V>()

  constructor(readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key)
  }

  has(key: string): boolean {
    return this.entries.has(key)
  }

  set(key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string)
  }

  get size(): number {
    return this.entries.size
  }
}
