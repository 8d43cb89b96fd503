import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryField, CategoryFieldConfig, CategoryFieldsResult, FieldResult } from '../../transport/api.types';
import { addCategoryFields, listCategoryFields } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { categoryLocator, categoryTableLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { SeenInGroup, failEach, runGrouped, sendable } from '../category/batches';
import type { Member, Outcomes } from '../category/batches';
import { fieldSettings, fieldSettingsFrom } from '../category/fieldSettings';
import { readName } from '../category/valueReaders';
import { fieldsInScope, fieldsOf, mayHaveBeen, single, tableNotFound } from '../category/lookups';

export const option = {
	name: 'Add',
	description: 'Add fields to a category, one per input item',
	action: 'Add category fields',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{
		displayName: 'Add To',
		name: 'addTo',
		type: 'options',
		options: [
			{ name: 'Regular Fields', value: 'regular', description: 'A value outside tables, such as an invoice number' },
			{ name: 'Table Columns', value: 'table', description: 'A column of one of the category’s tables' },
		],
		default: 'regular',
	},
	{ ...categoryTableLocator, displayOptions: { show: { addTo: ['table'] } } },
	{
		displayName: 'Field Name',
		name: 'fieldName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Invoice Number',
		description: 'The new field’s name, as results will show it. Map it from a sheet to add one field per row.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: fieldSettings,
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
	tableId?: string;
	field: CategoryFieldConfig;
	retry: Partial<RetrySettings>;
}

const groupOf = ({ workspaceId, categoryId, tableId }: PreparedAdd) => `${workspaceId}/${categoryId}/${tableId ?? ''}`;

/**
 * Sends one chunk of new fields of one category (or one table): fields whose name the category
 * already has fail on their own, the rest go in one category/fields/batch_add. A lost answer is
 * checked with fields/list: fields of these names that were not there before are this
 * request's, and only the others are sent again.
 */
async function send(ctx: IExecuteFunctions, members: Array<Member<PreparedAdd>>): Promise<Outcomes> {
	const node = ctx.getNode();
	const { workspaceId, categoryId, tableId, retry } = members[0].prepared;
	const call = { workspaceId, categoryId, retry };
	const outcomes: Outcomes = new Map();
	const before = await fieldsOf(ctx, call);
	const table = tableId ? before.tables.find((t) => String(t.id) === tableId) : undefined;
	if (tableId && !table) throw tableNotFound(node, tableId, categoryId);
	const where = table ? `table “${table.name}” of category ${categoryId}` : `category ${categoryId}`;
	const existing = fieldsInScope(before, tableId);
	const beforeIds = new Set(existing.map((f) => String(f.id)));

	let pending = members.filter((m) => {
		const same = existing.find((f) => f.name === m.prepared.field.name);
		if (!same) return true;
		outcomes.set(
			m.itemIndex,
			itemError(node, `A field named “${m.prepared.field.name}” already exists in ${where} (field ID ${same.id})`, {
				itemIndex: m.itemIndex,
				description: 'Choose another name, or change the existing field with Category Field → Update.',
			}),
		);
		return false;
	});
	pending = sendable(ctx, outcomes, pending, (m) => m.itemIndex);
	if (pending.length === 0) return outcomes;

	const found = new Map<number, CategoryField>();
	let sent: Array<Member<PreparedAdd>> = [];
	const carried = [...pending];
	let result: FieldResult[] | undefined;
	try {
		result = await addCategoryFields(
			ctx,
			{
				...call,
				tableId,
				fields: () => {
					sent = [...pending];
					return sent.map((m) => m.prepared.field);
				},
			},
			async () => {
				let now: CategoryFieldsResult;
				try {
					now = await listCategoryFields(ctx, call);
				} catch {
					throw mayHaveBeen(
						node,
						`The fields ${pending.map((m) => `“${m.prepared.field.name}”`).join(', ')} may have been added to ${where}`,
						'Check the category’s fields (Category Field → Get Many) before running these items again.',
					);
				}
				const scope = fieldsInScope(now, tableId).filter((f) => !beforeIds.has(String(f.id)));
				for (const m of pending) {
					const field = scope.find((f) => f.name === m.prepared.field.name);
					if (field) found.set(m.itemIndex, field);
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
	const base: IDataObject = {
		workspace_id: workspaceId,
		category_id: categoryId,
		table_id: table ? String(table.id) : null,
		table_name: table ? table.name : null,
	};
	for (const m of members) {
		if (outcomes.has(m.itemIndex)) continue;
		const seen = found.get(m.itemIndex);
		// DocFlow answers in the order of the request (the spec); by name if it ever does not.
		const position = sent.indexOf(m);
		const byPosition: FieldResult | undefined = position >= 0 ? answered[position] : undefined;
		const entry =
			byPosition && (byPosition.name === undefined || byPosition.name === m.prepared.field.name)
				? byPosition
				: answered.find((r) => r?.name === m.prepared.field.name);
		const json: IDataObject = seen
			? { ...base, ...m.prepared.field, ...seen, field_id: String(seen.id) }
			: { ...base, ...m.prepared.field, ...(entry ?? {}), field_id: String(entry?.field_id ?? '') };
		delete json.id;
		outcomes.set(m.itemIndex, single(json, m.itemIndex));
	}
	return outcomes;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const seen = new SeenInGroup();
	return await runGrouped<PreparedAdd>(this, {
		prepare: async (itemIndex) => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const categoryId = readId(this, 'categoryId', itemIndex, 'Category', { locator: true });
			const tableId =
				this.getNodeParameter('addTo', itemIndex, 'regular') === 'table'
					? readId(this, 'tableId', itemIndex, 'Table', { locator: true })
					: undefined;
			const name = readName(this, this.getNodeParameter('fieldName', itemIndex, ''), itemIndex, 'Field Name');
			const settings = fieldSettingsFrom(
				this,
				this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
				itemIndex,
			);
			const prepared: PreparedAdd = {
				workspaceId,
				categoryId,
				tableId,
				field: { name, ...settings },
				retry: retrySettingsFrom(this.getNodeParameter('options', itemIndex, {}) as IDataObject),
			};
			// Two items adding one name to the same place: DocFlow would refuse their whole request.
			const earlier = seen.claim(groupOf(prepared), name, itemIndex);
			if (earlier !== undefined) {
				throw itemError(
					node,
					`Item ${earlier} already adds a field named “${name}” to the same ${tableId ? 'table' : 'category'}`,
					{
						itemIndex,
						description:
							'Each field needs its own name: remove the repeated row (e.g. with a Remove Duplicates node), or rename it.',
					},
				);
			}
			return prepared;
		},
		known: ({ workspaceId, categoryId, tableId, field }) => ({
			workspace_id: workspaceId,
			category_id: categoryId,
			...(tableId ? { table_id: tableId } : {}),
			name: field.name,
		}),
		groupOf,
		chunkSize: CATEGORY_LIMITS.itemsPerRequest,
		send: async (members) => await send(this, members),
	});
}
