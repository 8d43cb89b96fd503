import type { IDataObject } from 'n8n-workflow';

import type { CategoryFieldConfig, CategoryFieldUpdate, CategoryFieldsResult, FieldResult } from '../api.types';
import type { DocflowContext } from '../request';
import { postOnce, resendable } from '../requestKinds';
import type { VerifiedSend } from '../sendVerified';
import { categoryKeys, objectsIn } from './category';
import type { CategoryCall } from './category';

/**
 * The typed calls of DocFlow's category/fields/… endpoints: a category's regular fields, and
 * (with a table_id) the columns of one of its tables.
 */

/** category/fields/list: a category's regular fields and its tables with their columns. */
export async function listCategoryFields(ctx: DocflowContext, call: CategoryCall): Promise<CategoryFieldsResult> {
	const result = await resendable<Partial<CategoryFieldsResult>>(
		ctx,
		'GET',
		'category/fields/list',
		{ qs: categoryKeys(call) },
		call,
	);
	return {
		fields: objectsIn(result?.fields),
		tables: objectsIn<CategoryFieldsResult['tables'][number]>(result?.tables).map((table) => ({
			...table,
			fields: objectsIn(table.fields),
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
	const json = () => {
		const body: IDataObject = categoryKeys(call);
		if (call.tableId) body.table_id = call.tableId;
		body.fields = call.fields() as unknown as IDataObject[];
		body.with_detail = true;
		return body;
	};
	return await postOnce<FieldResult[]>(ctx, 'category/fields/batch_add', json, call, verify);
}

/** category/fields/batch_update: setting the same values twice changes nothing, so it is resent freely. */
export async function updateCategoryFields(
	ctx: DocflowContext,
	call: CategoryCall & { fields: CategoryFieldUpdate[] },
): Promise<FieldResult[] | undefined> {
	const json = { ...categoryKeys(call), fields: call.fields, with_detail: true };
	return await resendable(ctx, 'POST', 'category/fields/batch_update', { json }, call);
}

/** category/fields/delete of regular fields, or (with `tableId`) of one table's columns. */
export async function deleteCategoryFields(
	ctx: DocflowContext,
	call: CategoryCall & { tableId?: string; fieldIds: () => string[] },
	verify: VerifiedSend['verify'],
): Promise<void> {
	const json = () => {
		const body: IDataObject = { ...categoryKeys(call), field_ids: call.fieldIds() };
		if (call.tableId) body.table_id = call.tableId;
		return body;
	};
	await postOnce(ctx, 'category/fields/delete', json, call, verify);
}
