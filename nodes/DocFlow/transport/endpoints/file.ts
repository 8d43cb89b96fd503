import type { IDataObject } from 'n8n-workflow';

import { MAX_FETCH_PAGE_SIZE } from '../api.types';
import type {
	AmendCategoryBody,
	DocflowFile,
	ExtractFieldsBody,
	FetchResult,
	FileDeleteResult,
	FileUpdateEntry,
	FileUpdateResult,
	ParserParams,
	SyncUploadResult,
	UploadEndpoint,
	UploadResult,
} from '../api.types';
import { MultipartBody } from '../multipart';
import type { MultipartFile } from '../multipart';
import { readAllPages } from '../paging';
import type { DocflowContext, RetrySettings } from '../request';
import { postOnce, resendable } from '../requestKinds';
import type { CallOptions } from '../requestKinds';
import { sendVerified } from '../sendVerified';
import type { VerifiedSend } from '../sendVerified';

/** The typed calls of DocFlow's file/… endpoints. */

export interface FetchOptions extends CallOptions {
	/** Stop after this many files; undefined: all of them. */
	limit?: number;
}

/** One file/fetch page as DocFlow answers it, with only objects kept as its files. */
async function requestPage(
	ctx: DocflowContext,
	query: Record<string, string | number | boolean | undefined>,
	page: { page: number; pageSize: number },
	options: CallOptions,
): Promise<Partial<FetchResult> & { files: DocflowFile[] }> {
	const qs = { ...query, page: page.page, page_size: page.pageSize };
	const result = await resendable<Partial<FetchResult>>(ctx, 'GET', 'file/fetch', { qs }, options);
	// Whatever else an answer holds, only objects can be files.
	const files = Array.isArray(result?.files) ? result.files.filter((file) => typeof file === 'object' && file !== null) : [];
	return { ...result, files };
}

/**
 * file/fetch for one query, following page/page_size until DocFlow has nothing more (or the
 * limit is reached; see readAllPages). Top-level files only; split and crop children stay
 * inside their parent's child_files.
 */
export async function fetchFiles(
	ctx: DocflowContext,
	query: Record<string, string | number | boolean | undefined>,
	options: FetchOptions = {},
): Promise<DocflowFile[]> {
	return await readAllPages<DocflowFile>(
		async (page, pageSize) => {
			const { files, total } = await requestPage(ctx, query, { page, pageSize }, options);
			return { items: files, total };
		},
		{ limit: options.limit, maxPageSize: MAX_FETCH_PAGE_SIZE },
	);
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

/** The item a write is for, and how hard it is tried. */
type WriteOptions = Required<Pick<CallOptions, 'itemIndex'>> & { retry: Partial<RetrySettings> };

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
	await postOnce(ctx, 'file/retry', body, task, verify);
}

// ---------- File results: update, amend category, extract fields, delete ----------

/** A task or file as file/fetch shows it, and the split/crop parent it is a part of (if it is one). */
export interface FoundFile {
	file: DocflowFile;
	parent?: DocflowFile;
}

/**
 * The file with this task ID or file ID among file/fetch's files, split parts and cropped
 * images included: DocFlow may answer with the part alone or with its parent (the part then
 * sits in child_files).
 */
export function matchFile(files: DocflowFile[], by: { task_id: string } | { file_id: string }): FoundFile | undefined {
	const matches = (file: DocflowFile | undefined) => ('task_id' in by ? file?.task_id === by.task_id : file?.id === by.file_id);
	for (const file of files) {
		if (matches(file)) return { file };
		const child = (Array.isArray(file.child_files) ? file.child_files : []).find(matches);
		if (child) return { file: { ...child, parent_task_id: child.parent_task_id ?? file.task_id }, parent: file };
	}
	return undefined;
}

/** The one file with this task ID or file ID in the workspace (see matchFile). */
export async function findFile(
	ctx: DocflowContext,
	workspaceId: string,
	by: { task_id: string } | { file_id: string },
	options: FetchOptions = {},
): Promise<FoundFile | undefined> {
	const files = await fetchFiles(ctx, { workspace_id: workspaceId, ...by }, { ...options, limit: 10 });
	return matchFile(files, by);
}

/**
 * file/update for one file. `data` replaces the file's whole result, so sending the same body
 * twice leaves the file as sending it once: it is resent like a read after a lost answer.
 */
export async function updateFileResult(
	ctx: DocflowContext,
	entry: FileUpdateEntry,
	options: WriteOptions,
): Promise<FileUpdateResult | undefined> {
	return await resendable<FileUpdateResult>(ctx, 'POST', 'file/update', { json: [entry] }, options);
}

/** file/amend_category, never carried out twice (it starts a new extraction; see sendVerified). */
export async function amendCategory(
	ctx: DocflowContext,
	body: AmendCategoryBody,
	options: WriteOptions,
	verify: VerifiedSend['verify'],
): Promise<void> {
	await postOnce(ctx, 'file/amend_category', body, options, verify);
}

/**
 * file/extract_fields, never carried out twice (each one runs the extraction models again; see
 * sendVerified). Resolves with DocFlow's answer (shaped as file/fetch's), or undefined when
 * `verify` found that the extraction arrived.
 */
export async function extractFields(
	ctx: DocflowContext,
	body: ExtractFieldsBody,
	options: WriteOptions,
	verify: VerifiedSend['verify'],
): Promise<Partial<FetchResult> | undefined> {
	return await postOnce<Partial<FetchResult>>(ctx, 'file/extract_fields', body, options, verify);
}

/**
 * file/delete: DocFlow deletes every file that matches ANY of the body's conditions. After a
 * lost answer `verify` looks whether the files are gone (done) or still there (sent again).
 * Resolves with DocFlow's answer, or undefined when `verify` found the files gone.
 */
export async function deleteFiles(
	ctx: DocflowContext,
	body: IDataObject & { workspace_id: string },
	options: WriteOptions,
	verify: VerifiedSend['verify'],
): Promise<FileDeleteResult | undefined> {
	return await postOnce<FileDeleteResult>(ctx, 'file/delete', body, options, verify);
}

/** One page of file/fetch as DocFlow sends it: the files, and how many the whole list holds. */
export interface FilePage {
	/** DocFlow's `total` for the query (undefined when it sent none). */
	total?: number;
	/** DocFlow's `page_size`: how many files it puts on a page (it may give fewer than asked for). */
	pageSize?: number;
	files: DocflowFile[];
}

/**
 * One page of file/fetch, for callers that must know whether it holds the whole list (the
 * trigger reads windows of update times and splits those that do not fit in one page).
 */
export async function fetchFilePage(
	ctx: DocflowContext,
	query: Record<string, string | number | boolean | undefined>,
	page: { page: number; pageSize: number },
	retry?: Partial<RetrySettings>,
): Promise<FilePage> {
	const result = await requestPage(ctx, query, page, { retry });
	return {
		total: typeof result.total === 'number' ? result.total : undefined,
		pageSize: typeof result.page_size === 'number' && result.page_size > 0 ? result.page_size : undefined,
		files: result.files,
	};
}
