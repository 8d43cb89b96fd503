import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { itemError } from '../../transport/errors';

/**
 * What one Update Result item asks to change, read from either input form (Fields to Update, or
 * Result JSON) into one shape, under the names the simplified output gives.
 */

export type Row = Record<string, string>;

/** What the user asked to change: field name → value, table name → rows (simplified names). */
export interface Changes {
	fields: Map<string, string>;
	tables: Map<string, Row[]>;
}

function describeValue(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A value DocFlow stores as text: strings as they are, numbers and booleans written out. */
function cellText(ctx: IExecuteFunctions, value: unknown, where: string, itemIndex: number): string {
	if (typeof value === 'string') return value;
	if (value === null || value === undefined) return '';
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw itemError(ctx.getNode(), `${where} must be text, but it is ${describeValue(value)}`, {
		itemIndex,
		description: 'DocFlow keeps every field and cell as text. Map a single value, e.g. {{ $json.amount }}.',
	});
}

function parseJson(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw itemError(ctx.getNode(), `${label} ${label.startsWith('The rows') ? 'are' : 'is'} not valid JSON: ${(error as Error).message}`, {
			itemIndex,
			description: `Check the brackets and quotes in ${label}, or build it with an expression, e.g. {{ $json.tables["Goods Details"] }}.`,
		});
	}
}

function readRows(ctx: IExecuteFunctions, raw: unknown, table: string, itemIndex: number): Row[] {
	const rows = parseJson(ctx, raw, `The rows of table “${table}”`, itemIndex);
	if (!Array.isArray(rows)) {
		throw itemError(ctx.getNode(), `The rows of table “${table}” must be a list, but they are ${describeValue(rows)}`, {
			itemIndex,
			description: `Give every row as column name → value, e.g. [{ "Quantity": "2", "Amount": "10.00" }], or map the simplified output’s tables["${table}"].`,
		});
	}
	return rows.map((row, r) => {
		if (!row || typeof row !== 'object' || Array.isArray(row)) {
			throw itemError(ctx.getNode(), `Row ${r + 1} of table “${table}” must be an object, but it is ${describeValue(row)}`, {
				itemIndex,
				description: 'Give every row as column name → value, e.g. { "Quantity": "2", "Amount": "10.00" }.',
			});
		}
		return Object.fromEntries(
			Object.entries(row as IDataObject).map(([column, value]) => [
				column,
				cellText(ctx, value, `Column “${column}” of row ${r + 1} of table “${table}”`, itemIndex),
			]),
		);
	});
}

function addOnce<T>(ctx: IExecuteFunctions, map: Map<string, T>, name: string, value: T, kind: string, itemIndex: number): void {
	const key = name.trim();
	if (key === '') {
		throw itemError(ctx.getNode(), `A ${kind} in Fields to Update has no name`, {
			itemIndex,
			description: `Set the ${kind} name as the simplified output shows it, or remove the empty entry.`,
		});
	}
	if (map.has(key)) {
		throw itemError(ctx.getNode(), `The ${kind} “${key}” is listed twice`, {
			itemIndex,
			description: `List every ${kind} once, with its final value.`,
		});
	}
	map.set(key, value);
}

/** The changes of one item, from the fields below or from JSON; nothing to change is an error. */
export function readChanges(ctx: IExecuteFunctions, itemIndex: number): Changes {
	const changes: Changes = { fields: new Map(), tables: new Map() };
	const mode = ctx.getNodeParameter('changesMode', itemIndex, 'fields') as string;
	if (mode === 'json') {
		const json = parseJson(ctx, ctx.getNodeParameter('resultJson', itemIndex, '{}'), 'Result JSON', itemIndex);
		const shape =
			'Give an object like the simplified output: { "fields": { "Invoice Number": "…" }, "tables": { "Goods Details": [ … ] } }.';
		if (!json || typeof json !== 'object' || Array.isArray(json)) {
			throw itemError(ctx.getNode(), `Result JSON must be an object, but it is ${describeValue(json)}`, { itemIndex, description: shape });
		}
		const { fields, tables } = json as IDataObject;
		if (fields === undefined && tables === undefined) {
			throw itemError(ctx.getNode(), 'Result JSON has neither “fields” nor “tables”', {
				itemIndex,
				description: `${shape} To send the answers of a form whose fields are named like DocFlow’s, wrap them: {{ { fields: $json } }}.`,
			});
		}
		for (const [part, value] of [
			['fields', fields],
			['tables', tables],
		] as const) {
			if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
				throw itemError(ctx.getNode(), `“${part}” in Result JSON must be an object (name → ${part === 'fields' ? 'value' : 'rows'}), but it is ${describeValue(value)}`, {
					itemIndex,
					description: shape,
				});
			}
		}
		for (const [name, value] of Object.entries((fields as IDataObject | undefined) ?? {})) {
			addOnce(ctx, changes.fields, name, cellText(ctx, value, `Field “${name}”`, itemIndex), 'field', itemIndex);
		}
		for (const [name, rows] of Object.entries((tables as IDataObject | undefined) ?? {})) {
			addOnce(ctx, changes.tables, name, readRows(ctx, rows, name, itemIndex), 'table', itemIndex);
		}
	} else {
		const ui = ctx.getNodeParameter('changes', itemIndex, {}) as {
			field?: Array<{ name?: unknown; value?: unknown }>;
			table?: Array<{ name?: unknown; rows?: unknown }>;
		};
		for (const { name, value } of ui.field ?? []) {
			const label = cellText(ctx, name, 'A field name', itemIndex);
			addOnce(ctx, changes.fields, label, cellText(ctx, value, `Field “${label}”`, itemIndex), 'field', itemIndex);
		}
		for (const { name, rows } of ui.table ?? []) {
			const label = cellText(ctx, name, 'A table name', itemIndex);
			addOnce(ctx, changes.tables, label, readRows(ctx, rows ?? [], label, itemIndex), 'table', itemIndex);
		}
	}
	if (changes.fields.size === 0 && changes.tables.size === 0) {
		throw itemError(ctx.getNode(), 'Nothing to update: no field or table is given', {
			itemIndex,
			description:
				mode === 'json'
					? 'Result JSON’s “fields” and “tables” are empty. Give the values to write, e.g. { "fields": { "Invoice Number": "…" } }.'
					: 'Add a field (its name and new value) or a table (its name and rows) under Fields to Update.',
		});
	}
	return changes;
}
