import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS, EXTRACT_MODELS } from '../../transport/api.types';
import type {
	CategoryFieldConfig,
	CategoryTableConfig,
	ExtractModel,
	TransformSettings,
} from '../../transport/api.types';
import { itemError } from '../../transport/errors';

/**
 * What a field and a table are made of, shared by Category Create, Category Field Add/Update and
 * Category Table Add/Update: the panel's parameters and their readers, which check every value
 * before anything is sent and name the item and the parameter when one is wrong.
 */

export const extractModelOptions = [
	{ name: 'Acgpt', value: 'Acgpt', description: 'Fast, with stable results' },
	{ name: 'Acgpt-VL', value: 'Acgpt-VL', description: 'Vision-language model, for simple documents of up to 10 pages' },
	{ name: 'Auto', value: 'Auto', description: 'DocFlow picks the model' },
	{ name: 'DF-M1', value: 'DF-M1', description: 'For complex documents' },
];

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
	{
		displayName: 'Merge Tables Across the Document',
		name: 'mergeTables',
		type: 'boolean',
		default: false,
		description:
			'Whether tables of the same layout (e.g. item lines continued over several pages) come out as one table. Not with Acgpt-VL.',
	},
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

function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string): never {
	throw itemError(ctx.getNode(), message, { itemIndex, description });
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A name (category, field, table): one non-empty line of text, at most `maxLength` characters. */
export function readName(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
	maxLength?: number,
): string {
	if (typeof value === 'number') value = String(value);
	if (value !== undefined && value !== null && typeof value !== 'string') {
		fail(
			ctx,
			itemIndex,
			`${label} must be text, but it is ${describe(value)}`,
			`Map a single text field into ${label}.`,
		);
	}
	const name = String(value ?? '').trim();
	if (name === '') {
		fail(
			ctx,
			itemIndex,
			`${label} is empty`,
			`Set ${label}, or map it from an earlier node. If it is mapped, the field it points to is empty for this item.`,
		);
	}
	if (/[\r\n]/.test(name)) {
		fail(
			ctx,
			itemIndex,
			`${label} “${name.replace(/[\r\n]+/g, ' ')}” spans several lines`,
			`Use a single line for ${label}.`,
		);
	}
	if (maxLength !== undefined && Array.from(name).length > maxLength) {
		fail(
			ctx,
			itemIndex,
			`${label} “${name}” is ${Array.from(name).length} characters long; DocFlow allows at most ${maxLength}`,
			`Shorten ${label}.`,
		);
	}
	return name;
}

/** Optional text with a length limit; undefined when absent. */
export function readText(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
	maxLength?: number,
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
	if (typeof value !== 'string') {
		fail(
			ctx,
			itemIndex,
			`${label} must be text, but it is ${describe(value)}`,
			`Map a single text field into ${label}.`,
		);
	}
	if (maxLength !== undefined && Array.from(value).length > maxLength) {
		fail(
			ctx,
			itemIndex,
			`${label} is ${Array.from(value).length} characters long; DocFlow allows at most ${maxLength}`,
			`Shorten ${label}.`,
		);
	}
	return value;
}

/** A list from text separated by commas, or from an expression that returns a list. */
export function readList(ctx: IExecuteFunctions, value: unknown, itemIndex: number, label: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
	if (!list || list.some((entry) => typeof entry === 'object' && entry !== null)) {
		fail(
			ctx,
			itemIndex,
			`${label} must be text separated by commas or a list of texts, but it is ${describe(value)}`,
			`Enter ${label} like “one, two”, or map a list of texts.`,
		);
	}
	return list.map((entry) => String(entry ?? '').trim()).filter((entry) => entry !== '');
}

export function readExtractModel(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label = 'Extraction Model',
): ExtractModel {
	if (typeof value === 'string' && (EXTRACT_MODELS as readonly string[]).includes(value)) return value as ExtractModel;
	return fail(
		ctx,
		itemIndex,
		`${label} “${String(value)}” is not one DocFlow knows`,
		`Choose one of ${EXTRACT_MODELS.join(', ')}.`,
	);
}

function transformFrom(ctx: IExecuteFunctions, value: unknown, itemIndex: number): TransformSettings | undefined {
	const settings = (value as IDataObject | undefined)?.settings as IDataObject | undefined;
	if (!settings) return undefined;
	const type = String(settings.type ?? 'datetime');
	const transform: TransformSettings = { type: type as TransformSettings['type'] };
	if (type === 'datetime') {
		const format = readText(ctx, settings.dateFormat, itemIndex, 'Date Format')?.trim() ?? '';
		if (format === '')
			fail(ctx, itemIndex, 'Date Format is empty', 'Enter the date format DocFlow should write, e.g. yyyy-MM-dd.');
		transform.datetime_settings = { format };
	} else if (type === 'enumerate') {
		const items = readList(ctx, settings.allowedValues, itemIndex, 'Allowed Values');
		if (items.length === 0)
			fail(ctx, itemIndex, 'Allowed Values is empty', 'List the values the field may take, separated by commas.');
		transform.enumerate_settings = { items };
	} else if (type === 'regex') {
		const match = readText(ctx, settings.pattern, itemIndex, 'Pattern') ?? '';
		if (match === '') fail(ctx, itemIndex, 'Pattern is empty', 'Enter the regular expression the value should match.');
		try {
			new RegExp(match);
		} catch (error) {
			fail(ctx, itemIndex, `Pattern “${match}” is not a valid regular expression`, (error as Error).message);
		}
		transform.regex_settings = { match, replace: readText(ctx, settings.replacement, itemIndex, 'Replacement') ?? '' };
	} else {
		fail(
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
		fail(
			ctx,
			itemIndex,
			`Merge Tables Across the Document cannot be used with the extraction model Acgpt-VL${where}`,
			'Choose another Extraction Model for the table, or switch Merge Tables Across the Document off.',
		);
	}
}

const FIELD_KEYS: Record<string, 'string' | 'boolean' | 'strings' | 'transform'> = {
	name: 'string',
	description: 'string',
	prompt: 'string',
	use_prompt: 'boolean',
	alias: 'strings',
	identity: 'string',
	multi_value: 'boolean',
	duplicate_value_distinct: 'boolean',
	transform_settings: 'transform',
};

const TABLE_KEYS = ['name', 'prompt', 'collect_from_multi_table', 'extract_model', 'fields'];

/** JSON from a JSON parameter: text to parse, or what an expression already made of it. */
export function parseJsonParameter(ctx: IExecuteFunctions, value: unknown, itemIndex: number, label: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		return fail(
			ctx,
			itemIndex,
			`${label} is not valid JSON`,
			`${(error as Error).message}. Check the brackets, quotes and commas.`,
		);
	}
}

function checkTransform(ctx: IExecuteFunctions, value: unknown, itemIndex: number, where: string): void {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		fail(
			ctx,
			itemIndex,
			`transform_settings of ${where} must be an object`,
			'See the Transform option for what it holds, or leave it out.',
		);
	}
	const type = (value as IDataObject).type;
	if (type !== undefined && !['datetime', 'enumerate', 'regex'].includes(String(type))) {
		fail(
			ctx,
			itemIndex,
			`transform_settings.type of ${where} is “${String(type)}”`,
			'Use datetime, enumerate or regex.',
		);
	}
}

