import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryFieldConfig, CategoryTableConfig } from '../../transport/api.types';
import { readExtractModel } from './extractModel';
import { checkMergeWithModel } from './tableSettings';
import { failItem, kindOf, parseJsonParameter, readName, readText } from './valueReaders';

/**
 * Fields and tables given as JSON, in the spec's own shape (Category Create's Fields (JSON) and
 * Tables (JSON), Category Table Add's Columns (JSON)): checked key by key before anything is sent.
 */

/** The keys of the spec's CategoryFieldConfig, each with the kind of value it takes. */
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

/** The keys of the spec's CategoryTableConfig. */
const TABLE_KEYS = ['name', 'prompt', 'collect_from_multi_table', 'extract_model', 'fields'];

/** transform_settings in JSON: an object, of a type DocFlow knows. */
function checkTransform(ctx: IExecuteFunctions, value: unknown, itemIndex: number, where: string): void {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		failItem(
			ctx,
			itemIndex,
			`transform_settings of ${where} must be an object`,
			'See the Transform option for what it holds, or leave it out.',
		);
	}
	const type = (value as IDataObject).type;
	if (type !== undefined && !['datetime', 'enumerate', 'regex'].includes(String(type))) {
		failItem(
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
			failItem(ctx, itemIndex, `${label} is empty`, 'Give at least one field, e.g. [{"name": "Invoice Number"}].');
		return [];
	}
	if (!Array.isArray(list)) {
		failItem(
			ctx,
			itemIndex,
			`${label} must be a list of fields, but it is ${kindOf(list)}`,
			'Write it as [{"name": "Invoice Number", "description": "…"}, …].',
		);
	}
	if (required && list.length === 0) {
		failItem(
			ctx,
			itemIndex,
			`${label} is an empty list`,
			'DocFlow needs at least one field, e.g. [{"name": "Invoice Number"}].',
		);
	}
	if (list.length > max) {
		failItem(
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
			failItem(
				ctx,
				itemIndex,
				`${where} must be an object, but it is ${kindOf(entry)}`,
				'Write each field as {"name": "…"}.',
			);
		}
		const field = entry as IDataObject;
		for (const [key, keyValue] of Object.entries(field)) {
			const kind = FIELD_KEYS[key];
			if (!kind) {
				failItem(
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
				failItem(
					ctx,
					itemIndex,
					`${key} of ${where} must be ${expected}, but it is ${kindOf(keyValue)}`,
					`Correct ${key} in ${label}.`,
				);
			}
			if (kind === 'transform') checkTransform(ctx, keyValue, itemIndex, where);
		}
		const name = readName(ctx, field.name, itemIndex, `The name of ${where}`);
		if (seen.has(name)) {
			failItem(
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
		failItem(
			ctx,
			itemIndex,
			`${label} must be a list of tables, but it is ${kindOf(list)}`,
			'Write it as [{"name": "Item Details", "fields": [{"name": "Amount"}]}].',
		);
	}
	if (list.length > CATEGORY_LIMITS.itemsPerRequest) {
		failItem(
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
			failItem(
				ctx,
				itemIndex,
				`${where} must be an object, but it is ${kindOf(entry)}`,
				'Write each table as {"name": "…", "fields": […]}.',
			);
		}
		const table = entry as IDataObject;
		for (const key of Object.keys(table)) {
			if (!TABLE_KEYS.includes(key)) {
				failItem(
					ctx,
					itemIndex,
					`${where} has the key “${key}”, which DocFlow does not know`,
					`A table takes ${TABLE_KEYS.join(', ')}.`,
				);
			}
		}
		const name = readName(ctx, table.name, itemIndex, `The name of ${where}`, CATEGORY_LIMITS.nameMaxLength);
		if (seen.has(name))
			failItem(ctx, itemIndex, `${label} names the table “${name}” twice`, 'Each table of a category needs its own name.');
		seen.add(name);
		const config: CategoryTableConfig = { name };
		const prompt = readText(ctx, table.prompt, itemIndex, `prompt of ${where}`, CATEGORY_LIMITS.tablePromptMaxLength);
		if (prompt !== undefined) config.prompt = prompt;
		if (table.collect_from_multi_table !== undefined) {
			if (typeof table.collect_from_multi_table !== 'boolean') {
				failItem(ctx, itemIndex, `collect_from_multi_table of ${where} must be true or false`, `Correct it in ${label}.`);
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
