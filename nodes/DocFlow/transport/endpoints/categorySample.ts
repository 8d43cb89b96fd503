import { CATEGORY_SAMPLE_LIMITS } from '../api.types';
import type { CategorySample, CategorySampleListResult, CategorySampleUploadResult } from '../api.types';
import type { DownloadedFile } from '../answers';
import { zipProblem } from '../downloadedZip';
import { MultipartBody } from '../multipart';
import type { MultipartFile } from '../multipart';
import { readAllPages } from '../paging';
import { docflowRequest } from '../request';
import type { DocflowContext, RetrySettings } from '../request';
import { postOnce, resendable } from '../requestKinds';
import type { CallOptions } from '../requestKinds';
import { sendVerified } from '../sendVerified';
import type { VerifiedSend } from '../sendVerified';

/** The typed calls of DocFlow's category/sample/… endpoints. */

export interface CategoryRef {
	workspaceId: string;
	categoryId: string;
}

/** One page of a category's samples. */
export async function listCategorySamplesPage(
	ctx: DocflowContext,
	query: CategoryRef & { page: number; pageSize: number },
	options: CallOptions = {},
): Promise<Partial<CategorySampleListResult> | undefined> {
	const qs = {
		workspace_id: query.workspaceId,
		category_id: query.categoryId,
		page: query.page,
		page_size: query.pageSize,
	};
	return await resendable(ctx, 'GET', 'category/sample/list', { qs }, options);
}

/** A category's samples, following page/page_size until DocFlow has no more (or `limit` is reached). */
export async function listCategorySamples(
	ctx: DocflowContext,
	category: CategoryRef,
	options: CallOptions & { limit?: number } = {},
): Promise<CategorySample[]> {
	return await readAllPages<CategorySample>(
		async (page, pageSize) => {
			const result = await listCategorySamplesPage(ctx, { ...category, page, pageSize }, options);
			return { items: result?.samples, total: result?.total };
		},
		{ limit: options.limit, maxPageSize: CATEGORY_SAMPLE_LIMITS.pageSize },
	);
}

export interface SampleUploadRequest extends CategoryRef {
	files: MultipartFile[];
	itemIndex: number;
	retry: Partial<RetrySettings>;
}

/**
 * category/sample/batch_upload, never carried out twice (see sendVerified): `build` is called
 * before every send, so a resend after a lost answer carries only the files DocFlow does not
 * have. The spec takes workspace_id and category_id as form fields, beside the `files` parts;
 * `with_detail` makes DocFlow answer with the category's samples, so the new ones' IDs are known.
 * Resolves with DocFlow's answer, or undefined when `verify` found every file in DocFlow.
 */
export async function uploadCategorySamples(
	ctx: DocflowContext,
	build: () => SampleUploadRequest,
	check: Omit<VerifiedSend, 'request'>,
): Promise<CategorySampleUploadResult | undefined> {
	return await sendVerified<CategorySampleUploadResult>(ctx, {
		...check,
		request: () => {
			const upload = build();
			return {
				method: 'POST',
				endpoint: 'category/sample/batch_upload',
				multipart: new MultipartBody(upload.files, 'files', undefined, {
					workspace_id: upload.workspaceId,
					category_id: upload.categoryId,
					with_detail: 'true',
				}),
				itemIndex: upload.itemIndex,
				retry: upload.retry,
			};
		},
	});
}

/** category/sample/delete, never carried out twice (see sendVerified). */
export async function deleteCategorySamples(
	ctx: DocflowContext,
	request: CategoryRef & { sampleIds: string[] },
	options: CallOptions & { itemIndex: number },
	verify: VerifiedSend['verify'],
): Promise<void> {
	const json = { workspace_id: request.workspaceId, category_id: request.categoryId, sample_ids: request.sampleIds };
	await postOnce(ctx, 'category/sample/delete', json, options, verify);
}

/**
 * category/sample/batch_download: a ZIP of the chosen samples (all of them when `sampleIds`
 * is absent), checked to be whole. A read: sent again freely after a lost or cut-off answer.
 */
export async function downloadCategorySamples(
	ctx: DocflowContext,
	request: CategoryRef & { sampleIds?: string[]; itemIndex: number; retry: Partial<RetrySettings> },
): Promise<DownloadedFile> {
	const body: Record<string, unknown> = { workspace_id: request.workspaceId, category_id: request.categoryId };
	if (request.sampleIds) body.sample_ids = request.sampleIds;
	return (await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'category/sample/batch_download',
		json: body,
		itemIndex: request.itemIndex,
		resend: 'always',
		retry: request.retry,
		// The spec answers application/zip, the samples guide application/octet-stream; JSON for errors.
		download: { accept: 'application/zip, application/octet-stream, application/json', check: zipProblem },
	})) as DownloadedFile;
}
