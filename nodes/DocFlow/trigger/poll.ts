import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { fetchFiles } from '../transport/endpoints/file';
import type { DocflowFile } from '../transport/api.types';
import { itemError } from '../transport/errors';
import {
	MAX_CLOCK_SKEW_SECONDS,
	OVERLAP_SECONDS,
	SETTLE_SECONDS,
	STATE_VERSION,
	loadState,
	nowSeconds,
	prune,
	remember,
	rfc3339,
	saveState,
	seenKeys,
	windowStart,
} from './cursor';
import type { CursorState } from './cursor';
import { eventItems, eventKey, matchingEvent } from './events';
import type { TriggerEvent } from './events';
import { readWindow } from './segments';
import type { Segment } from './segments';
import { readSettings } from './settings';
import type { TriggerSettings } from './settings';

/** Files “Fetch Test Event” shows. */
const SAMPLE_SIZE = 5;
/** How far back “Fetch Test Event” looks, narrowest first: the first span with a file wins. */
const SAMPLE_SPANS_SECONDS = [600, 3600, 86_400, 7 * 86_400, 30 * 86_400, 365 * 86_400];
/** Without a budget from n8n (1.x), a poll stops reading new stretches after this long. */
const DEFAULT_READ_BUDGET_MS = 4 * 60_000;

/**
 * Polls of the same trigger that are running in this n8n process. n8n starts a poll at every
 * poll time even when the previous one is still reading a long backlog; two polls working on
 * the same cursor would report the same files, so a second one waits for the next poll time.
 */
const running = new Set<string>();

interface Reported {
	file: DocflowFile;
	event: TriggerEvent;
	key: string;
}

/** The events of a stretch not reported yet, each once. */
function newEvents(segment: Segment, settings: TriggerSettings, seen: Set<string>): Reported[] {
	const events: Reported[] = [];
	const keys = new Set<string>();
	for (const file of segment.files) {
		const event = matchingEvent(file, settings);
		if (event === undefined) continue;
		const key = eventKey(file, event);
		if (seen.has(key) || keys.has(key)) continue;
		keys.add(key);
		events.push({ file, event, key });
	}
	return events;
}

function readBudgetMs(ctx: IPollFunctions): number {
	// n8n 2.x says how long a poll may take; half of it leaves time to hand the items over.
	const budget = typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : undefined;
	return typeof budget === 'number' && budget > 0 ? budget / 2 : DEFAULT_READ_BUDGET_MS;
}

/**
 * First activation: nothing is reported, and everything DocFlow already finished is marked as
 * seen, so that only what happens from now on starts the workflow. The stretch read reaches the
 * allowed clock skew into the future (DocFlow's clock may be ahead) and as much again for the
 * time the reading takes.
 */
async function baseline(ctx: IPollFunctions, settings: TriggerSettings, now: number): Promise<CursorState> {
	const state: CursorState = {
		version: STATE_VERSION,
		identity: settings.identity,
		cursor: now - SETTLE_SECONDS,
		seen: {},
	};
	const end = now + 2 * MAX_CLOCK_SKEW_SECONDS;
	const keys = new Set<string>();
	for await (const segment of readWindow(ctx, settings, state.cursor - OVERLAP_SECONDS, end)) {
		for (const { key } of newEvents(segment, settings, keys)) keys.add(key);
	}
	remember(state, end, [...keys]);
	return state;
}

/** One poll of an active workflow: the events since the cursor, at most Max Files per Poll. */
async function pollActive(ctx: IPollFunctions, settings: TriggerSettings): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	const now = nowSeconds();
	let state = loadState(staticData, settings.identity);
	if (!state) {
		if (settings.startFrom === undefined) {
			saveState(staticData, await baseline(ctx, settings, now));
			return null;
		}
		state = {
			version: STATE_VERSION,
			identity: settings.identity,
			cursor: settings.startFrom,
			floor: settings.startFrom,
			seen: {},
		};
	}

	const start = windowStart(state);
	const end = now - SETTLE_SECONDS;
	if (end < start) {
		// Nothing settled yet (Start From in the future, or n8n's clock went back): nothing to read.
		saveState(staticData, state);
		return null;
	}

	const seen = seenKeys(state);
	const reported: Reported[] = [];
	const startedAt = Date.now();
	const budgetMs = readBudgetMs(ctx);
	let cursor = state.cursor;
	for await (const segment of readWindow(ctx, settings, start, end)) {
		const fresh = newEvents(segment, settings, seen);
		const room = settings.maxFilesPerPoll - reported.length;
		const taken = fresh.slice(0, room);
		reported.push(...taken);
		for (const { key } of taken) seen.add(key);
		remember(
			state,
			segment.end,
			taken.map(({ key }) => key),
		);
		if (taken.length < fresh.length) break; // the rest of this stretch at the next poll
		cursor = Math.max(cursor, segment.end);
		if (reported.length >= settings.maxFilesPerPoll || Date.now() - startedAt > budgetMs) break;
	}
	state.cursor = cursor;
	prune(state, windowStart(state));
	saveState(staticData, state);

	if (reported.length === 0) return null;
	return [
		reported.flatMap(({ file, event }) =>
			eventItems(file, event, { simplify: settings.simplify, workspaceId: settings.workspaceId }),
		),
	];
}

/**
 * “Fetch Test Event”: the latest few matching files, to build the rest of the workflow with.
 * It never touches the cursor, so what it shows is still reported once the workflow is active.
 */
async function pollManual(ctx: IPollFunctions, settings: TriggerSettings): Promise<INodeExecutionData[][]> {
	const now = nowSeconds();
	for (const span of SAMPLE_SPANS_SECONDS) {
		const files = await fetchFiles(
			ctx,
			{ ...settings.query, start_time: rfc3339(now - span) },
			{ limit: 1000, retry: settings.retry },
		);
		const sample: Reported[] = [];
		for (const file of files) {
			const event = matchingEvent(file, settings);
			if (event !== undefined) sample.push({ file, event, key: eventKey(file, event) });
			if (sample.length >= SAMPLE_SIZE) break;
		}
		if (sample.length > 0) {
			return [
				sample.flatMap(({ file, event }) =>
					eventItems(file, event, { simplify: settings.simplify, workspaceId: settings.workspaceId }),
				),
			];
		}
	}
	throw itemError(ctx.getNode(), `No file in workspace ${settings.workspaceId} matches the events and filters yet`, {
		description:
			'Fetch Test Event shows the latest files of the last year that match. Upload a document to DocFlow (or check Events and Filters), wait until DocFlow has processed it, then fetch again. Activate the workflow to report files as they come.',
	});
}

/** The trigger's poll: reads and checks every parameter first, then asks DocFlow. */
export async function pollDocflow(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(this);
	if (this.getMode() === 'manual') return await pollManual(this, settings);

	const key = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	if (running.has(key)) {
		this.logger?.debug?.('DocFlow Trigger: the previous poll is still running; this one waits for the next poll time');
		return null;
	}
	running.add(key);
	try {
		return await pollActive(this, settings);
	} finally {
		running.delete(key);
	}
}
