/**
 * An append-only list of plain records kept as numbers instead of objects.
 *
 * A run of 10,000 orders writes about a million history events. As objects
 * they cost 90-300 B apiece (a V8 object pays for every field, a timestamp
 * is a boxed double, the array a pointer), which made the history most of
 * what a long run kept in memory. Here a record is the id of its shape (its
 * keys in order, with the type of each value) and its values as 32-bit words
 * in one growing buffer: strings by id from one table, integers as they are,
 * other numbers as their 64 bits, nested plain objects by their own shape.
 * Three kinds of value take no word at all (`PackedLogOptions`): a record's
 * position, the values of keys that repeat by nature (an event's kind, the
 * systems at each end), which become part of the shape, and a time, kept as
 * milliseconds since the log's first when that is a whole number.
 * Reading a record builds a fresh object with the same keys in the same
 * order, so `JSON.stringify` gives the same bytes as for the record appended.
 *
 * A record is copied when appended, so changing the object afterwards does
 * not change the log; only a value of no plain kind (an array of anything but
 * integers, a class instance) is kept by reference.
 */

/** How one value is stored (plain numbers: the sources run with types stripped, which has no enums). */
const Type = {
  /** A string: one word, its id in the string table. */
  Str: 0,
  /** An integer that fits in 32 bits: one word. */
  Int: 1,
  /** Any other number: two words, its float64 bits. */
  Num: 2,
  True: 3,
  False: 4,
  Null: 5,
  /** A key present with the value `undefined` (no words; JSON leaves it out, as it did before). */
  Undefined: 6,
  /** A plain object: one word, the id of its shape, then its values. */
  Obj: 7,
  /** An array of 32-bit integers (record ids): its length, then the integers. */
  Ints: 8,
  /** Anything else (other arrays, class instances): one word, an index into the side list, kept as it is. */
  Other: 9,
  /** The record's position in the log: no words. */
  Position: 10,
  /** A string of a constant key: part of the shape, no words. */
  Constant: 11,
  /** A whole-millisecond time: one word, the milliseconds since the log's first time. */
  Time: 12,
} as const;
type Type = (typeof Type)[keyof typeof Type];

interface Shape {
  readonly keys: readonly string[];
  readonly types: readonly Type[];
  /** Per key of type `Constant`, its value. */
  readonly constants: readonly (string | undefined)[];
  /** The constant keys' values by key. */
  readonly constantOf: ReadonlyMap<string, string>;
  /** A key `__proto__` (JSON can carry one) is an own key only on an object without a prototype. */
  readonly protoKey: boolean;
}

export interface PackedLogOptions {
  /** A key that holds the record's position in the log (a sequence number). */
  position?: string;
  /** Keys whose string values come from a small set: each value is kept once, in the shape. */
  constants?: readonly string[];
  /** A key that holds a time in milliseconds. */
  time?: string;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isIntArray(value: unknown[]): value is number[] {
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item !== 'number' || !isInt32(item)) return false;
  }
  return true;
}

function typeOf(value: unknown): Type {
  switch (typeof value) {
    case 'string':
      return Type.Str;
    case 'number':
      return isInt32(value) ? Type.Int : Type.Num;
    case 'boolean':
      return value ? Type.True : Type.False;
    case 'undefined':
      return Type.Undefined;
    case 'object':
      if (value === null) return Type.Null;
      if (Array.isArray(value)) return isIntArray(value) ? Type.Ints : Type.Other;
      return isPlainObject(value) ? Type.Obj : Type.Other;
    default:
      return Type.Other;
  }
}

/** One key further down the tree of shapes. */
interface ShapeStep {
  /** The id of the shape whose last key this is, or -1. */
  shape: number;
  /** By key, then by the type of its value. */
  readonly typed: Map<string, ShapeStep[]>;
  /** By key, then by the constant's value. */
  readonly constant: Map<string, Map<string, ShapeStep>>;
}

function newStep(): ShapeStep {
  return { shape: -1, typed: new Map(), constant: new Map() };
}

function typedStep(from: ShapeStep, key: string, type: Type): ShapeStep {
  let byType = from.typed.get(key);
  if (byType === undefined) from.typed.set(key, (byType = []));
  let step = byType[type];
  if (step === undefined) byType[type] = step = newStep();
  return step;
}

function constantStep(from: ShapeStep, key: string, value: string): ShapeStep {
  let byValue = from.constant.get(key);
  if (byValue === undefined) from.constant.set(key, (byValue = new Map()));
  let step = byValue.get(value);
  if (step === undefined) byValue.set(value, (step = newStep()));
  return step;
}

/** Reinterprets a float64 as two int32 words and back. */
const float = new Float64Array(1);
const floatWords = new Int32Array(float.buffer);

