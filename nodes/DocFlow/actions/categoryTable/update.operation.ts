import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryTable, CategoryTableUpdate } from '../../transport/api.types';
import { updateCategoryTables } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { categoryLocator, categoryTableLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { SeenInGroup, failEach, runGrouped, sendable } from '../category/batches';
import type { Member, Outcomes } from '../category/batches';
import { tableSettings, tableSettingsFrom } from '../category/tableSettings';
import { readName } from '../category/valueReaders';
import { single, tableNotFound, tablesOf } from '../category/lookups';

export const option = {
	name: 'Update',
	description: 'Change tables of a category, one per input item',
	action: 'Update category tables',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	categoryTableLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: alphabetical([
			...tableSettings,
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: `The table’s new name (at most ${CATEGORY_LIMITS.nameMaxLength} characters)`,
			},
		]),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical(requestOptions.filter((o) => o.name !== 'batching')),
	},
];

interface PreparedUpdate {
	workspaceId: string;
	categoryId: string;
	tableId: string;
	changes: Omit<CategoryTableUpdate, 'table_id'>;
	retry: Partial<RetrySettings>;
}

/**
 * Sends one chunk of table changes of one category: each table is found in tables/list first
 * (a missing table, a name another table has, or merging with Acgpt-VL fail on their own), the
 * rest go in one category/tables/batch_update, which is resent freely (the same values twice
 * change nothing).
 */
async function send(ctx: IExecuteFunctions, members: Array<Member<PreparedUpdate>>): Promise<Outcomes> {
	const node = ctx.getNode();
	const { workspaceId, categoryId, retry } = members[0].prepared;
	const call = { workspaceId, categoryId, retry };
	const outcomes: Outcomes = new Map();
	const before = (await tablesOf(ctx, call)).tables;
	const names = new Map(before.map((t) => [t.name, String(t.id)]));
	const tableOf = new Map<number, CategoryTable>();
	const refuse = (m: Member<PreparedUpdate>, message: string, description: string) =>
		outcomes.set(m.itemIndex, itemError(node, message, { itemIndex: m.itemIndex, description }));
	let pending = members.filter((m) => {
		const { tableId, changes } = m.prepared;
		const table = before.find((t) => String(t.id) === tableId);
		if (!table) {
			outcomes.set(m.itemIndex, tableNotFound(node, tableId, categoryId, m.itemIndex));
			return false;
		}
		const model = changes.extract_model ?? table.extract_model;
		const merge = changes.collect_from_multi_table ?? table.collect_from_multi_table;
		if (model === 'Acgpt-VL' && merge === true) {
			refuse(
				m,
				`Table “${table.name}” would merge tables with the extraction model Acgpt-VL, which cannot`,
				'Switch Merge Tables Across the Document off, or choose another Extraction Model.',
			);
			return false;
		}
		if (changes.name !== undefined) {
			const holder = names.get(changes.name);
			if (holder !== undefined && holder !== tableId) {
				refuse(
					m,
					`Another table of category ${categoryId} is named “${changes.name}” (table ID ${holder})`,
					'Choose another name, or rename or delete the other table first.',
				);
				return false;
			}
			names.delete(table.name);
			names.set(changes.name, tableId);
		}
		tableOf.set(m.itemIndex, table);
		return true;
	});
	pending = sendable(ctx, outcomes, pending, (m) => m.itemIndex);
	if (pending.length === 0) return outcomes;
	try {
		await updateCategoryTables(ctx, {
			...call,
			tables: pending.map((m) => ({ table_id: m.prepared.tableId, ...m.prepared.changes })),
		});
	} catch (error) {
		failEach(node, outcomes, error, pending);
		return outcomes;
	}
	for (const m of pending) {
		// tables/batch_update answers with nothing: the table as it was, with the changes DocFlow took.
		const { id, ...table } = tableOf.get(m.itemIndex) as CategoryTable;
		outcomes.set(
			m.itemIndex,
			single(
				{ workspace_id: workspaceId, category_id: categoryId, table_id: String(id), ...table, ...m.prepared.changes },
				m.itemIndex,
			),
		);
	}
	return outcomes;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const seen = new SeenInGroup();
	return await runGrouped<PreparedUpdate>(this, {
		prepare: async (itemIndex) => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const categoryId = readId(this, 'categoryId', itemIndex, 'Category', { locator: true });
			const tableId = readId(this, 'tableId', itemIndex, 'Table', { locator: true });
			const values = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
			const changes: Omit<CategoryTableUpdate, 'table_id'> = tableSettingsFrom(this, values, itemIndex, {
				clearing: true,
			});
			if (values.name !== undefined)
				changes.name = readName(this, values.name, itemIndex, 'Name', CATEGORY_LIMITS.nameMaxLength);
			if (Object.keys(changes).length === 0) {
				throw itemError(node, 'Nothing to update: no Update Fields are set', {
					itemIndex,
					description:
						'Add at least one of Extraction Model, Merge Tables Across the Document, Name or Prompt under Update Fields.',
				});
			}
			const earlier = seen.claim(`${workspaceId}/${categoryId}`, tableId, itemIndex);
			if (earlier !== undefined) {
				throw itemError(node, `Item ${earlier} already updates table ${tableId}`, {
					itemIndex,
					description: 'Put all changes of one table into one item, or remove the repeated item.',
				});
			}
			return {
				workspaceId,
				categoryId,
				tableId,
				changes,
				retry: retrySettingsFrom(this.getNodeParameter('options', itemIndex, {}) as IDataObject),
			};
		},
		known: ({ workspaceId, categoryId, tableId }) => ({
			workspace_id: workspaceId,
			category_id: categoryId,
			table_id: tableId,
		}),
		groupOf: ({ workspaceId, categoryId }) => `${workspaceId}/${categoryId}`,
		chunkSize: CATEGORY_LIMITS.itemsPerRequest,
		send: async (members) => await send(this, members),
	});
}
