import type { IPollFunctions } from 'n8n-workflow';

import { MAX_FETCH_PAGE_SIZE } from '../transport/api.types';
import type { DocflowFile } from '../transport/api.types';
import { fetchFilePage } from '../transport/endpoints/file';
import type { FilePage } from '../transport/endpoints/file';
import { itemError } from '../transport/errors';
import type { RetrySettings } from '../transport/request';
import { rfc3339 } from './cursor';

/** A stretch of update times read completely: every file DocFlow listed for it. */
export interface Segment {
	/** Epoch seconds, both included (as DocFlow's start_time/end_time are). */
	start: number;
	end: number;
	files: DocflowFile[];
}

export interface WindowQuery {
	/** file/fetch's query without the time window (workspace, category, filters…). */
	query: Record<string, string | number | boolean | undefined>;
	retry: Partial<RetrySettings>;
}

/** Full reads of a paged stretch before the trigger gives up on this poll (the next one reads it again). */
const MAX_PASSES = 3;

export function fileKey(file: DocflowFile): string {
	return String(file.task_id || file.id);
}

/**
 * Whether a first page holds the whole list: as many files as DocFlow's total, or fewer than a
 * page holds (the list ended there; a total counting more than the files listed, e.g. split
 * parts, must not make the trigger halve a stretch that was complete).
 */
function isComplete(page: FilePage, requested: number): boolean {
	if (page.total !== undefined && page.files.length >= page.total) return true;
	return page.files.length < Math.min(requested, page.pageSize ?? requested);
}

/**
 * Reads the update times [start, end] as complete segments in time order, so a caller can stop
 * after any segment and know exactly how far it got.
 *
 * One request answers a stretch whose files fit in one page, and a single answer is a consistent
 * view of DocFlow. A stretch that holds more is halved (halves share their boundary second, so
 * whichever way DocFlow rounds update times no file falls between them) until it fits; only a
 * stretch of one or two seconds holding more than a page is paged, and read again until one
 * full read saw the same total on every page (pages shift when a file changes while they are
 * read, and DocFlow promises no order).
 */
export async function* readWindow(
	ctx: IPollFunctions,
	window: WindowQuery,
	start: number,
	end: number,
	hint: { estimate?: number; perPage: number } = { perPage: MAX_FETCH_PAGE_SIZE },
): AsyncGenerator<Segment> {
	const fetchPage = async (page: number, pageSize: number) =>
		await fetchFilePage(
			ctx,
			{ ...window.query, start_time: rfc3339(start), end_time: rfc3339(end) },
			{ page, pageSize },
			window.retry,
		);
	const splittable = end - start >= 2;
	const middle = Math.floor((start + end) / 2);
	const halves = async function* (total: number | undefined, perPage: number) {
		const estimate = total !== undefined ? total / 2 : undefined;
		yield* readWindow(ctx, window, start, middle, { estimate, perPage });
		yield* readWindow(ctx, window, middle, end, { estimate, perPage });
	};

	// A stretch expected to hold far more than a page is counted first: a one-file page is cheap,
	// a full page only to learn that it must be halved is not.
	if (splittable && hint.estimate !== undefined && hint.estimate > 2 * hint.perPage) {
		const probe = await fetchPage(1, 1);
		if (probe.total !== undefined && probe.total > hint.perPage) {
			yield* halves(probe.total, hint.perPage);
			return;
		}
	}

	const first = await fetchPage(1, MAX_FETCH_PAGE_SIZE);
	if (isComplete(first, MAX_FETCH_PAGE_SIZE)) {
		yield { start, end, files: first.files };
		return;
	}
	if (splittable) {
		// A server may hand out fewer files per page than asked for: the first page says how many.
		yield* halves(first.total, Math.max(1, first.files.length));
		return;
	}
	yield { start, end, files: await readPaged(ctx, first, fetchPage, start, end) };
}

async function readPaged(
	ctx: IPollFunctions,
	first: FilePage,
	fetchPage: (page: number, pageSize: number) => Promise<FilePage>,
	start: number,
	end: number,
): Promise<DocflowFile[]> {
	// A server may hand out fewer files per page than asked for: the first page says how many.
	const perPage = Math.max(1, Math.min(first.pageSize ?? first.files.length, first.files.length));
	// Files read in any pass: one that changed while it was read was in the window when it was.
	const union = new Map<string, DocflowFile>();
	for (let pass = 1; pass <= MAX_PASSES; pass++) {
		const totals: Array<number | undefined> = [];
		const keys = new Set<string>();
		let current = pass === 1 ? first : await fetchPage(1, MAX_FETCH_PAGE_SIZE);
		const lastPage = Math.ceil((current.total ?? Number.MAX_SAFE_INTEGER) / perPage) + 5;
		let ended = false;
		for (let page = 1; ; ) {
			totals.push(current.total);
			for (const file of current.files) {
				union.set(fileKey(file), file);
				keys.add(fileKey(file));
			}
			ended = current.files.length < perPage;
			if (ended || (current.total !== undefined && page * perPage >= current.total) || page >= lastPage) break;
			page++;
			current = await fetchPage(page, MAX_FETCH_PAGE_SIZE);
		}
		if (totals[0] === undefined) return [...union.values()];
		// The same total on every page: nothing left or joined the list while it was read (in a
		// settled window files can only leave, when DocFlow updates them again). Then the files
		// read are the whole list: as many as the total, or all there were up to a short page
		// (a total that counts more than the files listed, e.g. split parts, is no shift).
		if (totals.every((total) => total === totals[0]) && (keys.size === totals[0] || ended)) return [...union.values()];
	}
	throw itemError(
		ctx.getNode(),
		`DocFlow’s list of files updated between ${rfc3339(start)} and ${rfc3339(end)} kept changing while it was read`,
		{
			description: `More than ${perPage} files were updated within these seconds and the list changed between its pages ${MAX_PASSES} times. Nothing from this poll was reported and nothing is lost: the next poll reads the same time again.`,
		},
	);
}
