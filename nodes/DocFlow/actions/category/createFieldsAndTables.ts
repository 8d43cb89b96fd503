import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryFieldConfig, CategoryTableConfig } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
import { readExtractModel } from './extractModel';
import { readFieldConfigs, readTableConfigs } from './fieldAndTableJson';
import { fieldSettings, fieldSettingsFrom } from './fieldSettings';
import { checkMergeWithModel, mergeTablesParameter } from './tableSettings';
import { readList, readName, readText } from './valueReaders';

/**
 * Category Create's fields and tables: Define Fields, the Fields and Tables lists or their JSON
 * forms, and the reader that turns them into what category/create takes.
 */

/** A field's settings as one entry of the Fields list (Transform: with Define Fields “Using JSON”). */
const fieldEntryValues: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Invoice Number',
		description: 'The field’s name, as it will appear in the results',
	},
	...fieldSettings.filter((p) => p.name !== 'transform'),
];

/** Define Fields, then the lists or the JSON parameters it shows. */
export const fieldsAndTablesParameters: INodeProperties[] = [
	{
		displayName: 'Define Fields',
		name: 'fieldsInput',
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json', description: 'Every setting DocFlow has, Transform included' },
		],
		default: 'fields',
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Field',
		default: {},
		description: 'The values to extract from documents of this category (at least one)',
		displayOptions: { show: { fieldsInput: ['fields'] } },
		options: [{ displayName: 'Field', name: 'field', values: fieldEntryValues }],
	},
	{
		displayName: 'Tables',
		name: 'tables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Table',
		default: {},
		description: 'Tables to extract, such as item lines',
		displayOptions: { show: { fieldsInput: ['fields'] } },
		options: [
			{
				displayName: 'Table',
				name: 'table',
				values: [
					{
						displayName: 'Column Names',
						name: 'columns',
						type: 'string',
						default: '',
						placeholder: 'e.g. Item, Quantity, Amount',
						description: 'The table’s columns, separated by commas',
					},
					{
						displayName: 'Extraction Model',
						name: 'extractModel',
						type: 'options',
						options: [
							{
								name: 'Same as the Category',
								value: '',
							},
						],
						default: '',
					},
					mergeTablesParameter,
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. Item Details',
					},
					{
						displayName: 'Prompt',
						name: 'prompt',
						type: 'string',
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'Fields (JSON)',
		name: 'fieldsJson',
		type: 'json',
		default: '[\n  {\n    "name": "Invoice Number",\n    "description": "The number printed after No."\n  }\n]',
		required: true,
		description:
			'A list of fields as DocFlow takes them: name, description, prompt, use_prompt, alias, identity, multi_value, duplicate_value_distinct, transform_settings',
		displayOptions: { show: { fieldsInput: ['json'] } },
	},
	{
		displayName: 'Tables (JSON)',
		name: 'tablesJson',
		type: 'json',
		default: '[]',
		description:
			'A list of tables as DocFlow takes them: name, prompt, collect_from_multi_table, extract_model and fields (its columns, as in Fields)',
		displayOptions: { show: { fieldsInput: ['json'] } },
	},
];

/** The Fields list: names once each; of the switches, only those switched on. */
function fieldsFromList(ctx: IExecuteFunctions, itemIndex: number): CategoryFieldConfig[] {
	const entries = ctx.getNodeParameter('fields.field', itemIndex, []) as IDataObject[];
	const seen = new Set<string>();
	return entries.map((entry, index) => {
		const name = readName(ctx, entry.name, itemIndex, `The Name of field ${index + 1}`);
		if (seen.has(name)) {
			throw itemError(ctx.getNode(), `The Fields list names “${name}” twice`, {
				itemIndex,
				description: 'Each field of a category needs its own name.',
			});
		}
		seen.add(name);
		// The list shows every switch; only those switched on are sent (off is DocFlow's default).
		const switches: IDataObject = {};
		for (const key of ['usePrompt', 'multiValue', 'removeDuplicates']) if (entry[key] === true) switches[key] = true;
		const values = { ...entry, usePrompt: undefined, multiValue: undefined, removeDuplicates: undefined, ...switches };
		return { name, ...fieldSettingsFrom(ctx, values, itemIndex) };
	});
}

/** The Tables list: names once each, with their columns by name. */
function tablesFromList(ctx: IExecuteFunctions, itemIndex: number): CategoryTableConfig[] {
	const entries = ctx.getNodeParameter('tables.table', itemIndex, []) as IDataObject[];
	const seen = new Set<string>();
	return entries.map((entry, index) => {
		const name = readName(ctx, entry.name, itemIndex, `The Name of table ${index + 1}`, CATEGORY_LIMITS.nameMaxLength);
		if (seen.has(name)) {
			throw itemError(ctx.getNode(), `The Tables list names “${name}” twice`, {
				itemIndex,
				description: 'Each table of a category needs its own name.',
			});
		}
		seen.add(name);
		const table: CategoryTableConfig = { name };
		const prompt = readText(
			ctx,
			entry.prompt,
			itemIndex,
			`The Prompt of table “${name}”`,
			CATEGORY_LIMITS.tablePromptMaxLength,
		);
		if (prompt) table.prompt = prompt;
		if (entry.mergeTables === true) table.collect_from_multi_table = true;
		if (entry.extractModel) table.extract_model = readExtractModel(ctx, entry.extractModel, itemIndex);
		checkMergeWithModel(ctx, table, itemIndex, ` (table “${name}”)`);
		const columns = readList(ctx, entry.columns, itemIndex, `The Column Names of table “${name}”`);
		if (columns.length > 0) {
			table.fields = readFieldConfigs(
				ctx,
				columns.map((column) => ({ name: column })),
				itemIndex,
				`the Column Names of table “${name}”`,
			);
		}
		return table;
	});
}

/**
 * An item's fields and tables, from the lists or from JSON: at least one field (DocFlow creates
 * no category without) and at most the fields one request carries.
 */
export function fieldsAndTablesFrom(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { fields: CategoryFieldConfig[]; tables: CategoryTableConfig[] } {
	const node = ctx.getNode();
	const json = ctx.getNodeParameter('fieldsInput', itemIndex, 'fields') === 'json';
	const fields = json
		? readFieldConfigs(ctx, ctx.getNodeParameter('fieldsJson', itemIndex, ''), itemIndex, 'Fields (JSON)')
		: fieldsFromList(ctx, itemIndex);
	if (fields.length === 0) {
		throw itemError(node, 'Fields is empty: DocFlow needs at least one field to create a category', {
			itemIndex,
			description: 'Add a field under Fields (its name is enough), or switch Define Fields to “Using JSON”.',
		});
	}
	if (fields.length > CATEGORY_LIMITS.itemsPerRequest) {
		throw itemError(
			node,
			`Fields has ${fields.length} fields; the node sends at most ${CATEGORY_LIMITS.itemsPerRequest} in one request`,
			{
				itemIndex,
				description: `Create the category with at most ${CATEGORY_LIMITS.itemsPerRequest} fields, then add the others with Category Field → Add.`,
			},
		);
	}
	const tables = json
		? readTableConfigs(ctx, ctx.getNodeParameter('tablesJson', itemIndex, '[]'), itemIndex, 'Tables (JSON)')
		: tablesFromList(ctx, itemIndex);
	return { fields, tables };
}
