import type { IDataObject } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../api.types';
import type {
	CategoryCreateResult,
	CategoryDetails,
	CategoryFieldConfig,
	CategoryFieldUpdate,
	CategoryFieldsResult,
	CategoryListResult,
	CategoryTableConfig,
	CategoryTableUpdate,
	CategoryTablesResult,
	FieldResult,
	TableResult,
} from '../api.types';
import { MultipartBody } from '../multipart';
import type { MultipartFile } from '../multipart';
import { docflowRequest } from '../request';
import type { DocflowContext, RetrySettings } from '../request';
import { sendVerified } from '../sendVerified';
import type { VerifiedSend } from '../sendVerified';

/** The typed calls of DocFlow's category/… endpoints. */

/** One page of a workspace's file categories: enabled ('1', DocFlow's default), disabled ('0'), draft ('2') or all. */
export async function listCategories(
	ctx: DocflowContext,
	query: { workspaceId: string; page: number; pageSize: number; enabled?: 'all' | '0' | '1' | '2' },
	retry?: Partial<RetrySettings>,
	itemIndex?: number,
): Promise<Partial<CategoryListResult> | undefined> {
	return (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'category/list',
		qs: { workspace_id: query.workspaceId, page: query.page, page_size: query.pageSize, enabled: query.enabled },
		itemIndex,
		resend: 'always',
		retry,
	})) as Partial<CategoryListResult> | undefined;
}

/** What every call about one category needs. */
export interface CategoryCall {
	workspaceId: string;
	categoryId: string;
	/** The item the request is for (errors name it); undefined for a request shared by several items. */
	itemIndex?: number;
	retry?: Partial<RetrySettings>;
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
	const pageSize = Math.min(query.limit ?? CATEGORY_LIMITS.listPageSize, CATEGORY_LIMITS.listPageSize);
	const categories: CategoryDetails[] = [];
	for (let page = 1; ; page++) {
		const result = await listCategories(
			ctx,
			{ workspaceId: query.workspaceId, page, pageSize, enabled: query.enabled },
			options.retry,
			options.itemIndex,
		);
		const pageItems = (Array.isArray(result?.categories) ? result.categories : []).filter(
			(c) => typeof c === 'object' && c !== null,
		) as unknown as CategoryDetails[];
		categories.push(...pageItems);
		const limitReached = query.limit !== undefined && categories.length >= query.limit;
		// A short page ends the list only when DocFlow gives no total (a server may serve less
		// than page_size asks for).
		const lastPage =
			typeof result?.total === 'number' ? categories.length >= result.total : pageItems.length < pageSize;
		if (limitReached || lastPage || pageItems.length === 0) break;
	}
	return query.limit !== undefined ? categories.slice(0, query.limit) : categories;
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
	return (await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'category/update',
		json: { workspace_id: call.workspaceId, category_id: call.categoryId, ...changes, with_detail: true },
		itemIndex: call.itemIndex,
		resend: 'always',
		retry: call.retry,
	})) as CategoryDetails | undefined;
}

/** category/delete of several categories of one workspace, never sent blindly twice. */
export async function deleteCategories(
	ctx: DocflowContext,
	call: { workspaceId: string; categoryIds: () => string[]; itemIndex?: number; retry?: Partial<RetrySettings> },
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'category/delete',
			json: { workspace_id: call.workspaceId, category_ids: call.categoryIds() },
			itemIndex: call.itemIndex,
			retry: call.retry,
		}),
		verify,
	});
}

/** category/fields/list: a category's regular fields and its tables with their columns. */
export async function listCategoryFields(ctx: DocflowContext, call: CategoryCall): Promise<CategoryFieldsResult> {
	const result = (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'category/fields/list',
		qs: { workspace_id: call.workspaceId, category_id: call.categoryId },
		itemIndex: call.itemIndex,
		resend: 'always',
		retry: call.retry,
	})) as Partial<CategoryFieldsResult> | undefined;
	const objects = <T>(list: unknown): T[] =>
		(Array.isArray(list) ? list : []).filter((x) => typeof x === 'object' && x !== null) as T[];
	return {
		fields: objects(result?.fields),
		tables: objects<CategoryFieldsResult['tables'][number]>(result?.tables).map((table) => ({
			...table,
			fields: objects(table.fields),
		})),
	};
}

