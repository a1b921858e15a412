import { JsonWriter } from './json-text';

describe('JsonWriter', () => {
  it('writes numbers as JSON.stringify does, whole or not, across buffer growth', () => {
    const numbers = [
      0,
      -0,
      7,
      9,
      10,
      99,
      100,
      123_456_789,
      Number.MAX_SAFE_INTEGER,
      2 ** 53,
      -5,
      0.5,
      12.34,
      1e21,
      NaN,
    ];
    for (let i = 0; i < 2000; i++) numbers.push(Math.floor(Math.random() * 10 ** (i % 16)));
    const json = new JsonWriter(8);
    json.raw('{"all":').numbers(Float64Array.from(numbers)).raw(',"each":[');
    numbers.forEach((n, i) => (i > 0 ? json.raw(',') : json).number(n));
    json.raw(']}');
    const text = json.done().toString('utf8');
    expect(text).toBe(JSON.stringify({ all: numbers, each: numbers }));
  });

  it('writes names in any script through JSON.stringify, escapes included', () => {
    const machines = [{ name: 'Fresa «CNC» Nº 2' }, { name: 'Laser "big"\n' }, { name: '3D 打印机' }];
    const json = new JsonWriter(4);
    json.raw('{"machines":').value(machines).raw('}');
    expect(JSON.parse(json.done().toString('utf8'))).toEqual({ machines });
  });

  it('writes the first count numbers of a typed array only', () => {
    const json = new JsonWriter();
    expect(
      json
        .numbers(Float64Array.of(1, 2, 3), 2)
        .done()
        .toString(),
    ).toBe('[1,2]');
  });
});
