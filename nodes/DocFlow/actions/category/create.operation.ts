import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { binaryFieldNames, readInputFiles } from '../../helpers/binaryInput';
import type { InputFile } from '../../helpers/binaryInput';
import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryDetails, CategoryFieldConfig, CategoryTableConfig } from '../../transport/api.types';
import { createCategory, listAllCategories } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { extractModelOptions, readExtractModel } from './extractModel';
import { readFieldConfigs, readTableConfigs } from './fieldAndTableJson';
import { fieldSettings, fieldSettingsFrom } from './fieldSettings';
import { checkMergeWithModel } from './tableSettings';
import { readList, readName, readText } from './valueReaders';
import { mayHaveBeen, outputItem } from './lookups';

export const option = {
	name: 'Create',
	description: 'Create a file category with its fields, tables and sample documents',
	action: 'Create a category',
};

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

export const description: INodeProperties[] = [
	workspaceLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Invoice',
		description: `The category’s name, at most ${CATEGORY_LIMITS.nameMaxLength} characters. Upload’s Category option and the results name it.`,
	},
	{
		displayName: 'Extraction Model',
		name: 'extractModel',
		type: 'options',
		options: extractModelOptions,
		default: 'Auto',
		description: 'The model that extracts the category’s fields and tables',
	},
	{
		displayName: 'Sample File Field(s)',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data, sample_2',
		hint: `The input item’s binary field(s) holding 1 to ${CATEGORY_LIMITS.sampleFilesPerCreate} example documents, separated by commas`,
		description:
			'DocFlow learns to recognise the category from these documents. More can be added later with Category Sample (a category holds at most 20).',
	},
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
					{
						displayName: 'Merge Tables Across the Document',
						name: 'mergeTables',
						type: 'boolean',
						default: false,
						description:
							'Whether tables of the same layout (e.g. item lines continued over several pages) come out as one table. Not with Acgpt-VL.',
					},
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical([
			{
				displayName: 'Category Prompt',
				name: 'categoryPrompt',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				placeholder: 'e.g. VAT invoices with an invoice code and number',
				description: `Helps DocFlow tell this category from others when it classifies documents (at most ${CATEGORY_LIMITS.promptMaxLength} characters)`,
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'A note on the category, for people',
			},
			...requestOptions,
		]),
	},
];

interface PreparedCreate {
	workspaceId: string;
	name: string;
	extractModel: string;
	categoryPrompt?: string;
	description?: string;
	fields: CategoryFieldConfig[];
	tables: CategoryTableConfig[];
	sampleFiles: InputFile[];
	retry: Partial<RetrySettings>;
}

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

async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<PreparedCreate> {
	const node = ctx.getNode();
	const workspaceId = readId(ctx, 'workspace', itemIndex, 'Workspace', { locator: true });
	const name = readName(
		ctx,
		ctx.getNodeParameter('name', itemIndex, ''),
		itemIndex,
		'Name',
		CATEGORY_LIMITS.nameMaxLength,
	);
	const extractModel = readExtractModel(ctx, ctx.getNodeParameter('extractModel', itemIndex, 'Auto'), itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
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

	const sampleFiles = await readInputFiles(
		ctx,
		itemIndex,
		binaryFieldNames(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')),
	);
	if (sampleFiles.length > CATEGORY_LIMITS.sampleFilesPerCreate) {
		throw itemError(
			node,
			`Sample File Field(s) names ${sampleFiles.length} files; DocFlow takes at most ${CATEGORY_LIMITS.sampleFilesPerCreate} in one request`,
			{
				itemIndex,
				description: `Name at most ${CATEGORY_LIMITS.sampleFilesPerCreate} binary fields here; add more samples afterwards with Category Sample (a category holds at most 20).`,
			},
		);
	}
	const categoryPrompt = readText(
		ctx,
		options.categoryPrompt,
		itemIndex,
		'Category Prompt',
		CATEGORY_LIMITS.promptMaxLength,
	);
	const description = readText(ctx, options.description, itemIndex, 'Description');
	return {
		workspaceId,
		name,
		extractModel,
		categoryPrompt: categoryPrompt || undefined,
		description: description || undefined,
		fields,
		tables,
		sampleFiles,
		retry: retrySettingsFrom(options),
	};
}

async function run(ctx: IExecuteFunctions, create: PreparedCreate, itemIndex: number): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const { workspaceId, name, retry } = create;
	const sameName = async () =>
		(await listAllCategories(ctx, { workspaceId, enabled: 'all' }, { itemIndex, retry })).filter(
			(category) => category.name === name,
		);

	// A name is one category's (DocFlow's upload takes categories by name). Checking first gives
	// a clear error, and lets a lost answer be checked: a category of this name that was not
	// there before is the one this item created.
	const before = await sameName();
	if (before.length > 0) {
		throw itemError(
			node,
			`A category named “${name}” already exists in workspace ${workspaceId} (ID ${before[0].id})`,
			{
				itemIndex,
				description: 'Choose another name, or change the existing category with Category → Update.',
			},
		);
	}
	let found: CategoryDetails | undefined;
	const result = await createCategory(ctx, { ...create, itemIndex, sampleFiles: create.sampleFiles }, async () => {
		let now: CategoryDetails[];
		try {
			now = await sameName();
		} catch {
			throw mayHaveBeen(
				node,
				`The category “${name}” may have been created`,
				`Check the categories of workspace ${workspaceId} (Category → Get Many) before running this item again.`,
				itemIndex,
			);
		}
		if (now.length === 0) return 'resend';
		if (now.length > 1) {
			throw itemError(node, `The category “${name}” may have been created more than once: DocFlow’s answer got lost`, {
				itemIndex,
				description: `DocFlow now has ${now.length} categories of this name (IDs ${now.map((c) => c.id).join(', ')}). Check them with Category → Get Many and delete the extra one.`,
			});
		}
		found = now[0];
		return 'received';
	});
	const json: IDataObject = { workspace_id: workspaceId };
	if (result) {
		Object.assign(json, result, { category_id: String(result.category_id ?? '') });
	} else if (found) {
		const { id, ...rest } = found;
		Object.assign(json, { category_id: String(id), ...rest });
	}
	return [outputItem(json, itemIndex)];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem<PreparedCreate>(this, {
		prepare: async (itemIndex) => await prepare(this, itemIndex),
		known: ({ workspaceId, name }) => ({ workspace_id: workspaceId, name }),
		run: async (create, itemIndex) => await run(this, create, itemIndex),
	});
}
