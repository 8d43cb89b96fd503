import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CategoryFieldConfig } from '../../transport/api.types';
import { addCategoryFields, listCategoryFields } from '../../transport/endpoints/categoryFields';
import { categoryLocator, categoryTableLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { FIELDS, addNew } from '../category/addsAndDeletes';
import { fieldSettings, fieldSettingsFrom } from '../category/fieldSettings';
import { fieldsInScope, fieldsOf, tableNotFound } from '../category/lookups';
import { batchedOptions, runPerCategory } from '../category/perCategory';
import type { Chunk } from '../category/perCategory';
import { readName } from '../category/valueReaders';

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
	batchedOptions,
];

interface NewField {
	tableId?: string;
	field: CategoryFieldConfig;
}

/**
 * Sends one chunk of new fields of one category (or one table) in one category/fields/batch_add
 * (see addNew), after finding the table in fields/list.
 */
async function send(ctx: IExecuteFunctions, { members, outcomes, call }: Chunk<NewField>): Promise<void> {
	const { tableId } = members[0].prepared;
	const before = await fieldsOf(ctx, call);
	const table = tableId ? before.tables.find((t) => String(t.id) === tableId) : undefined;
	if (tableId && !table) throw tableNotFound(ctx.getNode(), tableId, call.categoryId);
	await addNew(ctx, outcomes, members, {
		things: FIELDS,
		where: table ? `table “${table.name}” of category ${call.categoryId}` : `category ${call.categoryId}`,
		existing: fieldsInScope(before, tableId),
		definitionOf: (m) => m.prepared.field,
		listNow: async () => fieldsInScope(await listCategoryFields(ctx, call), tableId),
		send: async (fields, verify) => await addCategoryFields(ctx, { ...call, tableId, fields }, verify),
		base: {
			workspace_id: call.workspaceId,
			category_id: call.categoryId,
			table_id: table ? String(table.id) : null,
			table_name: table ? table.name : null,
		},
	});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerCategory<NewField>(this, {
		prepare: (itemIndex) => {
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
			return { tableId, field: { name, ...settings } };
		},
		once: {
			key: ({ field }) => field.name,
			refusal: ({ field, tableId }, earlier) => ({
				message: `Item ${earlier} already adds a field named “${field.name}” to the same ${tableId ? 'table' : 'category'}`,
				description:
					'Each field needs its own name: remove the repeated row (e.g. with a Remove Duplicates node), or rename it.',
			}),
		},
		known: ({ tableId, field }) => ({ ...(tableId ? { table_id: tableId } : {}), name: field.name }),
		// A table's columns go with its table_id: one request per table.
		placeOf: ({ workspaceId, categoryId, tableId }) => `${workspaceId}/${categoryId}/${tableId ?? ''}`,
		send: async (chunk) => await send(this, chunk),
	});
}
