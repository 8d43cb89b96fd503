import type { IDataObject } from 'n8n-workflow';

import { MAX_FETCH_PAGE_SIZE } from '../api.types';
import type { DocflowFile, FetchResult, ParserParams, SyncUploadResult, UploadEndpoint, UploadResult } from '../api.types';
import { MultipartBody } from '../multipart';
import type { MultipartFile } from '../multipart';
import { docflowRequest } from '../request';
import type { DocflowContext, RetrySettings } from '../request';
import { sendVerified } from '../sendVerified';
import type { VerifiedSend } from '../sendVerified';

/** The typed calls of DocFlow's file/… endpoints. */

export interface FetchOptions {
	itemIndex?: number;
	/** Stop after this many files; undefined: all of them. */
	limit?: number;
	retry?: Partial<RetrySettings>;
}

/**
 * file/fetch for one query, following page/page_size until DocFlow has nothing more
 * (or the limit is reached). Top-level files only; split and crop children stay inside
 * their parent's child_files.
 */
export async function fetchFiles(
	ctx: DocflowContext,
	query: Record<string, string | number | boolean | undefined>,
	options: FetchOptions = {},
): Promise<DocflowFile[]> {
	const pageSize = Math.min(options.limit ?? MAX_FETCH_PAGE_SIZE, MAX_FETCH_PAGE_SIZE);
	const files: DocflowFile[] = [];
	for (let page = 1; ; page++) {
		const result = (await docflowRequest.call(ctx, {
			method: 'GET',
			endpoint: 'file/fetch',
			qs: { ...query, page, page_size: pageSize },
			itemIndex: options.itemIndex,
			resend: 'always',
			retry: options.retry,
		})) as Partial<FetchResult> | undefined;
		// Whatever else an answer holds, only objects can be files.
		const pageFiles = Array.isArray(result?.files)
			? result.files.filter((file) => typeof file === 'object' && file !== null)
			: [];
		files.push(...pageFiles);
		const limitReached = options.limit !== undefined && files.length >= options.limit;
		// A short page ends the list only when DocFlow gives no total: a server may cap page_size
		// below what was asked, and stopping there would leave files unread (and waits hanging).
		const lastPage =
			typeof result?.total === 'number' ? files.length >= result.total : pageFiles.length < pageSize;
		if (limitReached || lastPage || pageFiles.length === 0) break;
	}
	return options.limit !== undefined ? files.slice(0, options.limit) : files;
}

/** What one file/upload (or file/upload/sync) request sends: files (multipart) or URLs (JSON), and its query. */
export interface UploadRequest {
	/** file/upload (the default) or file/upload/sync, which answers once DocFlow has processed the files. */
	endpoint?: UploadEndpoint;
	query: Record<string, string | number>;
	files?: MultipartFile[];
	urls?: string[];
	itemIndex: number;
	retry: Partial<RetrySettings>;
}

/**
 * file/upload or file/upload/sync, never carried out twice (see sendVerified): `build` is called
 * before every send, so a resend after a lost answer carries only what DocFlow does not have yet.
 * Resolves with DocFlow's answer (the synchronous one lists the processed files), or undefined
 * when `verify` found everything in DocFlow.
 */
export async function uploadFiles(
	ctx: DocflowContext,
	build: () => UploadRequest,
	check: Omit<VerifiedSend, 'request'>,
): Promise<UploadResult | SyncUploadResult | undefined> {
	return await sendVerified<UploadResult | SyncUploadResult>(ctx, {
		...check,
		request: () => {
			const upload = build();
			return {
				method: 'POST',
				endpoint: upload.endpoint ?? 'file/upload',
				qs: upload.query,
				multipart: upload.files ? new MultipartBody(upload.files) : undefined,
				json: upload.urls ? { urls: upload.urls } : undefined,
				itemIndex: upload.itemIndex,
				retry: upload.retry,
			};
		},
	});
}

/** file/retry, never carried out twice (see sendVerified). */
export async function retryTask(
	ctx: DocflowContext,
	task: {
		workspaceId: string;
		taskId: string;
		parserParams?: ParserParams;
		itemIndex: number;
		retry: Partial<RetrySettings>;
	},
	verify: VerifiedSend['verify'],
): Promise<void> {
	const body: IDataObject = { workspace_id: task.workspaceId, task_id: task.taskId };
	if (task.parserParams && Object.keys(task.parserParams).length > 0) body.parser_params = task.parserParams as IDataObject;
	await sendVerified(ctx, {
		request: () => ({ method: 'POST', endpoint: 'file/retry', json: body, itemIndex: task.itemIndex, retry: task.retry }),
		verify,
	});
}
