/**
 * A bounded, single-consumer async queue. The producer is pulled, not pushed: when
 * the consumer finds the queue empty it asks the producer to refill it, so a slow
 * consumer simply means the file is read later. Nothing is ever dropped.
 */
export class EventChannel<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private detached = false;
  private readonly settled: Promise<void>;
  private settle!: () => void;

  constructor(
    readonly capacity: number,
    /** Called when the consumer wants more than the queue holds. */
    private readonly refill: () => void,
  ) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** True when the producer must not push: the queue is full or the consumer left. */
  get full(): boolean {
    return this.detached || this.size >= this.capacity;
  }

  get isDetached(): boolean {
    return this.detached;
  }

  /** Resolves once the consumer has taken the last item of an ended channel, or left. */
  get done(): Promise<void> {
    return this.settled;
  }

  push(item: T): void {
    if (this.ended) throw new Error('EventChannel.push() after end()');
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.size === 0) this.finish();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size === 0 && !this.ended && !this.detached) this.refill();
    if (this.size > 0) return Promise.resolve({ value: this.take(), done: false });
    if (this.ended || this.detached) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.waiter !== undefined) throw new Error('EventChannel has one consumer: await next() before calling it again');
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** The consumer left (`break` in a for-await loop). */
  return(): Promise<IteratorResult<T>> {
    this.detached = true;
    this.items = [];
    this.head = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private take(): T {
    const item = this.items[this.head] as T;
    this.head += 1;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
      if (this.ended) this.finish();
    }
    return item;
  }

  private finish(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ value: undefined, done: true });
    this.settle();
  }
}