/**
 * A list of field definitions given as JSON (a category's fields, a table's columns), in the
 * spec's CategoryFieldConfig: every entry an object with a name, only keys DocFlow knows, of
 * the right types, no name twice, at most `max` of them.
 */
export function readFieldConfigs(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
	{ max = CATEGORY_LIMITS.itemsPerRequest, required = true } = {},
): CategoryFieldConfig[] {
	const list = parseJsonParameter(ctx, value, itemIndex, label);
	if (list === undefined || list === null) {
		if (required)
			fail(ctx, itemIndex, `${label} is empty`, 'Give at least one field, e.g. [{"name": "Invoice Number"}].');
		return [];
	}
	if (!Array.isArray(list)) {
		fail(
			ctx,
			itemIndex,
			`${label} must be a list of fields, but it is ${describe(list)}`,
			'Write it as [{"name": "Invoice Number", "description": "…"}, …].',
		);
	}
	if (required && list.length === 0) {
		fail(
			ctx,
			itemIndex,
			`${label} is an empty list`,
			'DocFlow needs at least one field, e.g. [{"name": "Invoice Number"}].',
		);
	}
	if (list.length > max) {
		fail(
			ctx,
			itemIndex,
			`${label} has ${list.length} fields; the node sends at most ${max} in one request`,
			`Give at most ${max} here, and add the others afterwards with Category Field → Add (one item per field; the node sends them ${max} at a time).`,
		);
	}
	const seen = new Set<string>();
	return list.map((entry, index) => {
		const where = `field ${index + 1} of ${label}`;
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			fail(
				ctx,
				itemIndex,
				`${where} must be an object, but it is ${describe(entry)}`,
				'Write each field as {"name": "…"}.',
			);
		}
		const field = entry as IDataObject;
		for (const [key, keyValue] of Object.entries(field)) {
			const kind = FIELD_KEYS[key];
			if (!kind) {
				fail(
					ctx,
					itemIndex,
					`${where} has the key “${key}”, which DocFlow does not know`,
					`A field takes ${Object.keys(FIELD_KEYS).join(', ')}.`,
				);
			}
			const ok =
				kind === 'string'
					? typeof keyValue === 'string'
					: kind === 'boolean'
						? typeof keyValue === 'boolean'
						: kind === 'strings'
							? Array.isArray(keyValue) && keyValue.every((alias) => typeof alias === 'string')
							: true;
			if (!ok) {
				const expected = kind === 'strings' ? 'a list of texts' : kind === 'boolean' ? 'true or false' : 'text';
				fail(
					ctx,
					itemIndex,
					`${key} of ${where} must be ${expected}, but it is ${describe(keyValue)}`,
					`Correct ${key} in ${label}.`,
				);
			}
			if (kind === 'transform') checkTransform(ctx, keyValue, itemIndex, where);
		}
		const name = readName(ctx, field.name, itemIndex, `The name of ${where}`);
		if (seen.has(name)) {
			fail(
				ctx,
				itemIndex,
				`${label} names the field “${name}” twice`,
				'Each field of a category (or column of a table) needs its own name.',
			);
		}
		seen.add(name);
		return { ...(field as unknown as CategoryFieldConfig), name };
	});
}

