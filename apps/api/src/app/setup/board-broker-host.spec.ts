import { loadConfig } from '../../core/config/config.schema';
import { boardBrokerHost } from './board-broker-host';

const embedded = (host: string) => ({ host, embedded: true });
const external = (host: string) => ({ host, embedded: false });

describe('the broker address a machine page gives for its board', () => {
  it('is BOARD_BROKER_HOST when set, whatever the broker listens on', () => {
    const config = loadConfig({
      BOARD_BROKER_HOST: 'fablab.example.org',
      PUBLIC_URL: 'https://portal.example.org',
    });
    expect(boardBrokerHost(config, embedded('0.0.0.0'))).toEqual({
      host: 'fablab.example.org',
      hostSource: 'setting',
    });
  });

  it("is the broker's own host when boards can use it, never a wildcard", () => {
    const config = loadConfig({});
    expect(boardBrokerHost(config, embedded('192.168.1.10'))).toEqual({
      host: '192.168.1.10',
      hostSource: 'broker',
    });
    expect(boardBrokerHost(config, external('mqtt.example.org'))).toEqual({
      host: 'mqtt.example.org',
      hostSource: 'broker',
    });
    expect(boardBrokerHost(config, embedded('0.0.0.0'))).toEqual({ host: null, hostSource: 'browser' });
    expect(boardBrokerHost(config, embedded('::'))).toEqual({ host: null, hostSource: 'browser' });
  });

  it("falls back on PUBLIC_URL's host, not on the loopback address of a Mosquitto beside the app", () => {
    const config = loadConfig({ PUBLIC_URL: 'https://fab.example.org:8443/portal' });
    expect(boardBrokerHost(config, external('127.0.0.1'))).toEqual({
      host: 'fab.example.org',
      hostSource: 'public-url',
    });
    expect(boardBrokerHost(config, embedded('0.0.0.0'))).toEqual({
      host: 'fab.example.org',
      hostSource: 'public-url',
    });
  });

  it('refuses a BOARD_BROKER_HOST with a scheme or port, and a port out of range', () => {
    expect(() => loadConfig({ BOARD_BROKER_HOST: 'mqtt://fab.example.org' })).toThrow(/BOARD_BROKER_HOST/);
    expect(() => loadConfig({ BOARD_BROKER_HOST: 'fab.example.org:1883' })).toThrow(/BOARD_BROKER_HOST/);
    expect(loadConfig({ BOARD_BROKER_HOST: 'fd00::5' }).BOARD_BROKER_HOST).toBe('fd00::5');
    expect(() => loadConfig({ BOARD_BROKER_PORT: '70000' })).toThrow(/BOARD_BROKER_PORT/);
    expect(loadConfig({ BOARD_BROKER_PORT: '11883' }).BOARD_BROKER_PORT).toBe(11883);
  });
});
