import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { retrySettingsFrom } from '../actions/parameters/requestOptions';
import { itemError } from '../transport/errors';
import type { RetrySettings } from '../transport/request';
import { DEFAULT_MAX_FILES_PER_POLL } from './cursor';
import { TRIGGER_EVENTS } from './events';
import type { EventFilter, TriggerEvent } from './events';
import { PROCESSING_RESULTS } from './description';

/** Everything a poll needs from the node's parameters, read and checked before any request. */
export interface TriggerSettings extends EventFilter {
	workspaceId: string;
	/** file/fetch's query without page and time window. */
	query: Record<string, string | number | boolean | undefined>;
	simplify: boolean;
	maxFilesPerPoll: number;
	/** Epoch seconds of Start From, when set. */
	startFrom?: number;
	retry: Partial<RetrySettings>;
	/** Workspace and Start From: the cursor belongs to them. */
	identity: string;
}

const WORKSPACE_ID = /^[0-9A-Za-z_-]+$/;

function describeValue(value: unknown): string {
	if (Array.isArray(value)) return `a list of ${value.length} values`;
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function readWorkspace(ctx: IPollFunctions): string {
	const raw: unknown = ctx.getNodeParameter('workspace', '', { extractValue: true });
	const value = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
	if (typeof value !== 'string') {
		throw itemError(ctx.getNode(), `Workspace must be one Workspace ID, but it is ${describeValue(value)}`, {
			description: 'Pick the workspace From List, or type its ID (In DocFlow: workspace list → More Actions → Settings).',
		});
	}
	const id = value.trim();
	if (id === '') {
		throw itemError(ctx.getNode(), 'Workspace is empty', {
			description:
				'Pick the workspace to watch From List, or switch to By ID and type it (In DocFlow: workspace list → More Actions → Settings shows the Workspace ID).',
		});
	}
	if (!WORKSPACE_ID.test(id)) {
		throw itemError(ctx.getNode(), `Workspace ID “${id}” is not a DocFlow Workspace ID`, {
			description: 'A Workspace ID is letters and digits only, e.g. 1234567890 (In DocFlow: workspace list → More Actions → Settings).',
		});
	}
	return id;
}

function readEvents(ctx: IPollFunctions): TriggerEvent[] {
	const raw: unknown = ctx.getNodeParameter('events', []);
	const events = (Array.isArray(raw) ? raw : [raw]).filter((e) => e !== undefined && e !== null && e !== '');
	if (events.length === 0) {
		throw itemError(ctx.getNode(), 'No event is chosen', {
			description: 'Choose at least one of File Processed, File Verified or File Rejected in Events.',
		});
	}
	const unknown = events.filter((e) => !TRIGGER_EVENTS.includes(e as TriggerEvent));
	if (unknown.length > 0) {
		throw itemError(ctx.getNode(), `Events holds what is not an event: ${unknown.map(String).join(', ')}`, {
			description: `The events are ${TRIGGER_EVENTS.join(', ')}. Pick them from the list.`,
		});
	}
	return [...new Set(events as TriggerEvent[])];
}

function readProcessingResults(ctx: IPollFunctions, filters: IDataObject, events: TriggerEvent[]): number[] {
	if (filters.processingResults === undefined) return PROCESSING_RESULTS;
	const raw = filters.processingResults;
	const results = (Array.isArray(raw) ? raw : [raw]).map(Number);
	if (results.some((code) => !PROCESSING_RESULTS.includes(code))) {
		throw itemError(ctx.getNode(), `Processing Results holds what is not a result: ${String(raw)}`, {
			description: 'Pick Recognition Success, Recognition Failed or Classification Complete from the list.',
		});
	}
	if (results.length === 0 && events.includes('processed')) {
		throw itemError(ctx.getNode(), 'Processing Results is empty, so File Processed can never start the workflow', {
			description: 'Pick at least one result in Filters → Processing Results, or remove the filter to report every finished file.',
		});
	}
	return results;
}

function readStartFrom(ctx: IPollFunctions, options: IDataObject): number | undefined {
	const value = options.startFrom;
	if (value === undefined || value === null || value === '') return undefined;
	const text =
		typeof value === 'object' && 'toISO' in value ? String((value as { toISO: () => string }).toISO()) : String(value);
	const time = Date.parse(text);
	if (Number.isNaN(time)) {
		throw itemError(ctx.getNode(), `Start From is not a date and time: “${text}”`, {
			description: 'Use a date like 2024-01-31T08:00:00Z, pick one in the date picker, or leave it empty to start from the activation.',
		});
	}
	return Math.floor(time / 1000);
}

function readMaxFilesPerPoll(ctx: IPollFunctions, options: IDataObject): number {
	if (options.maxFilesPerPoll === undefined) return DEFAULT_MAX_FILES_PER_POLL;
	const value = Number(options.maxFilesPerPoll);
	if (!Number.isInteger(value) || value < 1) {
		throw itemError(ctx.getNode(), `Max Files per Poll must be a whole number of at least 1, not “${String(options.maxFilesPerPoll)}”`, {
			description: `Set how many files one execution may start with (default ${DEFAULT_MAX_FILES_PER_POLL}); the rest follow at the next poll times.`,
		});
	}
	return value;
}

/** file/fetch's filters that DocFlow can apply itself; the rest is checked file by file. */
function serverFilters(filter: EventFilter): Record<string, number> {
	const query: Record<string, number> = {};
	if (filter.events.length === 1) {
		const event = filter.events[0];
		query.verification_status = event === 'verified' ? 2 : event === 'rejected' ? 3 : 0;
		if (event === 'processed' && filter.processingResults.length === 1) {
			query.recognition_status = filter.processingResults[0];
		}
	}
	return query;
}

/** The trigger's parameters, each checked with a message that says what to change. */
export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const events = readEvents(ctx);
	const workspaceId = readWorkspace(ctx);
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const processingResults = readProcessingResults(ctx, filters, events);
	const startFrom = readStartFrom(ctx, options);
	const maxFilesPerPoll = readMaxFilesPerPoll(ctx, options);
	const category = typeof filters.category === 'string' ? filters.category.trim() : '';

	const query: TriggerSettings['query'] = {
		workspace_id: workspaceId,
		category: category !== '' ? category : undefined,
		...serverFilters({ events, processingResults }),
		with_document: options.includeDocumentText === true ? true : undefined,
		with_task_detail_url: options.includeTaskDetailUrl === true ? true : undefined,
	};
	return {
		events,
		processingResults,
		workspaceId,
		query,
		simplify: ctx.getNodeParameter('simplify', true) as boolean,
		maxFilesPerPoll,
		startFrom,
		retry: retrySettingsFrom(options),
		identity: `${workspaceId}|${startFrom ?? ''}`,
	};
}
