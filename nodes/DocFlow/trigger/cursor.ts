import type { IDataObject } from 'n8n-workflow';

/**
 * Where the trigger is in DocFlow's history, kept in the node's static data between polls.
 *
 * DocFlow has no change feed: file/fetch filters on a file's update time (start_time/end_time,
 * whole seconds), pages through the result in no promised order, and the records carry no update
 * time. So every poll reads a time window of update times and remembers what it reported:
 *
 *   window = [cursor − OVERLAP, now − SETTLE]   (n8n's clock; DocFlow reads it in its own)
 *
 * and, once the window is read, the cursor moves to its end. What was reported is kept as keys
 * (task ID + event) until no later window can hold the same unchanged file again.
 *
 * Why nothing is missed. Let DocFlow's clock differ from n8n's by δ (|δ| ≤ MAX_CLOCK_SKEW = K)
 * and let a file DocFlow stamps with update time u become visible to file/fetch at most
 * L seconds after that (DocFlow's own lag). It is visible from n8n-time u − δ + L ≤ u + K + L.
 * The last poll whose window holds u moves the cursor C past u + OVERLAP; it read its window at
 * n8n-time ≥ C + SETTLE > u + OVERLAP + SETTLE. So the file is seen whenever
 *
 *   SETTLE + OVERLAP ≥ K + L + 1    (the 1: update times compared in whole seconds)
 *
 * With SETTLE = 60 and OVERLAP = 60 that holds for a clock skew of up to 60 s and a lag of up to
 * 59 s. SETTLE alone also keeps a window closed while it is paged (no file can still arrive in
 * it when SETTLE ≥ K + L); OVERLAP catches what a wrong clock or a slow DocFlow lets through.
 *
 * Why nothing is reported twice. A file read in a window ending at W has u ≤ W. A window that
 * starts after W cannot hold it again unless DocFlow updated it (a new u), so its key is kept
 * while the next window may start at or before W, and dropped after.
 */

/** Seconds a poll leaves between DocFlow's latest updates and the end of its window. */
export const SETTLE_SECONDS = 60;
/** Seconds each window reaches back before the previous one's end. */
export const OVERLAP_SECONDS = 60;
/** The largest difference between n8n's and DocFlow's clocks the windows allow for. */
export const MAX_CLOCK_SKEW_SECONDS = 60;
export const DEFAULT_MAX_FILES_PER_POLL = 1000;

export const STATE_VERSION = 1;

/** The node's static data, as JSON. */
export interface CursorState {
	version: number;
	/** Workspace and Start From the state belongs to: a change of either starts afresh. */
	identity: string;
	/** Epoch seconds (n8n's clock) up to which every update has been read. */
	cursor: number;
	/** Epoch seconds before which no window reaches (Start From). */
	floor?: number;
	/** Keys reported (or already there at activation), by the end W of the window they were read in. */
	seen: Record<string, string[]>;
}

export function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
}

/** DocFlow's start_time/end_time format: RFC 3339 without fractions. */
export function rfc3339(seconds: number): string {
	return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((key) => typeof key === 'string');
}

/** The state kept for this identity, or undefined when there is none (first poll, or a change). */
export function loadState(staticData: IDataObject, identity: string): CursorState | undefined {
	// A plain copy: n8n hands static data out as an observed proxy.
	const stored = JSON.parse(JSON.stringify(staticData)) as Partial<CursorState>;
	if (stored.version !== STATE_VERSION || stored.identity !== identity) return undefined;
	if (typeof stored.cursor !== 'number' || !Number.isFinite(stored.cursor)) return undefined;
	const seen: Record<string, string[]> = {};
	for (const [end, keys] of Object.entries(stored.seen ?? {})) {
		if (isStringArray(keys) && Number.isFinite(Number(end))) seen[end] = keys;
	}
	return {
		version: STATE_VERSION,
		identity,
		cursor: stored.cursor,
		floor: typeof stored.floor === 'number' ? stored.floor : undefined,
		seen,
	};
}

/**
 * Writes the state back in one go, at the end of a successful poll: a poll that fails leaves the
 * previous state as it was, so the next one reads the same window again.
 */
export function saveState(staticData: IDataObject, state: CursorState): void {
	for (const key of Object.keys(staticData)) {
		if (!['version', 'identity', 'cursor', 'floor', 'seen'].includes(key)) continue;
		delete staticData[key];
	}
	staticData.version = state.version;
	staticData.identity = state.identity;
	staticData.cursor = state.cursor;
	if (state.floor !== undefined) staticData.floor = state.floor;
	staticData.seen = state.seen as unknown as IDataObject;
}

/** Every key still remembered. */
export function seenKeys(state: CursorState): Set<string> {
	return new Set(Object.values(state.seen).flat());
}

export function remember(state: CursorState, windowEnd: number, keys: string[]): void {
	if (keys.length === 0) return;
	(state.seen[String(windowEnd)] ??= []).push(...keys);
}

/** Drops the keys no window from `nextStart` on can bring back unchanged. */
export function prune(state: CursorState, nextStart: number): void {
	for (const end of Object.keys(state.seen)) {
		if (Number(end) < nextStart) delete state.seen[end];
	}
}

/** The start of the next window: OVERLAP before the cursor, never before Start From. */
export function windowStart(state: CursorState): number {
	const start = state.cursor - OVERLAP_SECONDS;
	return state.floor !== undefined ? Math.max(start, state.floor) : start;
}