export class PackedLog<T extends object> implements Iterable<T> {
  readonly #position: string | undefined;
  readonly #constants: ReadonlySet<string>;
  readonly #time: string | undefined;
  /** The first time appended, which the others are kept relative to. */
  #timeOrigin: number | undefined;
  #length = 0;
  /** Per record: its shape id. */
  #shapeOf = new Uint32Array(1024);
  /** Per record: where its values start in `#words`. */
  #start = new Uint32Array(1024);
  #words = new Int32Array(8192);
  #used = 0;
  readonly #shapes: Shape[] = [];
  /** The shapes as a tree of steps, one per key, walked as a record is written: a shape is found without building a name for it. */
  readonly #root = newStep();
  /** Scratch: the types and constants of the object being written. */
  readonly #types: Type[] = [];
  readonly #constantValues: (string | undefined)[] = [];
  readonly #strings: string[] = [];
  readonly #stringIds = new Map<string, number>();
  readonly #others: unknown[] = [];
  /** Where the record `#readObject` last read ends. */
  #readEnd = 0;

  constructor(options: PackedLogOptions = {}) {
    this.#position = options.position;
    this.#constants = new Set(options.constants);
    this.#time = options.time;
  }

  get length(): number {
    return this.#length;
  }

  push(record: T): number {
    const index = this.#length;
    if (index === this.#shapeOf.length) {
      this.#shapeOf = grown(this.#shapeOf, Math.max(1024, index * 2));
      this.#start = grown(this.#start, Math.max(1024, index * 2));
    }
    this.#start[index] = this.#used;
    this.#shapeOf[index] = this.#writeObject(record as Record<string, unknown>, index);
    this.#length = index + 1;
    return index;
  }

  /**
   * Gives back the room kept for growth (up to half of each buffer, which
   * doubles as it fills), for a log that is done growing. A later push still
   * works: it grows the buffers again.
   */
  trim(): void {
    this.#shapeOf = this.#shapeOf.slice(0, this.#length);
    this.#start = this.#start.slice(0, this.#length);
    this.#words = this.#words.slice(0, this.#used);
  }

