import type { IExecuteFunctions } from 'n8n-workflow';

import { MAX_FETCH_PAGE_SIZE } from '../transport/api.types';
import type { DocflowFile, FetchResult } from '../transport/api.types';
import { docflowRequest } from '../transport/request';
import type { RetrySettings } from '../transport/request';

export interface FetchOptions {
	itemIndex?: number;
	/** Stop after this many files; undefined: all of them. */
	limit?: number;
	retry?: Partial<RetrySettings>;
	/** For tests and benchmarks: a smaller page than DocFlow's maximum. */
	pageSize?: number;
}

/**
 * file/fetch for one query, following page/page_size until DocFlow has nothing more
 * (or the limit is reached). Top-level files only; split and crop children stay inside
 * their parent's child_files.
 */
export async function fetchFiles(
	ctx: IExecuteFunctions,
	query: Record<string, string | number | boolean | undefined>,
	options: FetchOptions = {},
): Promise<{ files: DocflowFile[]; total: number; requests: number }> {
	const pageSize = Math.min(
		options.pageSize ?? MAX_FETCH_PAGE_SIZE,
		options.limit ?? MAX_FETCH_PAGE_SIZE,
		MAX_FETCH_PAGE_SIZE,
	);
	const files: DocflowFile[] = [];
	let total = 0;
	let requests = 0;
	for (let page = 1; ; page++) {
		const result = (await docflowRequest.call(ctx, {
			method: 'GET',
			endpoint: 'file/fetch',
			qs: { ...query, page, page_size: pageSize },
			itemIndex: options.itemIndex,
			resend: 'always',
			retry: options.retry,
		})) as Partial<FetchResult> | undefined;
		requests++;
		// Whatever else an answer holds, only objects can be files.
		const pageFiles = Array.isArray(result?.files)
			? result.files.filter((file) => typeof file === 'object' && file !== null)
			: [];
		const hasTotal = typeof result?.total === 'number';
		total = hasTotal ? (result!.total as number) : files.length + pageFiles.length;
		files.push(...pageFiles);
		const limitReached = options.limit !== undefined && files.length >= options.limit;
		// A short page ends the list only when DocFlow gives no total: a server may cap page_size
		// below what was asked, and stopping there would leave files unread (and waits hanging).
		const lastPage = hasTotal ? files.length >= total : pageFiles.length < pageSize;
		if (limitReached || lastPage || pageFiles.length === 0) break;
	}
	return {
		files: options.limit !== undefined ? files.slice(0, options.limit) : files,
		total,
		requests,
	};
}