/**
 * category/fields/batch_add (regular fields, or a table's columns with `tableId`), never
 * carried out twice: `fields()` is asked before every send, so a resend after a lost answer
 * carries only what DocFlow does not have. Resolves with DocFlow's result (one entry per field
 * sent, in order), or undefined when `verify` found all of them.
 */
export async function addCategoryFields(
	ctx: DocflowContext,
	call: CategoryCall & { tableId?: string; fields: () => CategoryFieldConfig[] },
	verify: VerifiedSend['verify'],
): Promise<FieldResult[] | undefined> {
	return await sendVerified<FieldResult[]>(ctx, {
		request: () => {
			const body: IDataObject = { workspace_id: call.workspaceId, category_id: call.categoryId };
			if (call.tableId) body.table_id = call.tableId;
			body.fields = call.fields() as unknown as IDataObject[];
			body.with_detail = true;
			return {
				method: 'POST',
				endpoint: 'category/fields/batch_add',
				json: body,
				itemIndex: call.itemIndex,
				retry: call.retry,
			};
		},
		verify,
	});
}

/** category/fields/batch_update: setting the same values twice changes nothing, so it is resent freely. */
export async function updateCategoryFields(
	ctx: DocflowContext,
	call: CategoryCall & { fields: CategoryFieldUpdate[] },
): Promise<FieldResult[] | undefined> {
	return (await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'category/fields/batch_update',
		json: { workspace_id: call.workspaceId, category_id: call.categoryId, fields: call.fields, with_detail: true },
		itemIndex: call.itemIndex,
		resend: 'always',
		retry: call.retry,
	})) as FieldResult[] | undefined;
}

/** category/fields/delete of regular fields, or (with `tableId`) of one table's columns. */
export async function deleteCategoryFields(
	ctx: DocflowContext,
	call: CategoryCall & { tableId?: string; fieldIds: () => string[] },
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => {
			const body: IDataObject = {
				workspace_id: call.workspaceId,
				category_id: call.categoryId,
				field_ids: call.fieldIds(),
			};
			if (call.tableId) body.table_id = call.tableId;
			return {
				method: 'POST',
				endpoint: 'category/fields/delete',
				json: body,
				itemIndex: call.itemIndex,
				retry: call.retry,
			};
		},
		verify,
	});
}

/** category/tables/list: a category's tables (without their columns: fields/list has those). */
export async function listCategoryTables(ctx: DocflowContext, call: CategoryCall): Promise<CategoryTablesResult> {
	const result = (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'category/tables/list',
		qs: { workspace_id: call.workspaceId, category_id: call.categoryId },
		itemIndex: call.itemIndex,
		resend: 'always',
		retry: call.retry,
	})) as Partial<CategoryTablesResult> | undefined;
	return {
		tables: (Array.isArray(result?.tables) ? result.tables : []).filter((t) => typeof t === 'object' && t !== null),
	};
}

/** category/tables/batch_add, never carried out twice (as addCategoryFields). */
export async function addCategoryTables(
	ctx: DocflowContext,
	call: CategoryCall & { tables: () => CategoryTableConfig[] },
	verify: VerifiedSend['verify'],
): Promise<TableResult[] | undefined> {
	return await sendVerified<TableResult[]>(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'category/tables/batch_add',
			json: {
				workspace_id: call.workspaceId,
				category_id: call.categoryId,
				tables: call.tables() as unknown as IDataObject[],
				with_detail: true,
			},
			itemIndex: call.itemIndex,
			retry: call.retry,
		}),
		verify,
	});
}

/** category/tables/batch_update: setting the same values twice changes nothing, so it is resent freely. */
export async function updateCategoryTables(
	ctx: DocflowContext,
	call: CategoryCall & { tables: CategoryTableUpdate[] },
): Promise<void> {
	await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'category/tables/batch_update',
		json: { workspace_id: call.workspaceId, category_id: call.categoryId, tables: call.tables },
		itemIndex: call.itemIndex,
		resend: 'always',
		retry: call.retry,
	});
}

/** category/tables/delete, never sent blindly twice. */
export async function deleteCategoryTables(
	ctx: DocflowContext,
	call: CategoryCall & { tableIds: () => string[] },
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'category/tables/delete',
			json: { workspace_id: call.workspaceId, category_id: call.categoryId, table_ids: call.tableIds() },
			itemIndex: call.itemIndex,
			retry: call.retry,
		}),
		verify,
	});
}
