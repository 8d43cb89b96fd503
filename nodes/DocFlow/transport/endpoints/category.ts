import type { IDataObject } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../api.types';
import type {
	CategoryCreateResult,
	CategoryDetails,
	CategoryFieldConfig,
	CategoryListResult,
	CategoryTableConfig,
} from '../api.types';
import { MultipartBody } from '../multipart';
import type { MultipartFile } from '../multipart';
import { readAllPages } from '../paging';
import type { DocflowContext, RetrySettings } from '../request';
import { postOnce, resendable } from '../requestKinds';
import { sendVerified } from '../sendVerified';
import type { VerifiedSend } from '../sendVerified';

/**
 * The typed calls of DocFlow's category/… endpoints for categories themselves (their fields and
 * tables: categoryFields.ts, categoryTables.ts).
 */

/** One page of a workspace's file categories: enabled ('1', DocFlow's default), disabled ('0'), draft ('2') or all. */
export async function listCategories(
	ctx: DocflowContext,
	query: { workspaceId: string; page: number; pageSize: number; enabled?: 'all' | '0' | '1' | '2' },
	retry?: Partial<RetrySettings>,
	itemIndex?: number,
): Promise<Partial<CategoryListResult> | undefined> {
	const qs = { workspace_id: query.workspaceId, page: query.page, page_size: query.pageSize, enabled: query.enabled };
	return await resendable(ctx, 'GET', 'category/list', { qs }, { itemIndex, retry });
}

/** What every call about one category needs. */
export interface CategoryCall {
	workspaceId: string;
	categoryId: string;
	/** The item the request is for (errors name it); undefined for a request shared by several items. */
	itemIndex?: number;
	retry?: Partial<RetrySettings>;
}

/** The category a call is about, as the endpoints take it (query or body). */
export function categoryKeys(call: CategoryCall): { workspace_id: string; category_id: string } {
	return { workspace_id: call.workspaceId, category_id: call.categoryId };
}

/** The objects of a list DocFlow sent: anything else in it, or no list at all, counts as nothing. */
export function objectsIn<T>(list: unknown): T[] {
	return (Array.isArray(list) ? list : []).filter((x) => typeof x === 'object' && x !== null) as T[];
}

/**
 * A workspace's categories, following page/page_size until DocFlow has no more (or `limit` is
 * reached). `enabled` 'all' lists every state; DocFlow's own default is enabled only.
 */
export async function listAllCategories(
	ctx: DocflowContext,
	query: { workspaceId: string; enabled?: 'all' | '0' | '1' | '2'; limit?: number },
	options: { itemIndex?: number; retry?: Partial<RetrySettings> } = {},
): Promise<CategoryDetails[]> {
	return await readAllPages<CategoryDetails>(
		async (page, pageSize) => {
			const { workspaceId, enabled } = query;
			const result = await listCategories(ctx, { workspaceId, page, pageSize, enabled }, options.retry, options.itemIndex);
			return { items: result?.categories, total: result?.total };
		},
		{ limit: query.limit, maxPageSize: CATEGORY_LIMITS.listPageSize },
	);
}

/** What one category/create request sends: the form's text fields and the sample files. */
export interface CreateCategoryRequest {
	workspaceId: string;
	name: string;
	extractModel: string;
	categoryPrompt?: string;
	description?: string;
	fields: CategoryFieldConfig[];
	tables?: CategoryTableConfig[];
	sampleFiles: MultipartFile[];
	itemIndex: number;
	retry?: Partial<RetrySettings>;
}

/**
 * category/create (multipart: the spec's form fields beside the `sample_files` parts; fields and
 * tables as JSON text, as the category guide sends them), never carried out twice: see
 * sendVerified. `with_detail` makes DocFlow answer with the whole category. Resolves with
 * DocFlow's answer, or undefined when `verify` found the category in DocFlow.
 */
export async function createCategory(
	ctx: DocflowContext,
	create: CreateCategoryRequest,
	verify: VerifiedSend['verify'],
): Promise<CategoryCreateResult | undefined> {
	const form: Record<string, string> = {
		workspace_id: create.workspaceId,
		name: create.name,
		extract_model: create.extractModel,
	};
	if (create.categoryPrompt !== undefined) form.category_prompt = create.categoryPrompt;
	if (create.description !== undefined) form.description = create.description;
	form.fields = JSON.stringify(create.fields);
	if (create.tables && create.tables.length > 0) form.tables = JSON.stringify(create.tables);
	form.with_detail = 'true';
	return await sendVerified<CategoryCreateResult>(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'category/create',
			// A new body per send: a multipart body is read once per attempt.
			multipart: new MultipartBody(create.sampleFiles, 'sample_files', undefined, form),
			itemIndex: create.itemIndex,
			retry: create.retry,
		}),
		verify,
	});
}

/**
 * category/update. Setting the same values twice changes nothing, so it is resent freely.
 * With `with_detail` DocFlow answers with the category as it now is.
 */
export async function updateCategory(
	ctx: DocflowContext,
	call: CategoryCall,
	changes: IDataObject,
): Promise<CategoryDetails | undefined> {
	const json = { ...categoryKeys(call), ...changes, with_detail: true };
	return await resendable(ctx, 'POST', 'category/update', { json }, call);
}

/** category/delete of several categories of one workspace, never sent blindly twice. */
export async function deleteCategories(
	ctx: DocflowContext,
	call: { workspaceId: string; categoryIds: () => string[]; itemIndex?: number; retry?: Partial<RetrySettings> },
	verify: VerifiedSend['verify'],
): Promise<void> {
	const json = () => ({ workspace_id: call.workspaceId, category_ids: call.categoryIds() });
	await postOnce(ctx, 'category/delete', json, call, verify);
}
