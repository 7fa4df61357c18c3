import { readFileSync } from 'node:fs';

/** A field of /proc/<pid>/status in MB, or undefined once the process is gone. */
function statusMB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The resident memory of a process now, in MB (Linux). */
export const residentMB = (pid: number): number | undefined => statusMB(pid, 'VmRSS');

/** CPU time (user + system) another process has used so far, in seconds, or undefined once it is gone (Linux). */
export function cpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** What {@link followProcess} saw: the peak resident memory and the CPU time used, so far. */
export interface ProcessUsage {
  peakMB: number;
  cpuSeconds: number;
}

/**
 * Follows another process (Linux) until it ends or `stop` is called: its peak resident memory
 * (VmHWM, kept by the kernel) and its CPU time. Sampled every `intervalMs`, so only what happens
 * within the last interval before the process exits can be missed.
 */
export function followProcess(pid: number, intervalMs = 50) {
  const usage: ProcessUsage = { peakMB: 0, cpuSeconds: 0 };
  const sample = () => {
    usage.peakMB = Math.max(usage.peakMB, statusMB(pid, 'VmHWM') ?? 0);
    usage.cpuSeconds = cpuSeconds(pid) ?? usage.cpuSeconds;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    now(): ProcessUsage {
      sample();
      return { ...usage };
    },
    stop(): ProcessUsage {
      clearInterval(timer);
      sample();
      return { ...usage };
    },
  };
}
