const assert = require('node:assert');

describe('math', () => {
  it('adds', () => {
    assert.strictEqual(1 + 2, 3);
  });
  it('divides', () => {
    console.log('dividing 1 by 2');
    assert.strictEqual(1 / 2, 0.25);
  });
  it.skip('handles bigint', () => {});
});
