/** Where to cut a string of UTF-16 code units so that no character is split in two. */

/** `at`, or one less when the unit before `at` opens a surrogate pair that `at` would split. */
export function cutPoint(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return at;
  const last = text.charCodeAt(at - 1);
  return last >= 0xd800 && last <= 0xdbff ? at - 1 : at;
}
