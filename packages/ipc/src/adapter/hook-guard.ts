/**
 * Runs the body of a runner's reporter hook so that nothing the adapter does can throw
 * into the runner or change the outcome of the user's run. A failure (a runner shape the
 * adapter did not expect, a global a test broke) is never silent either: the sender
 * reports it as an adapterError event, with the test it concerned, so that 3pio's
 * summary says results may be missing; without a sender, the debug log has it.
 */
import { debugLog, describeError, type AdapterSender, type FailureSubject } from './adapter-sender.js';

function reportFailure(
  runner: string,
  hook: string,
  error: unknown,
  sender: AdapterSender | undefined,
  subject: (() => FailureSubject | undefined) | undefined,
): void {
  if (sender === undefined) {
    const { message, stack } = describeError(error);
    debugLog(`3pio's ${runner} adapter failed in ${hook}: ${stack ?? message}`);
    return;
  }
  let about: FailureSubject | undefined;
  try {
    about = subject?.();
  } catch {
    // What the hook handled is beyond reach too: the failure is still reported.
  }
  sender.reportFailure(runner, hook, error, about);
}

/** `subject` names what the hook handles; only called after a failure. */
export function guardHook(
  runner: string,
  hook: string,
  body: () => void,
  sender?: AdapterSender,
  subject?: () => FailureSubject | undefined,
): void {
  try {
    body();
  } catch (error) {
    reportFailure(runner, hook, error, sender, subject);
  }
}

/**
 * guardHook for an event listener the runner calls several times per test (Mocha's
 * runner events, at most two arguments): the same protection without a closure per call.
 */
export function guardListener<A, B>(
  runner: string,
  hook: string,
  listener: (a: A, b: B) => void,
  sender?: AdapterSender,
  subjectOf?: (a: A, b: B) => FailureSubject | undefined,
): (a: A, b: B) => void {
  return (a, b) => {
    try {
      listener(a, b);
    } catch (error) {
      reportFailure(runner, hook, error, sender, subjectOf === undefined ? undefined : () => subjectOf(a, b));
    }
  };
}
