import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmCount } from './confirm-count';

/** Lets Ink handle what was typed and draw again. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Draws the prompt for 37 devices, types `keys` one at a time, and returns the answer given. */
async function answer(keys: string[]) {
  const onAnswer = vi.fn();
  const view = render(
    createElement(ConfirmCount, {
      action: 'wipe 37 device(s)? This cannot be undone.',
      details: ['skipped: 3 byod_wipe'],
      count: 37,
      onAnswer,
    }),
  );
  await settle();
  for (const key of keys) {
    view.stdin.write(key);
    await settle();
  }
  return { onAnswer, frame: view.lastFrame() ?? '', frames: view.frames.join('\n'), view };
}

describe('ConfirmCount', () => {
  it('shows what would happen and the number to type', async () => {
    const { frame, onAnswer, view } = await answer([]);
    expect(frame).toContain('wipe 37 device(s)? This cannot be undone.');
    expect(frame).toContain('skipped: 3 byod_wipe');
    expect(frame).toContain('Type 37 to confirm, Esc to cancel:');
    expect(onAnswer).not.toHaveBeenCalled();
    view.unmount();
  });

  it('typing the count and Enter confirms', async () => {
    const { onAnswer } = await answer(['3', '7', '\r']);
    expect(onAnswer).toHaveBeenCalledWith(true);
  });

  it('digits and Enter arriving together, as when pasted, confirm', async () => {
    const { onAnswer } = await answer(['37\r']);
    expect(onAnswer).toHaveBeenCalledWith(true);
  });

  it('a typo can be erased before Enter', async () => {
    const { onAnswer } = await answer(['3', '8', '\x7f', '7', '\r']);
    expect(onAnswer).toHaveBeenCalledWith(true);
  });

  it('another number cancels', async () => {
    const { onAnswer, frames } = await answer(['3', '\r']);
    expect(onAnswer).toHaveBeenCalledWith(false);
    expect(frames).toContain('canceled');
  });

  it.each([
    ['Esc', '\x1b'],
    ['Ctrl-C', '\x03'],
  ])('%s cancels', async (_key, key) => {
    const { onAnswer } = await answer(['3', '7', key]);
    expect(onAnswer).toHaveBeenCalledWith(false);
  });

  it('only digits are taken: "y" is no answer', async () => {
    const { onAnswer, frame, view } = await answer(['y']);
    expect(onAnswer).not.toHaveBeenCalled();
    expect(frame).not.toContain('cancel: y');
    view.unmount();
  });
});
