/** Where the IPC layer says what it is doing. Silent unless the caller passes one. */
export interface Logger {
  debug(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

function ignore(): void {}

export const silentLogger: Logger = Object.freeze({ debug: ignore, warn: ignore, error: ignore });
