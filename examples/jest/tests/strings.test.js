describe('strings', () => {
  it('trims', () => {
    expect(' a '.trim()).toBe('a');
  });
  it('pads', () => {
    expect('7'.padStart(3, '0')).toBe('007');
  });
});
