/** Everything the reader reports instead of throwing. Reading goes on after each of these. */
export type IpcReadErrorKind =
  /** A line that is not JSON: skipped. */
  | 'invalidJson'
  /** JSON, but not an event object with a string `eventType`: skipped. */
  | 'invalidEvent'
  /** A known event with fields that did not validate: delivered without them, or as an UnknownEvent. */
  | 'invalidPayload'
  /** A killed writer left part of a line; the event after it was recovered. */
  | 'tornLine'
  /** The file ended in the middle of a line when the manager was cleaned up. */
  | 'incompleteLine'
  /** A line longer than `maxLineBytes`: skipped without being held in memory. */
  | 'lineTooLong'
  /** The file got shorter than what was already read: reading starts again at its start. */
  | 'truncated'
  /** Another file now stands at the path: the old one is read to its end, then the new one from its start. */
  | 'replaced'
  /** The path was removed; what was already written is still read. */
  | 'removed'
  /** The file system watcher failed; it is restarted, or replaced by polling. */
  | 'watcher'
  /** Reading the file failed. */
  | 'read';

export interface IpcReadError {
  kind: IpcReadErrorKind;
  message: string;
  /** Byte offset in the IPC file of the line concerned, where there is one. */
  offset?: number;
  cause?: unknown;
}
