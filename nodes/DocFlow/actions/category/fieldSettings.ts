import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CategoryFieldConfig, TransformSettings } from '../../transport/api.types';
import { failItem, readList, readText } from './valueReaders';

/**
 * A field's settings, shared by Category Create (its Fields list), Category Field Add and
 * Category Field Update: the panel's parameters beside their reader.
 */

/** A field's settings, as the options of an Additional Fields or Update Fields collection. */
export const fieldSettings: INodeProperties[] = [
	{
		displayName: 'Aliases',
		name: 'aliases',
		type: 'string',
		default: '',
		placeholder: 'e.g. Invoice No., Bill Number',
		description:
			'Other names the field goes by in documents, separated by commas (or an expression that returns a list). On Update, leave it empty to remove every alias.',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: 'What the field holds, in words',
	},
	{
		displayName: 'Export Name',
		name: 'exportName',
		type: 'string',
		default: '',
		placeholder: 'e.g. invoice_number',
		description:
			'The name the field gets when results are exported (DocFlow’s identity). On Update, leave it empty to remove it.',
	},
	{
		displayName: 'Multiple Values',
		name: 'multiValue',
		type: 'boolean',
		default: false,
		description: 'Whether DocFlow extracts every value of this field it finds, not only the first',
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. The number printed after “No.” in the top right corner',
		description: 'Tells the extraction model what to look for. Switch on Use Prompt for DocFlow to use it.',
	},
	{
		displayName: 'Remove Duplicate Values',
		name: 'removeDuplicates',
		type: 'boolean',
		default: false,
		description: 'Whether to keep each value only once (only applies with Multiple Values on)',
	},
	{
		displayName: 'Transform',
		name: 'transform',
		type: 'fixedCollection',
		placeholder: 'Add Transform',
		default: {},
		description: 'Reformat the extracted value before DocFlow outputs it',
		options: [
			{
				displayName: 'Transform',
				name: 'settings',
				values: [
					{
						displayName: 'Allowed Values',
						name: 'allowedValues',
						type: 'string',
						default: '',
						placeholder: 'e.g. VAT Special Invoice, VAT General Invoice',
						description: 'Separated by commas, or an expression that returns a list',
					},
					{
						displayName: 'Date Format',
						name: 'dateFormat',
						type: 'string',
						default: 'yyyy-MM-dd',
						placeholder: 'e.g. yyyy-MM-dd HH:mm:ss',
					},
					{
						displayName: 'Default Value',
						name: 'defaultValue',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Pattern',
						name: 'pattern',
						type: 'string',
						default: '',
						placeholder: 'e.g.	^(\\d{4})-(\\d{2})-(\\d{2})$',
					},
					{
						displayName: 'Replacement',
						name: 'replacement',
						type: 'string',
						default: '',
						placeholder: 'e.g.	$1/$2/$3',
						description: 'May use the pattern’s groups:	$1,	$2…',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{
								name: 'Date and Time',
								value: 'datetime',
								description: 'Write dates in one format',
							},
							{
								name: 'Enumeration',
								value: 'enumerate',
								description: 'Keep only values from a list',
							},
							{
								name: 'Regular Expression',
								value: 'regex',
								description: 'Match and replace',
							},
						],
						default: 'datetime',
					},
					{
						displayName: 'When the Value Does Not Fit',
						name: 'mismatch',
						type: 'options',
						options: [
							{
								name: 'Keep It and Flag a Warning',
								value: 'warning',
							},
							{
								name: 'Output a Default Value',
								value: 'default',
							},
						],
						default: 'warning',
					},
				],
			},
		],
	},
	{
		displayName: 'Use Prompt',
		name: 'usePrompt',
		type: 'boolean',
		default: false,
		description: 'Whether DocFlow uses the Prompt to extract this field',
	},
];

/** The Transform option in the API's transform_settings; undefined when it is not set. */
function transformFrom(ctx: IExecuteFunctions, value: unknown, itemIndex: number): TransformSettings | undefined {
	const settings = (value as IDataObject | undefined)?.settings as IDataObject | undefined;
	if (!settings) return undefined;
	const type = String(settings.type ?? 'datetime');
	const transform: TransformSettings = { type: type as TransformSettings['type'] };
	if (type === 'datetime') {
		const format = readText(ctx, settings.dateFormat, itemIndex, 'Date Format')?.trim() ?? '';
		if (format === '')
			failItem(ctx, itemIndex, 'Date Format is empty', 'Enter the date format DocFlow should write, e.g. yyyy-MM-dd.');
		transform.datetime_settings = { format };
	} else if (type === 'enumerate') {
		const items = readList(ctx, settings.allowedValues, itemIndex, 'Allowed Values');
		if (items.length === 0)
			failItem(ctx, itemIndex, 'Allowed Values is empty', 'List the values the field may take, separated by commas.');
		transform.enumerate_settings = { items };
	} else if (type === 'regex') {
		const match = readText(ctx, settings.pattern, itemIndex, 'Pattern') ?? '';
		if (match === '')
			failItem(ctx, itemIndex, 'Pattern is empty', 'Enter the regular expression the value should match.');
		try {
			new RegExp(match);
		} catch (error) {
			failItem(ctx, itemIndex, `Pattern “${match}” is not a valid regular expression`, (error as Error).message);
		}
		transform.regex_settings = { match, replace: readText(ctx, settings.replacement, itemIndex, 'Replacement') ?? '' };
	} else {
		failItem(
			ctx,
			itemIndex,
			`Transform type “${type}” is not one DocFlow knows`,
			'Choose Date and Time, Enumeration or Regular Expression.',
		);
	}
	const mode = settings.mismatch === 'default' ? 'default' : 'warning';
	transform.mismatch_action =
		mode === 'default'
			? { mode, default_value: readText(ctx, settings.defaultValue, itemIndex, 'Default Value') ?? '' }
			: { mode };
	return transform;
}

/**
 * A field's settings from a collection (Additional Fields, Update Fields, a Fields entry), in
 * the API's names. `clearing`: on Update an option added but left empty clears it (the spec:
 * an empty alias list or export name removes them); on Add an empty option is left out.
 */
export function fieldSettingsFrom(
	ctx: IExecuteFunctions,
	values: IDataObject,
	itemIndex: number,
	{ clearing = false } = {},
): Partial<CategoryFieldConfig> {
	const config: Partial<CategoryFieldConfig> = {};
	const description = readText(ctx, values.description, itemIndex, 'Description');
	if (description !== undefined && (clearing || description !== '')) config.description = description;
	const prompt = readText(ctx, values.prompt, itemIndex, 'Prompt');
	if (prompt !== undefined && (clearing || prompt !== '')) config.prompt = prompt;
	if (values.usePrompt !== undefined) config.use_prompt = values.usePrompt === true;
	if (values.aliases !== undefined) {
		const alias = readList(ctx, values.aliases, itemIndex, 'Aliases');
		if (clearing || alias.length > 0) config.alias = alias;
	}
	const identity = readText(ctx, values.exportName, itemIndex, 'Export Name')?.trim();
	if (identity !== undefined && (clearing || identity !== '')) config.identity = identity;
	if (values.multiValue !== undefined) config.multi_value = values.multiValue === true;
	if (values.removeDuplicates !== undefined) config.duplicate_value_distinct = values.removeDuplicates === true;
	const transform = transformFrom(ctx, values.transform, itemIndex);
	if (transform) config.transform_settings = transform;
	return config;
}
