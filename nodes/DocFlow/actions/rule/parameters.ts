import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { RISK_LEVELS } from '../../transport/api.types';
import type { RuleProperties } from '../../transport/endpoints/reviewRules';
import { itemError } from '../../transport/errors';

/** A rule's parameters (ReviewRuleProperties), shared by Rule → Create and Rule → Update. */

export const promptField: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	placeholder: 'e.g. The total amount must be greater than 0 and below 1,000,000; otherwise reject the invoice.',
	description:
		'What the review checks, in plain words: DocFlow’s model reads the documents (and the referenced fields) and judges each one against it',
};

const categoriesField: INodeProperties = {
	displayName: 'Category Names or IDs',
	name: 'categoryIds',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getReviewCategories', loadOptionsDependsOn: ['workspace.value'] },
	default: [],
	description:
		'The file categories the rule applies to: it reviews a document set only when all of them are among its categories (none: every document). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const riskLevelField: INodeProperties = {
	displayName: 'Risk Level',
	name: 'riskLevel',
	type: 'options',
	options: Object.entries(RISK_LEVELS)
		.map(([value, { name }]) => ({ name, value: Number(value) }))
		.sort((a, b) => a.name.localeCompare(b.name, 'en')),
	default: 10,
	description: 'How serious a violation of this rule is',
};

const referencedFieldsField: INodeProperties = {
	displayName: 'Referenced Fields (JSON)',
	name: 'referencedFields',
	type: 'json',
	default: '[]',
	description:
		'Extracted fields the rule reads, per category, as DocFlow takes them: [{"category_id": "…", "category_name": "Invoice", "fields": [{"field_id": "…", "field_name": "Total Amount"}], "tables": [{"table_id": "…", "fields": [{"field_id": "…"}]}]}]. The IDs come from the category’s field list (Category Field → Get Many). Empty: the rule reads the documents only.',
};

/** The optional properties, as Create's Additional Fields and (with name and prompt) Update's fields. */
export const optionalRuleFields: INodeProperties[] = [categoriesField, referencedFieldsField, riskLevelField];

/** Update's Update Fields: every property, and the group to move the rule to. */
export const updateRuleFields: INodeProperties[] = [
	categoriesField,
	{ ...promptField, placeholder: '', description: 'The rule’s new prompt' },
	{
		displayName: 'Move to Rule Group Name or ID',
		name: 'groupId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getRuleGroups', loadOptionsDependsOn: ['ruleRepository.value'] },
		default: '',
		description:
			'Another group of the same repository to move the rule to. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		description: 'The rule’s new name',
	},
	referencedFieldsField,
	riskLevelField,
];

function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string): never {
	throw itemError(ctx.getNode(), message, { itemIndex, description });
}

const REFERENCED_FIELDS_HELP =
	'Give a list of categories with the fields the rule reads, e.g. [{"category_id": "1900000000000000001", "fields": [{"field_id": "1900000000000000101", "field_name": "Total Amount"}]}], or leave it as [] for none.';

/** An ID inside the referenced fields: text (a JSON number above 2^53 has lost digits already). */
function idIn(ctx: IExecuteFunctions, itemIndex: number, value: unknown, path: string, required: boolean): string | undefined {
	if (value === undefined || value === null || value === '') {
		if (required) fail(ctx, itemIndex, `Referenced Fields: ${path} is missing`, REFERENCED_FIELDS_HELP);
		return undefined;
	}
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	if (typeof value === 'number') {
		fail(ctx, itemIndex, `Referenced Fields: ${path} ${value} is a number too large to be exact`, 'Write the ID as text, in quotes: a number above 2^53 has already lost its last digits.');
	}
	if (typeof value !== 'string') fail(ctx, itemIndex, `Referenced Fields: ${path} must be text`, REFERENCED_FIELDS_HELP);
	return value.trim();
}

function fieldsIn(ctx: IExecuteFunctions, itemIndex: number, value: unknown, path: string): IDataObject[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value)) fail(ctx, itemIndex, `Referenced Fields: ${path} must be a list`, REFERENCED_FIELDS_HELP);
	return value.map((field: unknown, index) => {
		if (!field || typeof field !== 'object' || Array.isArray(field))
			fail(ctx, itemIndex, `Referenced Fields: ${path}[${index}] must be an object`, REFERENCED_FIELDS_HELP);
		const f = field as IDataObject;
		const out: IDataObject = { field_id: idIn(ctx, itemIndex, f.field_id, `${path}[${index}].field_id`, true) };
		if (f.field_name !== undefined) out.field_name = String(f.field_name);
		return out;
	});
}

