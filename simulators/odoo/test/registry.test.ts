import { describe, expect, it } from 'vitest';
import { DEFAULT_MODULES } from '../modules.ts';
import { Registry } from '../orm/registry.ts';

describe('the compiled registry', () => {
  const registry = new Registry(DEFAULT_MODULES);
  const declared = DEFAULT_MODULES.flatMap((module) => [...(module.models ?? []), ...(module.extensions ?? [])]);

  it('keeps every option a field declares (the compiled field lists its properties one by one)', () => {
    // An extension may declare a field again: the last declaration is the one compiled.
    const last = new Map<string, Record<string, unknown>>();
    for (const spec of declared)
      for (const [name, field] of Object.entries(spec.fields ?? {})) last.set(`${spec.name} ${name}`, field as unknown as Record<string, unknown>);
    let checked = 0;
    for (const [key, field] of last) {
      const [modelName, name] = key.split(' ') as [string, string];
      const compiled = registry.model(modelName)!.field(name)! as unknown as Record<string, unknown>;
      for (const [option, value] of Object.entries(field)) {
        if (compiled[option] !== value)
          expect.fail(`${modelName}.${name}: option ${option} is ${String(compiled[option])} compiled, ${String(value)} declared`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('gives every compiled field the same properties in the same order', () => {
    const shapes = new Set<string>();
    for (const model of registry.models.values()) for (const field of model.fields.values()) shapes.add(Object.keys(field).join(','));
    expect([...shapes]).toHaveLength(1);
  });
});
