import type { Command } from 'commander';
import { commands } from './commands/index';
import { policySchemaText } from './commands/policy/schema';
import { EXIT_CODE_MEANINGS } from './errors';
import { buildProgram } from './program';

const HELP_WIDTH = 100;

function* walk(command: Command): Generator<Command> {
  yield command;
  for (const sub of command.commands) yield* walk(sub);
}

function fullName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The CLI reference in Markdown: every command's `--help`, as commander prints it. */
export function cliReference(): string {
  const program = buildProgram(commands, async () => 0);
  const sections = [...walk(program)].map((command) => {
    command.configureHelp({ helpWidth: HELP_WIDTH });
    return `## ${fullName(command)}\n\n\`\`\`\n${command.helpInformation().trimEnd()}\n\`\`\``;
  });
  return `# CLI reference\n\nGenerated from the command definitions (\`npm run docs\`); the same text as \`--help\`.\n\n${sections.join('\n\n')}\n`;
}

/** The exit codes in Markdown. */
export function exitCodesReference(): string {
  const rows = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `| ${code} | ${meaning} |`);
  return [
    '# Exit codes',
    '',
    'Generated from the CLI (`npm run docs`). Every `fleetops` command exits with one of these codes,',
    'so scripts can branch on the outcome. Data goes to stdout, diagnostics to stderr.',
    '',
    '| code | meaning |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** The JSON Schema of a policy file, as `fleetops policy schema` prints it. */
export const policySchemaReference = policySchemaText;
