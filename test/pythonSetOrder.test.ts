import { pythonSetDifference, pythonSetOrder } from '../src/core/pythonSetOrder';

// Expected orders are what CPython 3 prints for list(set([...])).
describe('CPython set iteration order', () => {
  test('small ints land in slot value & 7', () => {
    expect(pythonSetOrder([0xca, 0x100, 0xb6, 0x123])).toEqual([0x100, 0xca, 0x123, 0xb6]);
  });
  test('duplicates collapse', () => {
    expect(pythonSetOrder([0x100, 0x100, 0xca])).toEqual([0x100, 0xca]);
  });
  test('collisions take the next linear probe', () => {
    // 8 and 16 both hash to slot 0 of an 8-slot table: 16 goes to slot 1, then 1 to slot 2
    expect(pythonSetOrder([8, 16, 1])).toEqual([8, 16, 1]);
    expect(pythonSetOrder([1, 8, 16])).toEqual([8, 1, 16]);
  });
  test('the table grows to 32 slots at the fifth element', () => {
    // list(set([40, 33, 2, 3, 4])) == [33, 2, 3, 4, 40] in CPython (slots 1,2,3,4,8 of 32)
    expect(pythonSetOrder([40, 33, 2, 3, 4])).toEqual([33, 2, 3, 4, 40]);
  });
  test('difference keeps set order of the first operand', () => {
    expect(pythonSetDifference([0x100, 0xca], [0xca, 0xb6])).toEqual([0x100]);
  });
});

describe('against orders recorded from CPython 3.11', () => {
  // test/fixtures/python-set-orders.json: 300 random lists and list(set(x)) as CPython printed it
  const recorded: [number[], number[]][] = require('./fixtures/python-set-orders.json');
  test.each(recorded.map(([input, order], i) => [i, input, order]))('case %i', (_i, input, order) => {
    expect(pythonSetOrder(input as number[])).toEqual(order);
  });
});

describe('set difference against CPython 3.11', () => {
  test('a left set more than 4x bigger is copied, then the right set discarded from the copy', () => {
    // list(set([16,2,32,256,8,128,24,1]) - set([8])) in CPython
    expect(pythonSetDifference([16, 2, 32, 256, 8, 128, 24, 1], [8])).toEqual([256, 32, 2, 128, 1, 16, 24]);
  });
  // test/fixtures/python-set-differences.json: 300 random [a, b, list(set(a) - set(b))], both paths
  const recorded: [number[], number[], number[]][] = require('./fixtures/python-set-differences.json');
  test.each(recorded.map(([a, b, order], i) => [i, a, b, order]))('case %i', (_i, a, b, order) => {
    expect(pythonSetDifference(a as number[], b as number[])).toEqual(order);
  });
});
