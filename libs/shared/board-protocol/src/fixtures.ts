/**
 * Exact payload strings of the Fab-O-Matic firmware (spacing included: the firmware builds JSON by
 * hand), for tests, the simulator and the benchmark. `uid` is a template placeholder.
 */
export const FIRMWARE_PAYLOADS = {
  checkuser: (uid: string) => `{"action":"checkuser","uid":"${uid}"}`,
  checkmachine: () => `{"action":"checkmachine"}`,
  alive: (serial = 'a0b1c2d3e4f5', ip = '192.168.1.50', heap = 123456) =>
    `{"action":"alive","version":"hardware-rev0-it_IT,1.0.1-3-g0ab6099","ip":"${ip}","serial":"${serial}","heap":"${heap}"}`,
  /** Firmware before 0.6.7: no serial nor heap, and before mid-2024 only the first char of the IP. */
  aliveLegacy: () => `{"action":"alive","version":"0.5.2","ip":"1"}`,
  startuse: (uid: string) => `{"action":"startuse", "uid":"${uid}"}`,
  inuse: (uid: string, duration: number) => `{"action":"inuse", "uid":"${uid}","duration":${duration}}`,
  stopuse: (uid: string, duration: number) => `{"action":"stopuse", "uid":"${uid}","duration":${duration}}`,
  maintenance: (uid: string) => `{"action":"maintenance", "uid":"${uid}"}`,
  startuseReplay: (uid: string) => `{"action":"startuse", "uid":"${uid}", "replay":true}`,
  stopuseReplay: (uid: string, duration: number) =>
    `{"action":"stopuse", "uid":"${uid}","duration":${duration}, "replay":true}`,
  maintenanceReplay: (uid: string) => `{"action":"maintenance", "uid":"${uid}", "replay":true}`,
} as const;

/** Payloads the backend must survive without answering (and keep answering the next message). */
export const MALFORMED_PAYLOADS: readonly (string | Uint8Array)[] = [
  '',
  '42',
  'null',
  '"checkuser"',
  '[]',
  '{',
  '{"action":"checkuser"',
  '{"action":"nonsense"}',
  '{"action":42}',
  '{"uid":"aabbccd1"}',
  new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]),
  new Uint8Array([0x7b, 0x22, 0x61, 0xc3, 0x28, 0x22, 0x7d]),
];
