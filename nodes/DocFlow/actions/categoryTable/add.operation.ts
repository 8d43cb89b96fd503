import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryTable, CategoryTableConfig, CategoryTablesResult, TableResult } from '../../transport/api.types';
import { addCategoryTables, listCategoryTables } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { categoryLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { SeenInGroup, failEach, runGrouped, sendable } from '../category/batches';
import type { Member, Outcomes } from '../category/batches';
import { readFieldConfigs } from '../category/fieldAndTableJson';
import { tableSettings, tableSettingsFrom } from '../category/tableSettings';
import { readList, readName } from '../category/valueReaders';
import { mayHaveBeen, single, tablesOf } from '../category/lookups';

export const option = {
	name: 'Add',
	description: 'Add tables to a category, one per input item',
	action: 'Add category tables',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{
		displayName: 'Table Name',
		name: 'tableName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Item Details',
		description: `The new table’s name (at most ${CATEGORY_LIMITS.nameMaxLength} characters)`,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: alphabetical([
			...tableSettings,
			{
				displayName: 'Column Names',
				name: 'columnNames',
				type: 'string',
				default: '',
				placeholder: 'e.g. Item, Quantity, Amount',
				description: `The table’s columns, separated by commas (at most ${CATEGORY_LIMITS.itemsPerRequest}). Category Field → Add adds more later.`,
			},
			{
				displayName: 'Columns (JSON)',
				name: 'columnsJson',
				type: 'json',
				default: '[\n  { "name": "Amount", "description": "Line total" }\n]',
				description:
					'The columns with every setting DocFlow has, as Category Create’s Fields (JSON) takes them. Instead of Column Names.',
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

interface PreparedAdd {
	workspaceId: string;
	categoryId: string;
	table: CategoryTableConfig;
	retry: Partial<RetrySettings>;
}

/**
 * Sends one chunk of new tables of one category: a name the category has already fails on its
 * own, the rest go in one category/tables/batch_add. A lost answer is checked with tables/list:
 * tables of these names that were not there before are this request's; only the others go again.
 */
async function send(ctx: IExecuteFunctions, members: Array<Member<PreparedAdd>>): Promise<Outcomes> {
	const node = ctx.getNode();
	const { workspaceId, categoryId, retry } = members[0].prepared;
	const call = { workspaceId, categoryId, retry };
	const outcomes: Outcomes = new Map();
	const before = (await tablesOf(ctx, call)).tables;
	const beforeIds = new Set(before.map((t) => String(t.id)));
	let pending = members.filter((m) => {
		const same = before.find((t) => t.name === m.prepared.table.name);
		if (!same) return true;
		outcomes.set(
			m.itemIndex,
			itemError(
				node,
				`A table named “${m.prepared.table.name}” already exists in category ${categoryId} (table ID ${same.id})`,
				{
					itemIndex: m.itemIndex,
					description: 'Choose another name, or change the existing table with Category Table → Update.',
				},
			),
		);
		return false;
	});
	pending = sendable(ctx, outcomes, pending, (m) => m.itemIndex);
	if (pending.length === 0) return outcomes;

	const found = new Map<number, CategoryTable>();
	const carried = [...pending];
	let sent: Array<Member<PreparedAdd>> = [];
	let result: TableResult[] | undefined;
	try {
		result = await addCategoryTables(
			ctx,
			{
				...call,
				tables: () => {
					sent = [...pending];
					return sent.map((m) => m.prepared.table);
				},
			},
			async () => {
				let now: CategoryTablesResult;
				try {
					now = await listCategoryTables(ctx, call);
				} catch {
					throw mayHaveBeen(
						node,
						`The tables ${pending.map((m) => `“${m.prepared.table.name}”`).join(', ')} may have been added to category ${categoryId}`,
						'Check the category’s tables (Category Table → Get Many) before running these items again.',
					);
				}
				const added = now.tables.filter((t) => !beforeIds.has(String(t.id)));
				for (const m of pending) {
					const table = added.find((t) => t.name === m.prepared.table.name);
					if (table) found.set(m.itemIndex, table);
				}
				pending = pending.filter((m) => !found.has(m.itemIndex));
				return pending.length === 0 ? 'received' : 'resend';
			},
		);
	} catch (error) {
		failEach(node, outcomes, error, carried);
		return outcomes;
	}
	const answered = Array.isArray(result) ? result : [];
	for (const m of carried) {
		const seen = found.get(m.itemIndex);
		const position = sent.indexOf(m);
		const byPosition: TableResult | undefined = position >= 0 ? answered[position] : undefined;
		const entry =
			byPosition && (byPosition.name === undefined || byPosition.name === m.prepared.table.name)
				? byPosition
				: answered.find((r) => r?.name === m.prepared.table.name);
		const json: IDataObject = seen
			? { workspace_id: workspaceId, category_id: categoryId, ...m.prepared.table, ...seen, table_id: String(seen.id) }
			: {
					workspace_id: workspaceId,
					category_id: categoryId,
					...m.prepared.table,
					...(entry ?? {}),
					table_id: String(entry?.table_id ?? ''),
				};
		delete json.id;
		outcomes.set(m.itemIndex, single(json, m.itemIndex));
	}
	return outcomes;
}

function columnsFrom(ctx: IExecuteFunctions, values: IDataObject, itemIndex: number) {
	const hasNames =
		values.columnNames !== undefined && readList(ctx, values.columnNames, itemIndex, 'Column Names').length > 0;
	const hasJson = values.columnsJson !== undefined && values.columnsJson !== '';
	if (hasNames && hasJson) {
		throw itemError(ctx.getNode(), 'Both Column Names and Columns (JSON) are set', {
			itemIndex,
			description: 'Give the columns one way: names only in Column Names, or with their settings in Columns (JSON).',
		});
	}
	if (hasNames) {
		const names = readList(ctx, values.columnNames, itemIndex, 'Column Names');
		return readFieldConfigs(
			ctx,
			names.map((name) => ({ name })),
			itemIndex,
			'Column Names',
		);
	}
	if (hasJson) return readFieldConfigs(ctx, values.columnsJson, itemIndex, 'Columns (JSON)', { required: false });
	return undefined;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const seen = new SeenInGroup();
	return await runGrouped<PreparedAdd>(this, {
		prepare: async (itemIndex) => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const categoryId = readId(this, 'categoryId', itemIndex, 'Category', { locator: true });
			const name = readName(
				this,
				this.getNodeParameter('tableName', itemIndex, ''),
				itemIndex,
				'Table Name',
				CATEGORY_LIMITS.nameMaxLength,
			);
			const values = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			const table: CategoryTableConfig = { name, ...tableSettingsFrom(this, values, itemIndex) };
			const columns = columnsFrom(this, values, itemIndex);
			if (columns && columns.length > 0) table.fields = columns;
			const earlier = seen.claim(`${workspaceId}/${categoryId}`, name, itemIndex);
			if (earlier !== undefined) {
				throw itemError(node, `Item ${earlier} already adds a table named “${name}” to the same category`, {
					itemIndex,
					description: 'Each table needs its own name: remove the repeated row, or rename it.',
				});
			}
			return {
				workspaceId,
				categoryId,
				table,
				retry: retrySettingsFrom(this.getNodeParameter('options', itemIndex, {}) as IDataObject),
			};
		},
		known: ({ workspaceId, categoryId, table }) => ({
			workspace_id: workspaceId,
			category_id: categoryId,
			name: table.name,
		}),
		groupOf: ({ workspaceId, categoryId }) => `${workspaceId}/${categoryId}`,
		chunkSize: CATEGORY_LIMITS.itemsPerRequest,
		send: async (members) => await send(this, members),
	});
}
