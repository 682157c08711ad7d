/** A recorded timeline: a JSON array of show events at a URL, for replays, demos and tests. */

/** Fetches the timeline at `url`; rejects with a readable message when it is not a JSON array. */
export async function loadTimeline(url: string, signal?: AbortSignal): Promise<unknown[]> {
  const response = await fetch(url, {signal, headers: {accept: 'application/json'}});
  if (!response.ok) throw new Error(`The timeline ${url} answered ${response.status}.`);
  const body: unknown = await response.json();
  if (!Array.isArray(body)) throw new Error(`The timeline ${url} is not a JSON array of events.`);
  return body;
}
