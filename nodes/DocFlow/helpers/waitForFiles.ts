import type { IExecuteFunctions } from 'n8n-workflow';

import { isFinalStatus } from '../transport/api.types';
import type { DocflowFile } from '../transport/api.types';
import { cancelSignalOf, pause, throwIfCancelled } from '../transport/cancellation';
import type { RetrySettings } from '../transport/request';
import { fetchFiles } from '../transport/endpoints/file';

/** A file the node sent (or retried) and now waits for. */
export interface TrackedFile {
	itemIndex: number;
	workspaceId: string;
	batchNumber: string;
	fileId: string;
	taskId?: string;
	name: string;
	/** The input binary field the file came from, for Include Input File. */
	binaryField?: string;
	/**
	 * For a retried task: when it was retried. DocFlow may still show the old final status for
	 * a moment, so a final status only counts once the task was seen running or after a grace.
	 */
	retriedAt?: number;
}

/** The first poll comes after a second, then polls back off to every ten seconds. */
const FIRST_POLL_MS = 1000;
const MAX_POLL_MS = 10_000;
/** How long a retried task's old final status is distrusted (unless it is seen running). */
const RETRY_GRACE_MS = 5000;

export interface WaitSettings {
	timeoutMs: number;
	/** A fixed poll interval; undefined: start at FIRST_POLL_MS and back off to MAX_POLL_MS. */
	pollIntervalMs?: number;
	/** Extra file/fetch query for the final answer (with_document, with_task_detail_url). */
	resultQuery?: Record<string, boolean | undefined>;
	retry?: Partial<RetrySettings>;
}

export interface WaitOutcome {
	/** Final file objects by file ID. */
	finished: Map<string, DocflowFile>;
	/** Files that had not finished when the timeout came. */
	unfinished: TrackedFile[];
	/** The last status seen of each unfinished file, by file ID. */
	lastSeen: Map<string, DocflowFile>;
}

/** Whether DocFlow is done with a file: a final status, and a split or crop parent's children too. */
export function isFinished(file: DocflowFile): boolean {
	if (!isFinalStatus(file.recognition_status)) return false;
	const children = Array.isArray(file.child_files) ? file.child_files : [];
	return children.every((child) => isFinalStatus(child?.recognition_status));
}

interface Group {
	workspaceId: string;
	batchNumber: string;
	pending: TrackedFile[];
}

function groupsOf(files: TrackedFile[]): Group[] {
	const groups = new Map<string, Group>();
	for (const file of files) {
		const key = `${file.workspaceId}\u0000${file.batchNumber}`;
		let group = groups.get(key);
		if (!group) {
			group = { workspaceId: file.workspaceId, batchNumber: file.batchNumber, pending: [] };
			groups.set(key, group);
		}
		group.pending.push(file);
	}
	return [...groups.values()];
}

function find(files: DocflowFile[], tracked: TrackedFile): DocflowFile | undefined {
	return files.find(
		(f) => f.id === tracked.fileId || (tracked.taskId !== undefined && f.task_id === tracked.taskId),
	);
}

/**
 * Polls file/fetch once per batch per round (never once per file), starting fast and
 * backing off, until every tracked file is final or the timeout comes.
 */
export async function waitForFiles(
	ctx: IExecuteFunctions,
	tracked: TrackedFile[],
	settings: WaitSettings,
): Promise<WaitOutcome> {
	const started = Date.now();
	const deadline = started + settings.timeoutMs;
	const firstPoll = settings.pollIntervalMs ?? FIRST_POLL_MS;
	const maxPoll = settings.pollIntervalMs ?? MAX_POLL_MS;
	const finished = new Map<string, DocflowFile>();
	const lastSeen = new Map<string, DocflowFile>();
	const seenRunning = new Set<string>();
	const groups = groupsOf(tracked);
	const signal = cancelSignalOf(ctx);
	let interval = firstPoll;

	while (groups.some((g) => g.pending.length > 0)) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) break;
		await pause(Math.min(interval, remaining), signal);
		throwIfCancelled(ctx, signal);
		interval = Math.min(maxPoll, Math.round(interval * 1.5));

		for (const group of groups) {
			if (group.pending.length === 0) continue;
			const files = await fetchFiles(
				ctx,
				{ workspace_id: group.workspaceId, batch_number: group.batchNumber },
				{ itemIndex: group.pending[0].itemIndex, retry: settings.retry },
			);
			group.pending = group.pending.filter((file) => {
				const current = find(files, file);
				if (!current) return true;
				lastSeen.set(file.fileId, current);
				if (!isFinished(current)) {
					seenRunning.add(file.fileId);
					return true;
				}
				const trusted =
					file.retriedAt === undefined ||
					seenRunning.has(file.fileId) ||
					Date.now() - file.retriedAt >= RETRY_GRACE_MS;
				if (!trusted) return true;
				finished.set(file.fileId, current);
				return false;
			});
		}
	}

	if (finished.size > 0) await fetchWithResultQuery(ctx, tracked.filter((t) => finished.has(t.fileId)), finished, settings);

	return {
		finished,
		unfinished: tracked.filter((t) => !finished.has(t.fileId)),
		lastSeen,
	};
}

/**
 * Reads finished files once more with the wait's result query (with_document,
 * with_task_detail_url), one request per batch, and puts what DocFlow answers in `results`. The
 * document text is large: it is asked for once, with the final answer, never while polling.
 */
export async function fetchWithResultQuery(
	ctx: IExecuteFunctions,
	files: TrackedFile[],
	results: Map<string, DocflowFile>,
	settings: WaitSettings,
): Promise<void> {
	const extras = Object.entries(settings.resultQuery ?? {}).filter(([, v]) => v !== undefined);
	if (extras.length === 0) return;
	for (const group of groupsOf(files)) {
		const found = await fetchFiles(
			ctx,
			{ workspace_id: group.workspaceId, batch_number: group.batchNumber, ...Object.fromEntries(extras) },
			{ itemIndex: group.pending[0].itemIndex, retry: settings.retry },
		);
		for (const file of group.pending) {
			const current = find(found, file);
			if (current) results.set(file.fileId, current);
		}
	}
}
