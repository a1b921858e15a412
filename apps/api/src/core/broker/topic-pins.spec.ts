import { TopicPins } from './topic-pins';

describe('TopicPins', () => {
  const board = { id: 'BOARD17' };
  const intruder = { id: 'BOARD666' };
  const reborn = { id: 'BOARD17' };

  it('gives a topic to the first connection that publishes there and refuses it to any other', () => {
    const pins = new TopicPins<object>();
    expect(pins.claim('1', board)).toBe(true);
    expect(pins.claim('1', board)).toBe(true);
    expect(pins.claim('1', intruder)).toBe(false);
    // The same client id on a new connection is another connection.
    expect(pins.claim('1', reborn)).toBe(false);
    expect(pins.claim('2', intruder)).toBe(true);
    expect(pins.holds(intruder)).toBe(true);
    expect(pins.size).toBe(2);
  });

  it('passes a topic on only once its owner has disconnected', () => {
    const pins = new TopicPins<object>();
    pins.claim('1', board);
    pins.claim('7', board);
    expect(pins.release(intruder)).toEqual([]);
    expect(pins.claim('1', reborn)).toBe(false);
    expect(pins.release(board).sort()).toEqual(['1', '7']);
    expect(pins.holds(board)).toBe(false);
    expect(pins.claim('1', reborn)).toBe(true);
    expect(pins.claim('1', board)).toBe(false);
    expect(pins.size).toBe(1);
  });
});
