import type { IExecuteFunctions, INode } from 'n8n-workflow';

import type {
	CategoryField,
	CategoryFieldsResult,
	CategoryTable,
	CategoryTablesResult,
} from '../../transport/api.types';
import { listAllCategories } from '../../transport/endpoints/category';
import type { CategoryCall } from '../../transport/endpoints/category';
import { listCategoryFields } from '../../transport/endpoints/categoryFields';
import { listCategoryTables } from '../../transport/endpoints/categoryTables';
import { DocflowApiError, itemError } from '../../transport/errors';

/** Look-ups the Category resources share: what DocFlow has now, and errors that say what is missing. */

export function categoryNotFound(node: INode, workspaceId: string, categoryId: string, itemIndex?: number) {
	return itemError(node, `Category ${categoryId} does not exist in workspace ${workspaceId}`, {
		itemIndex,
		description:
			'Pick the category From List, or check its ID: Category → Get Many lists every category of the workspace with its ID. It may have been deleted.',
	});
}

/**
 * Runs a read about one category. When DocFlow refuses it with a business code, the node looks
 * whether the category exists at all, so that a wrong or deleted category gets an error that
 * says so (DocFlow's own code and message are kept for any other refusal).
 */
export async function aboutCategory<T>(ctx: IExecuteFunctions, call: CategoryCall, read: () => Promise<T>): Promise<T> {
	const outcome = await read().then(
		(value) => ({ value, error: undefined }),
		(error: Error) => ({ value: undefined, error }),
	);
	const { error } = outcome;
	if (!error) return outcome.value as T;
	const refused =
		error instanceof DocflowApiError && error.docflow.httpStatus === 200 && error.docflow.code !== undefined;
	if (!refused) throw error;
	const exists = await listAllCategories(
		ctx,
		{ workspaceId: call.workspaceId, enabled: 'all' },
		{ itemIndex: call.itemIndex, retry: call.retry },
	).then(
		(categories) => categories.some((category) => String(category.id) === call.categoryId),
		// The look-up failing too says nothing about the category: DocFlow's refusal stands.
		() => true,
	);
	if (!exists) throw categoryNotFound(ctx.getNode(), call.workspaceId, call.categoryId, call.itemIndex);
	throw error;
}

/** A category's regular fields and tables (with columns), as DocFlow has them now. */
export async function fieldsOf(ctx: IExecuteFunctions, call: CategoryCall): Promise<CategoryFieldsResult> {
	return await aboutCategory(ctx, call, async () => await listCategoryFields(ctx, call));
}

/** A category's tables, as DocFlow has them now. */
export async function tablesOf(ctx: IExecuteFunctions, call: CategoryCall): Promise<CategoryTablesResult> {
	return await aboutCategory(ctx, call, async () => await listCategoryTables(ctx, call));
}

/** A field found in fields/list: a regular field, or a column of `table`. */
export interface LocatedField {
	field: CategoryField;
	table?: CategoryTable;
}

export function locateField(list: CategoryFieldsResult, fieldId: string): LocatedField | undefined {
	const field = list.fields.find((f) => String(f.id) === fieldId);
	if (field) return { field };
	for (const table of list.tables) {
		const column = (table.fields ?? []).find((f) => String(f.id) === fieldId);
		if (column) return { field: column, table };
	}
	return undefined;
}

/** The fields one name must be unique among: the regular fields, or one table's columns. */
export function fieldsInScope(list: CategoryFieldsResult, tableId?: string): CategoryField[] {
	if (!tableId) return list.fields;
	return list.tables.find((t) => String(t.id) === tableId)?.fields ?? [];
}

export function tableNotFound(node: INode, tableId: string, categoryId: string, itemIndex?: number) {
	return itemError(node, `Table ${tableId} does not exist in category ${categoryId}`, {
		itemIndex,
		description:
			'Pick the table From List, or check its ID: Category Table → Get Many lists the category’s tables with their IDs. It may have been deleted.',
	});
}

/**
 * After an answer got lost, the check of what DocFlow now has failed too: the node cannot tell
 * whether the request was carried out, so it does not send it again and says what to check.
 */
export function mayHaveBeen(node: INode, what: string, check: string, itemIndex?: number) {
	return itemError(node, `${what}: DocFlow’s answer got lost, and looking it up afterwards failed too`, {
		itemIndex,
		description: `The node did not send the request again, so nothing is applied twice. ${check}`,
	});
}