/** Referenced Fields, checked against the spec's ReviewRuleReferencedField before anything is sent. */
export function readReferencedFields(ctx: IExecuteFunctions, raw: unknown, itemIndex: number): IDataObject[] | undefined {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			fail(ctx, itemIndex, `Referenced Fields is not valid JSON: ${(error as Error).message}`, REFERENCED_FIELDS_HELP);
		}
	}
	if (!Array.isArray(value)) fail(ctx, itemIndex, 'Referenced Fields must be a list of categories ([…])', REFERENCED_FIELDS_HELP);
	return value.map((entry: unknown, index) => {
		const path = `[${index}]`;
		if (!entry || typeof entry !== 'object' || Array.isArray(entry))
			fail(ctx, itemIndex, `Referenced Fields: ${path} must be an object with a category_id`, REFERENCED_FIELDS_HELP);
		const e = entry as IDataObject;
		const out: IDataObject = { category_id: idIn(ctx, itemIndex, e.category_id, `${path}.category_id`, true) };
		if (e.category_name !== undefined) out.category_name = String(e.category_name);
		const fields = fieldsIn(ctx, itemIndex, e.fields, `${path}.fields`);
		if (fields) out.fields = fields;
		if (e.tables !== undefined && e.tables !== null) {
			if (!Array.isArray(e.tables)) fail(ctx, itemIndex, `Referenced Fields: ${path}.tables must be a list`, REFERENCED_FIELDS_HELP);
			out.tables = e.tables.map((table: unknown, t) => {
				if (!table || typeof table !== 'object' || Array.isArray(table))
					fail(ctx, itemIndex, `Referenced Fields: ${path}.tables[${t}] must be an object`, REFERENCED_FIELDS_HELP);
				const tb = table as IDataObject;
				const tableOut: IDataObject = { table_id: idIn(ctx, itemIndex, tb.table_id, `${path}.tables[${t}].table_id`, true) };
				if (tb.table_name !== undefined) tableOut.table_name = String(tb.table_name);
				const tableFields = fieldsIn(ctx, itemIndex, tb.fields, `${path}.tables[${t}].fields`);
				if (tableFields) tableOut.fields = tableFields;
				return tableOut;
			});
		}
		return out;
	});
}

/** Category IDs from the multi-select, or from an expression (a list, or text separated by commas). */
export function readCategoryIds(ctx: IExecuteFunctions, raw: unknown, itemIndex: number): string[] {
	const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[,\n]/) : raw === undefined || raw === null ? [] : [raw];
	return values
		.map((value) => {
			if (typeof value === 'number' && !Number.isSafeInteger(value)) {
				fail(ctx, itemIndex, `Category ID ${value} is a number too large to be exact`, 'Pass category IDs as text: a number above 2^53 has already lost its last digits.');
			}
			if (typeof value !== 'string' && typeof value !== 'number') {
				fail(ctx, itemIndex, 'Category Names or IDs must be category IDs', 'Choose the categories from the list, or map a list of category IDs (Category → Get Many outputs them).');
			}
			return String(value).trim();
		})
		.filter((value) => value !== '');
}

/** The text of a required text parameter, or an error naming it. */
export function readText(ctx: IExecuteFunctions, value: unknown, itemIndex: number, label: string): string {
	const text = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
	if (text === '') {
		fail(ctx, itemIndex, `${label} is empty`, `Set ${label}, or map it from an earlier node. If it is mapped, the field it points to is empty for this item.`);
	}
	return text;
}

/** The optional properties the user set, in the API's names. */
export function optionalRuleProperties(ctx: IExecuteFunctions, fields: IDataObject, itemIndex: number): RuleProperties {
	const properties: RuleProperties = {};
	if (fields.categoryIds !== undefined) properties.category_ids = readCategoryIds(ctx, fields.categoryIds, itemIndex);
	if (fields.riskLevel !== undefined) {
		const risk = Number(fields.riskLevel);
		if (!Object.hasOwn(RISK_LEVELS, risk)) {
			fail(ctx, itemIndex, `Risk Level ${String(fields.riskLevel)} is not one DocFlow knows`, 'Use 10 (high), 20 (medium) or 30 (low).');
		}
		properties.risk_level = risk;
	}
	const referenced = readReferencedFields(ctx, fields.referencedFields, itemIndex);
	if (referenced !== undefined) properties.referenced_fields = referenced;
	return properties;
}
