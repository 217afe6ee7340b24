const assert = require('node:assert');

describe('strings', () => {
  it('trims', () => {
    assert.strictEqual(' a '.trim(), 'a');
  });
  it('pads', () => {
    assert.strictEqual('7'.padStart(3, '0'), '007');
  });
});