  at(index: number): T | undefined {
    if (!Number.isInteger(index)) return undefined;
    const i = index < 0 ? this.#length + index : index;
    if (i < 0 || i >= this.#length) return undefined;
    return this.#readObject(this.#shapeOf[i]!, this.#start[i]!, i) as T;
  }

  /** The value of `key` in record `index` when it is a string, without building the record. */
  stringAt(index: number, key: string): string | undefined {
    const shape = this.#shapes[this.#shapeOf[index]!]!;
    const constant = shape.constantOf.get(key);
    if (constant !== undefined) return constant;
    let at = this.#start[index]!;
    for (let k = 0; k < shape.keys.length; k++) {
      const type = shape.types[k]!;
      if (shape.keys[k] === key) {
        if (type === Type.Constant) return shape.constants[k];
        return type === Type.Str ? this.#strings[this.#words[at]!] : undefined;
      }
      at = this.#skip(type, at);
    }
    return undefined;
  }

  *[Symbol.iterator](): Generator<T> {
    // Records are built one by one and dropped by the reader: a pass over the log never holds them all.
    for (let i = 0; i < this.#length; i++) yield this.#readObject(this.#shapeOf[i]!, this.#start[i]!, i) as T;
  }

  #word(value: number): void {
    if (this.#used === this.#words.length) this.#words = grown(this.#words, Math.max(8192, this.#used * 2));
    this.#words[this.#used++] = value;
  }

  #string(value: string): number {
    let id = this.#stringIds.get(value);
    if (id === undefined) {
      id = this.#strings.length;
      this.#strings.push(value);
      this.#stringIds.set(value, id);
    }
    return id;
  }

  /**
   * Writes the object's values and returns its shape id; the shape is known
   * only once every value's type is. `index` is the record's position for a
   * record, undefined for an object nested in one (the special keys are a
   * record's own).
   */
  #writeObject(object: Record<string, unknown>, index: number | undefined): number {
    const keys = Object.keys(object);
    const types = this.#types;
    const constants = this.#constantValues;
    let step = this.#root;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const value = object[key];
      let type = typeOf(value);
      if (index !== undefined) type = this.#specialType(key, type, value, index);
      types[k] = type;
      if (type === Type.Constant) {
        constants[k] = value as string;
        step = constantStep(step, key, value as string);
        continue;
      }
      step = typedStep(step, key, type);
      if (type === Type.Time) this.#word((value as number) - this.#timeOrigin!);
      // A nested object's values overwrite the scratch lists: read this record's types before, keep them after.
      else if (type === Type.Obj) this.#writeNested(value as Record<string, unknown>, keys.length);
      else this.#writeValue(type, value);
    }
    if (step.shape < 0) step.shape = this.#newShape(keys);
    return step.shape;
  }

  /** Writes a nested object, its shape id first; the scratch lists of the record around it survive. */
  #writeNested(value: Record<string, unknown>, outerKeys: number): void {
    const types = this.#types.slice(0, outerKeys);
    const constants = this.#constantValues.slice(0, outerKeys);
    this.#writeValue(Type.Obj, value);
    for (let k = 0; k < outerKeys; k++) {
      this.#types[k] = types[k]!;
      this.#constantValues[k] = constants[k];
    }
  }

  /** A shape for `keys` with the types (and constants) the walk just wrote to the scratch lists. */
  #newShape(keys: string[]): number {
    const types = this.#types.slice(0, keys.length);
    const constants = this.#constantValues.slice(0, keys.length);
    const constantOf = new Map<string, string>();
    for (let k = 0; k < keys.length; k++) if (types[k] === Type.Constant) constantOf.set(keys[k]!, constants[k]!);
    this.#shapes.push({ keys, types, constants, constantOf, protoKey: keys.includes('__proto__') });
    return this.#shapes.length - 1;
  }

  /** The type a record's key is kept as: a special one when the key is one of the options' and its value fits. */
  #specialType(key: string, type: Type, value: unknown, index: number): Type {
    if (key === this.#position) return value === index ? Type.Position : type;
    if (type === Type.Str && this.#constants.has(key)) return Type.Constant;
    if (key === this.#time && typeof value === 'number' && Number.isInteger(value)) {
      this.#timeOrigin ??= value;
      if (isInt32(value - this.#timeOrigin)) return Type.Time;
    }
    return type;
  }

  #writeValue(type: Type, value: unknown): void {
    switch (type) {
      case Type.Str:
        this.#word(this.#string(value as string));
        return;
      case Type.Int:
        this.#word(value as number);
        return;
      case Type.Num:
        float[0] = value as number;
        this.#word(floatWords[0]!);
        this.#word(floatWords[1]!);
        return;
      case Type.Obj: {
        // The shape id goes before the values, which are written first: keep its place.
        const slot = this.#used;
        this.#word(0);
        // Into a local first: writing the values may grow the buffer, and `this.#words[slot] = …` would pick the old one.
        const shape = this.#writeObject(value as Record<string, unknown>, undefined);
        this.#words[slot] = shape;
        return;
      }
      case Type.Ints: {
        const ints = value as number[];
        this.#word(ints.length);
        for (let i = 0; i < ints.length; i++) this.#word(ints[i]!);
        return;
      }
      case Type.Other:
        this.#word(this.#others.length);
        this.#others.push(value);
        return;
      default:
        return;
    }
  }

  #readObject(shapeId: number, from: number, index: number): Record<string, unknown> {
    const shape = this.#shapes[shapeId]!;
    const object: Record<string, unknown> = shape.protoKey ? Object.create(null) : {};
    let at = from;
    for (let k = 0; k < shape.keys.length; k++) {
      const type = shape.types[k]!;
      const words = this.#words;
      switch (type) {
        case Type.Str:
          object[shape.keys[k]!] = this.#strings[words[at++]!];
          break;
        case Type.Int:
          object[shape.keys[k]!] = words[at++];
          break;
        case Type.Num:
          floatWords[0] = words[at++]!;
          floatWords[1] = words[at++]!;
          object[shape.keys[k]!] = float[0];
          break;
        case Type.True:
          object[shape.keys[k]!] = true;
          break;
        case Type.False:
          object[shape.keys[k]!] = false;
          break;
        case Type.Null:
          object[shape.keys[k]!] = null;
          break;
        case Type.Undefined:
          object[shape.keys[k]!] = undefined;
          break;
        case Type.Obj: {
          object[shape.keys[k]!] = this.#readObject(words[at]!, at + 1, -1);
          at = this.#readEnd;
          break;
        }
        case Type.Ints: {
          const count = words[at++]!;
          object[shape.keys[k]!] = Array.from(words.subarray(at, at + count));
          at += count;
          break;
        }
        case Type.Other:
          object[shape.keys[k]!] = this.#others[words[at++]!];
          break;
        case Type.Position:
          object[shape.keys[k]!] = index;
          break;
        case Type.Constant:
          object[shape.keys[k]!] = shape.constants[k];
          break;
        case Type.Time:
          object[shape.keys[k]!] = this.#timeOrigin! + words[at++]!;
          break;
      }
    }
    this.#readEnd = at;
    return object;
  }

  /** Where the value after one of `type` starting at `at` begins. */
  #skip(type: Type, at: number): number {
    switch (type) {
      case Type.Str:
      case Type.Int:
      case Type.Other:
      case Type.Time:
        return at + 1;
      case Type.Num:
        return at + 2;
      case Type.Ints:
        return at + 1 + this.#words[at]!;
      case Type.Obj:
        this.#readObject(this.#words[at]!, at + 1, -1);
        return this.#readEnd;
      default:
        return at;
    }
  }
}

function grown<A extends Uint32Array | Int32Array>(array: A, size: number): A {
  const next = new (array.constructor as new (n: number) => A)(size);
  next.set(array);
  return next;
}
