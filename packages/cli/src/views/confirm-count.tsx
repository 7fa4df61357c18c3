import { Box, render, Text, useApp, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { printable } from '../output/printable';

/** What the confirmation of a destructive job shows. */
export interface ConfirmCountProps {
  /** What would happen, e.g. `wipe 37 devices`. */
  action: string;
  /** Lines under it: skipped devices, approval. */
  details: string[];
  /** The number the person has to type. */
  count: number;
  /** Called once: whether the person typed the count and pressed Enter. */
  onAnswer: (confirmed: boolean) => void;
}

/**
 * Asks a person to type the number of devices a destructive job would act on: Enter with the
 * right number confirms; a wrong number, Esc or Ctrl-C cancels. Only digits are taken.
 */
export function ConfirmCount({ action, details, count, onAnswer }: ConfirmCountProps) {
  const { exit } = useApp();
  // Keys typed fast, or pasted, may arrive before the next render: the ref has them all.
  const typedRef = useRef('');
  const [typed, setTyped] = useState('');
  const [answer, setAnswer] = useState<boolean>();
  const type = (text: string) => {
    typedRef.current = text;
    setTyped(text);
  };
  useInput(
    (input, key) => {
      if (key.escape || (key.ctrl && input === 'c')) return setAnswer(false);
      if (key.backspace || key.delete) return type(typedRef.current.slice(0, -1));
      if (key.return) return setAnswer(typedRef.current === String(count));
      // Digits, possibly followed by Enter in the same chunk ("37\r" when pasted).
      const chunk = /^(\d*)([\r\n]?)$/.exec(input);
      if (!chunk) return;
      type(typedRef.current + chunk[1]);
      if (chunk[2]) setAnswer(typedRef.current === String(count));
    },
    { isActive: answer === undefined },
  );
  useEffect(() => {
    if (answer === undefined) return;
    onAnswer(answer);
    exit();
  }, [answer, onAnswer, exit]);
  return (
    <Box flexDirection="column">
      <Text bold color="red">
        {printable(action)}
      </Text>
      {details.map((line) => (
        <Text key={line}>{printable(line)}</Text>
      ))}
      <Text>
        Type <Text bold>{count}</Text> to confirm, Esc to cancel: {typed}
        {answer === undefined && <Text inverse> </Text>}
      </Text>
      {answer === false && <Text color="yellow">canceled</Text>}
    </Box>
  );
}

/** The terminal the prompt talks to: keys from `stdin`, drawn on `stderr` (stdout stays for results). */
export interface PromptStreams {
  stdin: NodeJS.ReadableStream;
  stderr: NodeJS.WritableStream;
}

/** Draws {@link ConfirmCount} until the person answers; resolves with whether they confirmed. */
export async function confirmCount(
  props: Omit<ConfirmCountProps, 'onAnswer'>,
  streams: PromptStreams,
): Promise<boolean> {
  let confirmed = false;
  const app = render(
    <ConfirmCount
      {...props}
      onAnswer={(answer) => {
        confirmed = answer;
      }}
    />,
    { stdout: streams.stderr, stdin: streams.stdin, exitOnCtrlC: false, patchConsole: false },
  );
  await app.waitUntilExit();
  return confirmed;
}
