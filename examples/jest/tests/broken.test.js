describe('broken', () => {
  it('never loads', () => {
    expect(true).toBe(true);
  }
});
