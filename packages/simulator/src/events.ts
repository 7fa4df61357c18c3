/** Why a device stopped for good. */
export type StopReason =
  /** The server answered 410 `device_retired`. */
  | 'retired'
  /** The server no longer accepts the device credential (401). */
  | 'unauthorized'
  /** The enrollment token was refused (invalid, expired, exhausted or revoked). */
  | 'enrollment-refused'
  /** The server refused a request for another reason (4xx), e.g. facts it does not accept. */
  | 'request-refused'
  /** A `wipe` command: the device was factory reset and does not come back. */
  | 'wiped'
  /** A `retire` command: the device removed its management and does not come back. */
  | 'unenrolled';

/** What a device was doing when a request failed. */
export type Operation = 'enroll' | 'check-in' | 'poll' | 'report';

/** Progress of a simulated fleet, one device at a time; `index` is the device's place in the fleet. */
export type FleetEvent =
  | { type: 'enrolled'; index: number; deviceId: string; serial: string }
  | { type: 'restored'; index: number; deviceId: string; serial: string }
  /** A stored credential was refused: the device enrolls again if the enrollment token still works. */
  | { type: 'credential-rejected'; index: number; deviceId: string; message: string }
  | {
      type: 'command-executed';
      index: number;
      deviceId: string;
      commandId: string;
      commandType: string;
      status: 'succeeded' | 'failed';
      error?: string;
    }
  /** A command not signed by the device's org for this enrollment, or expired: reported failed, not executed. */
  | {
      type: 'command-refused';
      index: number;
      deviceId: string;
      commandId: string;
      commandType: string;
      reason: string;
    }
  /** The device applied a new policy; `failures` fields of it could not be applied. */
  | { type: 'policy-applied'; index: number; deviceId: string; hash: string; failures: number }
  | { type: 'rebooting'; index: number; deviceId: string; offlineMs: number }
  /** Back after a reboot: the device checked in again. */
  | { type: 'rebooted'; index: number; deviceId: string }
  | { type: 'stopped'; index: number; deviceId: string | null; reason: StopReason; message: string }
  /** A request failed; `retryInMs` is set when the device tries again by itself. */
  | {
      type: 'error';
      index: number;
      deviceId: string | null;
      operation: Operation;
      message: string;
      retryInMs?: number;
    };

/** Counters shared by every device of a fleet. */
export interface FleetCounters {
  checkIns: number;
  commandsExecuted: number;
  policiesApplied: number;
  errors: number;
}
