import { plainToInstance, TransformationType } from 'class-transformer';
// @ts-expect-error the CommonJS build `class-transformer` resolves to ships its types apart (types/storage.d.ts)
import { defaultMetadataStorage as metadataStorage } from 'class-transformer/cjs/storage.js';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';

/** The decorators' registry of the build `plainToInstance` uses (the package's main, CommonJS). */
const defaultMetadataStorage = metadataStorage as MetadataStorage;

type Constructor = new () => object;
/** What a property of a message class needs: a plain copy, an instance of a nested class, or class-transformer itself. */
type Step = 'copy' | 'general' | Constructor;

/** Types class-transformer converts values into (rather than building an instance): those go through it. */
const CONVERTED: unknown[] = [String, Number, Boolean, Date, Buffer, Map, Set, Promise, Object, Array];
const steps = new WeakMap<Constructor, Map<string, Step>>();

/**
 * The received JSON as an instance of its message class, for class-validator (which finds a class's rules through
 * the instance's constructor). Most message classes need nothing else of class-transformer: no `@Transform`,
 * `@Expose`/`@Exclude`, type conversion or accessor, only `@Type` naming the class of a nested message. Those are
 * built here directly (a constructor call and the fields assigned, nested ones alike), which saves the general
 * transformer's per-field metadata lookups on every message; any class or field that needs more goes through
 * `plainToInstance` as before, so the result is the same either way.
 */
export function messageInstance(type: Constructor, plain: object): object {
  return build(type, plain) ?? (plainToInstance(type, plain) as object);
}

function build(type: Constructor, plain: object): object | undefined {
  const instance = new type() as Record<string, unknown>;
  for (const [key, value] of Object.entries(plain)) {
    const step = stepFor(type, key);
    if (step === 'general') return undefined;
    if (step === 'copy' || !value || typeof value !== 'object') {
      instance[key] = value;
    } else if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const item of value) {
        const built = item && typeof item === 'object' && !Array.isArray(item) ? build(step, item) : item;
        if (built === undefined) return undefined;
        items.push(built);
      }
      instance[key] = items;
    } else {
      const built = build(step, value);
      if (built === undefined) return undefined;
      instance[key] = built;
    }
  }
  return instance;
}

function stepFor(type: Constructor, key: string): Step {
  let byKey = steps.get(type);
  if (!byKey) steps.set(type, (byKey = new Map()));
  let step = byKey.get(key);
  if (!step) byKey.set(key, (step = decide(type, key)));
  return step;
}

function decide(type: Constructor, key: string): Step {
  const storage = defaultMetadataStorage;
  if (storage.getExposedMetadatas(type).length || storage.getExcludedMetadatas(type).length) return 'general';
  if (storage.findTransformMetadatas(type, key, TransformationType.PLAIN_TO_CLASS).length) return 'general';
  // An accessor (`__proto__` included) would run on assignment: the general path decides what that means.
  for (let proto: object | null = type.prototype as object; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    if (descriptor && (descriptor.get || descriptor.set)) return 'general';
  }
  const typed = storage.findTypeMetadata(type, key);
  if (!typed) return 'copy';
  if (typed.options?.discriminator) return 'general';
  const nested = typed.typeFunction() as unknown;
  if (typeof nested !== 'function' || CONVERTED.includes(nested)) return 'general';
  return nested as Constructor;
}
