import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { ServerStatus, type ServerStatusProps } from './server-status';

const stats = {
  devices: 200,
  enrolled: 200,
  online: 198,
  checkIns: 412,
  commandsExecuted: 3,
  policiesApplied: 0,
  errors: 1,
  disabled: 0,
  eventsGenerated: 1500,
  eventsUploaded: 1200,
  eventsDropped: 40,
  eventsRejected: 0,
  uploads: 12,
};

const draw = (props: ServerStatusProps) => render(createElement(ServerStatus, props));

describe('ServerStatus', () => {
  it('shows the URL, the data directory and the fleet counters', () => {
    const view = draw({
      url: 'http://127.0.0.1:8420',
      dataDir: '/data/fleetops',
      stats: () => stats,
      lines: [],
    });
    const frame = view.lastFrame() ?? '';
    expect(frame).toContain('fleetops server at http://127.0.0.1:8420');
    expect(frame).toContain('data: /data/fleetops');
    expect(frame).toContain('198/200 online');
    expect(frame).toContain('3 commands');
    expect(frame).toContain('1200 events');
    view.unmount();
  });

  it('without a fleet shows no counters, and prints event lines above the box', () => {
    const view = draw({ url: 'http://127.0.0.1:8420', dataDir: '/d', lines: ['device #1: lock succeeded'] });
    expect(view.lastFrame()).not.toContain('online');
    expect(view.frames.join('\n')).toContain('device #1: lock succeeded');
    view.unmount();
  });
});
