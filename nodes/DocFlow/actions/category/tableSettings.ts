import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryTableConfig } from '../../transport/api.types';
import { extractModelOptions, readExtractModel } from './extractModel';
import { failItem, readText } from './valueReaders';

/**
 * A table's settings, shared by Category Table Add and Update (and, for the check of merging
 * with Acgpt-VL, Category Create): the panel's parameters beside their reader.
 */

/** Merge Tables Across the Document: also an entry's value in Category Create's Tables list. */
export const mergeTablesParameter: INodeProperties = {
	displayName: 'Merge Tables Across the Document',
	name: 'mergeTables',
	type: 'boolean',
	default: false,
	description:
		'Whether tables of the same layout (e.g. item lines continued over several pages) come out as one table. Not with Acgpt-VL.',
};

/** A table's settings, as options of Additional Fields or Update Fields. */
export const tableSettings: INodeProperties[] = [
	{
		displayName: 'Extraction Model',
		name: 'extractModel',
		type: 'options',
		options: extractModelOptions,
		default: 'Auto',
		description: 'The model that extracts this table (all its columns)',
	},
	mergeTablesParameter,
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. One row per item: name, quantity and amount',
		description: `Tells the extraction model what the table holds (at most ${CATEGORY_LIMITS.tablePromptMaxLength} characters)`,
	},
];

/** A table's settings from a collection, in the API's names. */
export function tableSettingsFrom(
	ctx: IExecuteFunctions,
	values: IDataObject,
	itemIndex: number,
	{ clearing = false } = {},
): Omit<CategoryTableConfig, 'name' | 'fields'> {
	const settings: Omit<CategoryTableConfig, 'name' | 'fields'> = {};
	const prompt = readText(ctx, values.prompt, itemIndex, 'Prompt', CATEGORY_LIMITS.tablePromptMaxLength);
	if (prompt !== undefined && (clearing || prompt !== '')) settings.prompt = prompt;
	if (values.mergeTables !== undefined) settings.collect_from_multi_table = values.mergeTables === true;
	if (values.extractModel !== undefined) settings.extract_model = readExtractModel(ctx, values.extractModel, itemIndex);
	checkMergeWithModel(ctx, settings, itemIndex);
	return settings;
}

/** DocFlow's Acgpt-VL cannot merge tables (the spec, on tables/update): say so before sending. */
export function checkMergeWithModel(
	ctx: IExecuteFunctions,
	settings: { collect_from_multi_table?: boolean; extract_model?: string },
	itemIndex: number,
	where = '',
): void {
	if (settings.collect_from_multi_table === true && settings.extract_model === 'Acgpt-VL') {
		failItem(
			ctx,
			itemIndex,
			`Merge Tables Across the Document cannot be used with the extraction model Acgpt-VL${where}`,
			'Choose another Extraction Model for the table, or switch Merge Tables Across the Document off.',
		);
	}
}
