import type { CategoryTableConfig, CategoryTableUpdate, CategoryTablesResult, TableResult } from '../api.types';
import type { DocflowContext } from '../request';
import { postOnce, resendable } from '../requestKinds';
import type { VerifiedSend } from '../sendVerified';
import { categoryKeys, objectsIn } from './category';
import type { CategoryCall } from './category';

/** The typed calls of DocFlow's category/tables/… endpoints: a category's tables. */

/** category/tables/list: a category's tables (without their columns: fields/list has those). */
export async function listCategoryTables(ctx: DocflowContext, call: CategoryCall): Promise<CategoryTablesResult> {
	const result = await resendable<Partial<CategoryTablesResult>>(
		ctx,
		'GET',
		'category/tables/list',
		{ qs: categoryKeys(call) },
		call,
	);
	return { tables: objectsIn(result?.tables) };
}

/** category/tables/batch_add, never carried out twice (as addCategoryFields). */
export async function addCategoryTables(
	ctx: DocflowContext,
	call: CategoryCall & { tables: () => CategoryTableConfig[] },
	verify: VerifiedSend['verify'],
): Promise<TableResult[] | undefined> {
	const json = () => ({ ...categoryKeys(call), tables: call.tables(), with_detail: true });
	return await postOnce<TableResult[]>(ctx, 'category/tables/batch_add', json, call, verify);
}

/** category/tables/batch_update: setting the same values twice changes nothing, so it is resent freely. */
export async function updateCategoryTables(
	ctx: DocflowContext,
	call: CategoryCall & { tables: CategoryTableUpdate[] },
): Promise<void> {
	const json = { ...categoryKeys(call), tables: call.tables };
	await resendable(ctx, 'POST', 'category/tables/batch_update', { json }, call);
}

/** category/tables/delete, never sent blindly twice. */
export async function deleteCategoryTables(
	ctx: DocflowContext,
	call: CategoryCall & { tableIds: () => string[] },
	verify: VerifiedSend['verify'],
): Promise<void> {
	const json = () => ({ ...categoryKeys(call), table_ids: call.tableIds() });
	await postOnce(ctx, 'category/tables/delete', json, call, verify);
}
