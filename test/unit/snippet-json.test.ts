// The snippet's own JSON writer (embed-snippet/src/json.ts), used instead of JSON.stringify
// because host pages break it: for the plain data the snippet sends, the same text.
import { describe, expect, it } from 'vitest';
import { json } from '../../embed-snippet/src/json';

describe('json()', () => {
  it('writes what JSON.stringify writes for plain data', () => {
    const values: unknown[] = [
      'plain',
      'quote " backslash \\ newline \n tab \t nul \0 ctrl \x1f',
      'emoji 😀 and ünïcödé',
      0,
      -0,
      3.25,
      -1e21,
      1e-7,
      true,
      false,
      null,
      [],
      {},
      [1, 'a', null, [2, [3]], { b: [] }],
      ['visitor:page', { url: 'https://shop.example/?q=1&x="y"', title: 'Pricing | Shop' }],
      { nested: { deep: { list: [true, false] } }, n: 12 },
    ];
    for (const v of values) expect(JSON.parse(json(v))).toEqual(JSON.parse(JSON.stringify(v)));
    // Byte for byte too, except that escapes are always \uXXXX.
    for (const v of values) if (!JSON.stringify(v).includes('\\')) expect(json(v)).toBe(JSON.stringify(v));
  });

  it('leaves out undefined and functions in objects, writes null for them in arrays and for non-finite numbers', () => {
    const v = { a: undefined, b: () => 1, c: [undefined, () => 1, NaN, Infinity], d: 1 };
    expect(json(v)).toBe(JSON.stringify(v));
    expect(json(v)).toBe('{"c":[null,null,null,null],"d":1}');
  });

  it('escapes line and paragraph separators and control characters so the text stays one valid JSON value', () => {
    const s = 'a\u2028b\u2029c\u0007';
    expect(JSON.parse(json(s))).toBe(s);
    expect(json(s)).not.toMatch(/[\u2028\u2029\u0007]/);
  });

  it('ignores toJSON, inherited properties and a replaced JSON.stringify', () => {
    const proto = Array.prototype as unknown as { toJSON?: () => string };
    const objProto = Object.prototype as unknown as { polluted?: string };
    const stringify = JSON.stringify;
    proto.toJSON = () => 'not an array';
    objProto.polluted = 'yes';
    JSON.stringify = () => 'broken';
    try {
      expect(json(['visitor:state', { state: 'idle' }])).toBe('["visitor:state",{"state":"idle"}]');
    } finally {
      delete proto.toJSON;
      delete objProto.polluted;
      JSON.stringify = stringify;
    }
  });
});
