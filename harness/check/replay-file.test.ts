import { describe, expect, it } from 'vitest';
import { UsageError } from '../run/errors.ts';
import { parseReplayFile, renderReplayFile, replaySpecForCase } from './replay-file.ts';

describe('replay files', () => {
  const scenario = { name: 'storm', description: 'd', seed: 99, orders: { count: 2 }, faults: [] };

  it('carry a generated scenario whole and read back as written', () => {
    const spec = replaySpecForCase(scenario, 'naive', 'out/replay.json');
    expect(spec.command).toBe('npx faultline replay out/replay.json');
    expect(spec.seed).toBe(99);
    expect(parseReplayFile(renderReplayFile(spec), 'replay.json')).toEqual(spec);
  });

  it('are refused with the reason when they are not replay files or are damaged', () => {
    expect(() => parseReplayFile('{', 'a.json')).toThrow(UsageError);
    expect(() => parseReplayFile('{"name":"x"}', 'a.json')).toThrow(/not a Faultline replay file/);
    expect(() => parseReplayFile('{"format":"faultline-replay/1","scenario":"x","seed":"7","mode":"sim","middleware":"naive","odoo":"emulated"}', 'a.json')).toThrow(
      /seed must be an integer/,
    );
  });
});
