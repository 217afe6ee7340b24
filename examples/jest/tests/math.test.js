describe('math', () => {
  it('adds', () => {
    expect(1 + 2).toBe(3);
  });
  it('divides', () => {
    console.log('dividing 1 by 2');
    expect(1 / 2).toBe(0.25);
  });
  it.skip('handles bigint', () => {});
  it.todo('handles complex numbers');
});
