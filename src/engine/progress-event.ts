/**
 * What the engine and providers tell people while they work (DESIGN.md §5: long work shows
 * progress). An event names where it happens (`env/target` or `env/target/server`), so each line
 * stands on its own among many targets; `ongoing` marks a step that goes on after its line (an
 * install, an image pull, a verification), so the CLI can say how long it has been going. The next
 * event for the same place ends it.
 */
export interface ProgressEvent {
  /** `env/target` or `env/target/server`; unset for run-wide steps (writing reports). */
  where?: string;
  /** What happens now, e.g. `installing @scope/pkg@1.2.3 into the npm cache`. */
  text: string;
  /** The step goes on after this line: the verb for "still <ongoing> (30 s)", e.g. `installing`. */
  ongoing?: string;
}

/** Where progress goes: the CLI's line printer, serve's phase clock, or nowhere. */
export type ProgressSink = (event: string | ProgressEvent) => void;

/** How a provider reports progress of one server's change (the context fills in where). */
export type ServerProgress = (text: string, ongoing?: string) => void;

/** The line people read for an event. */
export function progressText(event: string | ProgressEvent): string {
  if (typeof event === 'string') return event;
  return event.where ? `${event.where}: ${event.text}` : event.text;
}
