import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import { listAllCategories, updateCategory } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { categoryLocator, readCategory } from '../parameters/category';
import { workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { extractModelOptions, readExtractModel } from './extractModel';
import { aboutCategory, categoryNotFound } from './lookups';
import { outputItem } from './outputItem';
import { readName, readText } from './valueReaders';

export const option = {
	name: 'Update',
	description: 'Rename a category, change its prompt or model, or enable or disable it',
	action: 'Update a category',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Category Prompt',
				name: 'categoryPrompt',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: `Helps DocFlow tell this category from others when it classifies documents (at most ${CATEGORY_LIMITS.promptMaxLength} characters)`,
			},
			{
				displayName: 'Extraction Model',
				name: 'extractModel',
				type: 'options',
				options: extractModelOptions,
				default: 'Auto',
				description: 'The model for the whole category: DocFlow sets it on every field and table of the category too',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: `The category’s new name (at most ${CATEGORY_LIMITS.nameMaxLength} characters)`,
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{
						name: 'Disabled',
						value: 0,
						description: 'DocFlow no longer classifies documents into it; uploads to it are refused',
					},
					{ name: 'Draft', value: 2 },
					{ name: 'Enabled', value: 1, description: 'DocFlow classifies documents into it' },
				],
				default: 1,
			},
		],
	},
	optionsCollection(),
];

interface PreparedUpdate {
	workspaceId: string;
	categoryId: string;
	changes: IDataObject;
	retry: Partial<RetrySettings>;
}

async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<PreparedUpdate> {
	const { workspaceId, categoryId } = readCategory(ctx, itemIndex);
	const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: IDataObject = {};
	if (fields.name !== undefined)
		changes.name = readName(ctx, fields.name, itemIndex, 'Name', CATEGORY_LIMITS.nameMaxLength);
	if (fields.categoryPrompt !== undefined) {
		changes.category_prompt = readText(
			ctx,
			fields.categoryPrompt,
			itemIndex,
			'Category Prompt',
			CATEGORY_LIMITS.promptMaxLength,
		);
	}
	if (fields.status !== undefined) {
		const status = Number(fields.status);
		if (![0, 1, 2].includes(status)) {
			throw itemError(ctx.getNode(), `Status “${String(fields.status)}” is not one DocFlow knows`, {
				itemIndex,
				description: 'Use 1 (Enabled), 0 (Disabled) or 2 (Draft).',
			});
		}
		changes.enabled = status;
	}
	if (fields.extractModel !== undefined) changes.extract_model = readExtractModel(ctx, fields.extractModel, itemIndex);
	if (Object.keys(changes).length === 0) {
		throw itemError(ctx.getNode(), 'Nothing to update: no Update Fields are set', {
			itemIndex,
			description: 'Add at least one of Category Prompt, Extraction Model, Name or Status under Update Fields.',
		});
	}
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return { workspaceId, categoryId, changes, retry: retrySettingsFrom(options) };
}

async function run(ctx: IExecuteFunctions, update: PreparedUpdate, itemIndex: number): Promise<INodeExecutionData[]> {
	const { workspaceId, categoryId, changes, retry } = update;
	const call = { workspaceId, categoryId, itemIndex, retry };
	if (typeof changes.name === 'string') {
		// A name belongs to one category (uploads name categories): say which one has it already.
		const categories = await listAllCategories(ctx, { workspaceId, enabled: 'all' }, { itemIndex, retry });
		if (!categories.some((c) => String(c.id) === categoryId)) {
			throw categoryNotFound(ctx.getNode(), workspaceId, categoryId, itemIndex);
		}
		const other = categories.find((c) => c.name === changes.name && String(c.id) !== categoryId);
		if (other) {
			throw itemError(
				ctx.getNode(),
				`Another category of workspace ${workspaceId} is named “${changes.name}” (ID ${other.id})`,
				{
					itemIndex,
					description: 'Choose another name, or rename or delete the other category first.',
				},
			);
		}
	}
	const result = await aboutCategory(ctx, call, async () => await updateCategory(ctx, call, changes));
	const json: IDataObject =
		result && typeof result === 'object'
			? { workspace_id: workspaceId, ...result }
			: { workspace_id: workspaceId, id: categoryId, ...changes };
	return [outputItem(json, itemIndex)];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem<PreparedUpdate>(this, {
		prepare: async (itemIndex) => await prepare(this, itemIndex),
		known: ({ workspaceId, categoryId }) => ({ workspace_id: workspaceId, category_id: categoryId }),
		run: async (update, itemIndex) => await run(this, update, itemIndex),
	});
}
