import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { binaryFieldNames, readInputFiles } from '../../helpers/binaryInput';
import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryDetails } from '../../transport/api.types';
import { createCategory, listAllCategories } from '../../transport/endpoints/category';
import type { CreateCategoryRequest } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { fieldsAndTablesFrom, fieldsAndTablesParameters } from './createFieldsAndTables';
import { extractModelOptions, readExtractModel } from './extractModel';
import { mayHaveBeen } from './lookups';
import { outputItem } from './outputItem';
import { readName, readText } from './valueReaders';

export const option = {
	name: 'Create',
	description: 'Create a file category with its fields, tables and sample documents',
	action: 'Create a category',
};

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
	...fieldsAndTablesParameters,
	optionsCollection([
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
	]),
];

/** What an item creates: category/create's request, but for the item it is sent for. */
type PreparedCreate = Omit<CreateCategoryRequest, 'itemIndex'>;

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
	const { fields, tables } = fieldsAndTablesFrom(ctx, itemIndex);

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
	const result = await createCategory(ctx, { ...create, itemIndex }, async () => {
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
