import { argumentError } from './errors.ts';
import { registerHandleKind, type PackedHandle } from './handles.ts';
import { SharedPrimitive, type SharedOptions } from './primitive.ts';
import { point, seam } from './seam.ts';

function checkInt32(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw argumentError(name, 'an integer', value);
  return value;
}

/**
 * A shared 32-bit integer. Every read of `value` is one `Atomics.load` and every write one
 * `Atomics.store`, so `cell.value += 1` is a read followed by a separate write: two
 * threads doing it at once lose updates, on every run, as in any language. Use the
 * atomic methods (or a Lock) to make a read-modify-write indivisible.
 *
 * Values are signed 32-bit integers: they wrap around past 2,147,483,647 to
 * -2,147,483,648, as in `Int32Array`.
 *
 * @example
 * ```ts
 * const counter = new SharedInt(0);
 * counter.value += 1;        // racy: read, then write
 * counter.add(1);            // atomic
 * ```
 */
export class SharedInt extends SharedPrimitive {
  constructor(initial = 0, options?: SharedOptions, from?: PackedHandle) {
    super('SharedInt', 1, options, from);
    if (from === undefined) this.words[0] = checkInt32('initial', initial);
  }

  /** The current value (one atomic read). Writing it is one atomic write. */
  get value(): number {
    if (seam.strategy === null) return Atomics.load(this.words, 0);
    point('read', this);
    const v = Atomics.load(this.words, 0);
    seam.strategy?.observe?.('read', this, v);
    return v;
  }

  set value(v: number) {
    if (seam.strategy !== null) point('write', this, v);
    Atomics.store(this.words, 0, v);
  }

  /** Atomically adds `delta`. @returns the new value. */
  add(delta: number): number {
    if (seam.strategy !== null) point('update', this, delta);
    // `| 0`: the value the cell holds now, wrapped to 32 bits as Atomics.add wraps it.
    return (Atomics.add(this.words, 0, delta) + delta) | 0;
  }

  /** Atomically subtracts `delta`. @returns the new value. */
  sub(delta: number): number {
    return this.add(-delta);
  }

  /** Atomically sets the value to `next` if it equals `expected`. @returns true if it did. */
  compareAndSet(expected: number, next: number): boolean {
    if (seam.strategy !== null) point('update', this, next);
    return Atomics.compareExchange(this.words, 0, expected, next) === (expected | 0);
  }

  /** Atomically sets the value. @returns the previous value. */
  exchange(next: number): number {
    if (seam.strategy !== null) point('update', this, next);
    return Atomics.exchange(this.words, 0, next);
  }

  /** The value, read without a scheduling point (for final assertions and reports). */
  peek(): number {
    return Atomics.load(this.words, 0);
  }
}

/**
 * A shared array of 32-bit integers; element reads and writes are atomic loads and
 * stores, with the same races as {@link SharedInt}.
 *
 * @example
 * ```ts
 * const balances = new SharedInt32Array(2, { name: 'balances' });
 * balances.set(0, balances.get(0) - 10);   // racy read-modify-write
 * balances.add(1, 10);                      // atomic
 * ```
 */
export class SharedInt32Array extends SharedPrimitive {
  constructor(lengthOrValues: number | readonly number[] = 0, options?: SharedOptions, from?: PackedHandle) {
    const values = typeof lengthOrValues === 'number' ? undefined : lengthOrValues;
    const length = values === undefined ? lengthOrValues : values.length;
    if (from === undefined && (typeof length !== 'number' || !Number.isInteger(length) || length < 0)) {
      throw argumentError('length', 'an integer >= 0 or an array of integers', lengthOrValues);
    }
    super('SharedInt32Array', from === undefined ? (length as number) : 0, options, from);
    values?.forEach((v, i) => (this.words[i] = checkInt32(`values[${i}]`, v)));
  }

  get length(): number {
    return this.words.length;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.words.length) {
      throw argumentError('index', `an integer from 0 to ${this.words.length - 1}`, index);
    }
  }

  /** Element `index` (one atomic read). */
  get(index: number): number {
    this.check(index);
    if (seam.strategy === null) return Atomics.load(this.words, index);
    point('read', this);
    const v = Atomics.load(this.words, index);
    seam.strategy?.observe?.('read', this, v);
    return v;
  }

  /** Sets element `index` (one atomic write). */
  set(index: number, value: number): void {
    this.check(index);
    if (seam.strategy !== null) point('write', this, value);
    Atomics.store(this.words, index, value);
  }

  /** Atomically adds `delta` to element `index`. @returns the new value. */
  add(index: number, delta: number): number {
    this.check(index);
    if (seam.strategy !== null) point('update', this, delta);
    return (Atomics.add(this.words, index, delta) + delta) | 0;
  }

  /** Atomically sets element `index` to `next` if it equals `expected`. @returns true if it did. */
  compareAndSet(index: number, expected: number, next: number): boolean {
    this.check(index);
    if (seam.strategy !== null) point('update', this, next);
    return Atomics.compareExchange(this.words, index, expected, next) === (expected | 0);
  }

  /** A copy of all elements, read without scheduling points (for assertions and reports). */
  toArray(): number[] {
    return Array.from(this.words, (_, i) => Atomics.load(this.words, i));
  }
}

registerHandleKind('SharedInt', (p) => new SharedInt(0, undefined, p));
registerHandleKind('SharedInt32Array', (p) => new SharedInt32Array(0, undefined, p));
