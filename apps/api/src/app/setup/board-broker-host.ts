import type { BrokerHostSource } from '@fabomatic/contracts';
import type { AppConfig } from '../../core/config/config.schema';
import type { BrokerInfo } from '../system/broker-info';

/** Addresses a broker listens on, not one a board can be given. */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/;

/**
 * Where boards reach the broker: `BOARD_BROKER_HOST`, else the broker's own host when a board can
 * use it (not a wildcard; for an external broker, not loopback either: the app's own view of a
 * Mosquitto beside it), else `PUBLIC_URL`'s host, else unknown (null: the browser's host).
 */
export function boardBrokerHost(
  config: Pick<AppConfig, 'BOARD_BROKER_HOST' | 'PUBLIC_URL'>,
  broker: Pick<BrokerInfo, 'host' | 'embedded'>,
): { host: string | null; hostSource: BrokerHostSource } {
  if (config.BOARD_BROKER_HOST) return { host: config.BOARD_BROKER_HOST, hostSource: 'setting' };
  if (!WILDCARDS.has(broker.host) && (broker.embedded || !LOOPBACK.test(broker.host)))
    return { host: broker.host, hostSource: 'broker' };
  if (config.PUBLIC_URL) return { host: new URL(config.PUBLIC_URL).hostname, hostSource: 'public-url' };
  return { host: null, hostSource: 'browser' };
}
