import { COMMAND_PARAMS, CommandType, DESTRUCTIVE_COMMANDS, Toggle } from '@fleetops/protocol';
import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { BULK_VERBS, bulkCommands } from './verbs';

/** The fields of a command's parameter schema. */
const shapeOf = (type: CommandType) =>
  (COMMAND_PARAMS[type] as unknown as z.ZodObject).shape as Record<string, z.ZodType>;

describe('bulk verbs match the protocol', () => {
  it('one verb per command type, at the top level', () => {
    expect(BULK_VERBS.map((v) => v.type).sort()).toEqual([...CommandType.options].sort());
    expect(bulkCommands.map((c) => c.path)).toEqual(BULK_VERBS.map((v) => v.type));
  });

  it('the destructive verbs are the protocol destructive commands', () => {
    const destructive = BULK_VERBS.filter((v) => v.destructive).map((v) => v.type);
    expect(destructive.sort()).toEqual([...DESTRUCTIVE_COMMANDS].sort());
  });

  it.each(BULK_VERBS.map((verb) => [verb.type, verb] as const))(
    '%s: a flag for every parameter, described as the schema describes it',
    (_type, verb) => {
      const shape = shapeOf(verb.type as CommandType);
      for (const flag of verb.params) {
        const field = shape[flag.param];
        expect(field, `${flag.flags} sets ${flag.param}`).toBeDefined();
        if (new Option(flag.flags).negate) continue;
        const described = field!.description!.toLowerCase();
        expect(flag.description.toLowerCase().startsWith(described), flag.flags).toBe(true);
        if (flag.choices) expect(flag.choices).toEqual(Toggle.options);
      }
      const covered = new Set([...verb.params.map((f) => f.param), ...(verb.reasonParam ? ['reason'] : [])]);
      expect([...covered].sort()).toEqual(Object.keys(shape).sort());
    },
  );

  it('a parameter the schema requires is a required flag', () => {
    for (const verb of BULK_VERBS) {
      const shape = shapeOf(verb.type as CommandType);
      for (const flag of verb.params) {
        if (verb.takesPackage) continue; // The package id may also come as the first argument.
        expect(Boolean(flag.required), flag.flags).toBe(!shape[flag.param]!.safeParse(undefined).success);
      }
    }
  });
});