/** A list of table definitions given as JSON, in the spec's CategoryTableConfig. */
export function readTableConfigs(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): CategoryTableConfig[] {
	const list = parseJsonParameter(ctx, value, itemIndex, label);
	if (list === undefined || list === null) return [];
	if (!Array.isArray(list)) {
		fail(
			ctx,
			itemIndex,
			`${label} must be a list of tables, but it is ${describe(list)}`,
			'Write it as [{"name": "Item Details", "fields": [{"name": "Amount"}]}].',
		);
	}
	if (list.length > CATEGORY_LIMITS.itemsPerRequest) {
		fail(
			ctx,
			itemIndex,
			`${label} has ${list.length} tables; the node sends at most ${CATEGORY_LIMITS.itemsPerRequest} in one request`,
			'Add the others afterwards with Category Table → Add.',
		);
	}
	const seen = new Set<string>();
	return list.map((entry, index) => {
		const where = `table ${index + 1} of ${label}`;
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			fail(
				ctx,
				itemIndex,
				`${where} must be an object, but it is ${describe(entry)}`,
				'Write each table as {"name": "…", "fields": […]}.',
			);
		}
		const table = entry as IDataObject;
		for (const key of Object.keys(table)) {
			if (!TABLE_KEYS.includes(key)) {
				fail(
					ctx,
					itemIndex,
					`${where} has the key “${key}”, which DocFlow does not know`,
					`A table takes ${TABLE_KEYS.join(', ')}.`,
				);
			}
		}
		const name = readName(ctx, table.name, itemIndex, `The name of ${where}`, CATEGORY_LIMITS.nameMaxLength);
		if (seen.has(name))
			fail(ctx, itemIndex, `${label} names the table “${name}” twice`, 'Each table of a category needs its own name.');
		seen.add(name);
		const config: CategoryTableConfig = { name };
		const prompt = readText(ctx, table.prompt, itemIndex, `prompt of ${where}`, CATEGORY_LIMITS.tablePromptMaxLength);
		if (prompt !== undefined) config.prompt = prompt;
		if (table.collect_from_multi_table !== undefined) {
			if (typeof table.collect_from_multi_table !== 'boolean') {
				fail(ctx, itemIndex, `collect_from_multi_table of ${where} must be true or false`, `Correct it in ${label}.`);
			}
			config.collect_from_multi_table = table.collect_from_multi_table;
		}
		if (table.extract_model !== undefined) {
			config.extract_model = readExtractModel(ctx, table.extract_model, itemIndex, `extract_model of ${where}`);
		}
		checkMergeWithModel(ctx, config, itemIndex, ` (${where})`);
		if (table.fields !== undefined) {
			config.fields = readFieldConfigs(ctx, table.fields, itemIndex, `the columns of ${where}`, { required: false });
		}
		return config;
	});
}
