import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { fileItems } from '../../helpers/outputItems';
import { simplifyFile } from '../../helpers/simplify';
import { STATUS_SUCCESS } from '../../transport/api.types';
import type { DocflowFile, KeyValue } from '../../transport/api.types';
import { findFile, updateFileResult } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { simplifyToggle } from '../parameters/waitOptions';
import { assertFinished, assertNotParent, fileLocator, notFoundError, runCheckedWrites } from './results';

export const option = {
	name: 'Update Result',
	description: 'Write corrected field values and table rows back to a file',
	action: 'Update a file’s result',
};

const FULL_UPDATE_HINT =
	'DocFlow replaces a file’s whole result on every update. The node reads the current result first and sends it back with your changes, so the fields and tables you do not list keep their values.';

export const description: INodeProperties[] = [
	workspaceLocator,
	fileLocator,
	{
		displayName: 'Define Changes',
		name: 'changesMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Using Fields Below',
				value: 'fields',
				description: 'Field name → new value, table name → its rows',
			},
			{
				name: 'Using JSON',
				value: 'json',
				description: 'An object shaped like the simplified output: { "fields": { … }, "tables": { … } }',
			},
		],
		default: 'fields',
		hint: FULL_UPDATE_HINT,
	},
	{
		displayName: 'Fields to Update',
		name: 'changes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field or Table',
		default: {},
		displayOptions: { show: { changesMode: ['fields'] } },
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. Invoice Number',
						description:
							'The field as the simplified output names it under “fields” (a second field of the same name is “Amount (2)”)',
					},
					{
						displayName: 'New Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'The corrected value. An empty value empties the field.',
					},
				],
			},
			{
				displayName: 'Table',
				name: 'table',
				values: [
					{
						displayName: 'Table Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. Goods Details',
						description: 'The table as the simplified output names it under “tables”',
					},
					{
						displayName: 'Rows (JSON)',
						name: 'rows',
						type: 'json',
						default: '[]',
						description:
							'Every row of the table, each as column name → value, as the simplified output lists them. Rows left out are deleted; a column left out of a row keeps its value.',
					},
				],
			},
		],
	},
	{
		displayName: 'Result JSON',
		name: 'resultJson',
		type: 'json',
		default: '{\n  "fields": {},\n  "tables": {}\n}',
		displayOptions: { show: { changesMode: ['json'] } },
		description:
			'The changes as the simplified output holds them: "fields" as name → value, "tables" as table name → rows. A whole simplified DocFlow item works too (its other keys are ignored).',
		hint: 'E.g. {{ $json }} after an edit of a simplified Fetch Batch item, or {{ { fields: $json.corrections } }}',
	},
	...simplifyToggle({}),
	optionsCollection(),
];

type Row = Record<string, string>;

/** What the user asked to change: field name → value, table name → rows (simplified names). */
interface Changes {
	fields: Map<string, string>;
	tables: Map<string, Row[]>;
}

interface PreparedUpdate {
	workspaceId: string;
	fileId: string;
	changes: Changes;
	simplify: boolean;
	options: IDataObject;
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
function readChanges(ctx: IExecuteFunctions, itemIndex: number): Changes {
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

// ---------- the file's current result, under the names the simplified output gives ----------

const objects = <T>(value: unknown): T[] =>
	Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as T[]) : [];

/**
 * The simplified output's names for a file's fields, in the order of its field objects: the
 * names users write, duplicates included (“Amount (2)”). Read off simplifyFile itself, so they
 * are always the names the user saw.
 */
function fieldNames(rawFields: unknown): string[] {
	return Object.keys(simplifyFile({ data: { fields: rawFields } } as unknown as DocflowFile).fields as IDataObject);
}

/** The simplified output's column names for one table row, in the order of its cell objects. */
function columnNames(rawRow: unknown): string[] {
	const simplified = simplifyFile({ data: { tables: [{ tableName: 't', items: [rawRow] }] } } as unknown as DocflowFile)
		.tables as Record<string, Row[]>;
	return Object.keys(simplified.t?.[0] ?? {});
}

interface CurrentTable {
	name: string;
	/** The rows as file/update takes them (the main table: `data.items`). */
	rows: unknown[];
	/** The rows as the simplified output shows them, to compare with what the user gave. */
	simplified: Row[];
	main: boolean;
}

/**
 * The tables of a result under their simplified names. file/update writes `data.items`, the
 * main table (the first system table, tableType 0, which `items` mirrors); the other tables
 * of `data.tables` can be read but not written through the API.
 */
function currentTables(file: DocflowFile): CurrentTable[] {
	const data = (file.data ?? {}) as IDataObject;
	const simplified = simplifyFile(file).tables as Record<string, Row[]>;
	const names = Object.keys(simplified);
	const tables = objects<IDataObject>(data.tables);
	const items = Array.isArray(data.items) ? (data.items as unknown[]) : [];
	if (tables.length === 0) {
		return items.length > 0 ? [{ name: names[0], rows: items, simplified: simplified[names[0]] ?? [], main: true }] : [];
	}
	const mainIndex = Math.max(0, tables.findIndex((table) => String(table.tableType) === '0'));
	return tables.map((table, index) => ({
		name: names[index],
		rows: index === mainIndex && items.length > 0 ? items : Array.isArray(table.items) ? (table.items as unknown[]) : [],
		simplified: simplified[names[index]] ?? [],
		main: index === mainIndex,
	}));
}

/** Whether the user's rows are the table's rows as they are (same cells, whatever their order). */
function sameRows(a: Row[], b: Row[]): boolean {
	const sorted = (row: Row) => JSON.stringify(Object.entries(row).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
	return a.length === b.length && a.every((row, i) => sorted(row) === sorted(b[i]));
}

const list = (names: string[]) => (names.length > 0 ? names.map((n) => `“${n}”`).join(', ') : 'none');

/** Refuses names the file does not have and tables DocFlow's update cannot write, before anything is written. */
function checkAgainst(ctx: IExecuteFunctions, file: DocflowFile, changes: Changes, itemIndex: number): void {
	const node = ctx.getNode();
	const names = fieldNames(file.data?.fields);
	const unknown = [...changes.fields.keys()].filter((name) => !names.includes(name));
	if (unknown.length > 0) {
		throw itemError(node, `File ${file.id} has no field ${list(unknown)}; its fields are ${list(names)}`, {
			itemIndex,
			description:
				'Use the field names exactly as the simplified output shows them under “fields” (case and spaces count). The node does not add fields: the category’s configuration decides which fields a file has.',
		});
	}
	const tables = currentTables(file);
	for (const [name, rows] of changes.tables) {
		const table = tables.find((t) => t.name === name);
		if (!table) {
			throw itemError(node, `File ${file.id} has no table “${name}”; its tables are ${list(tables.map((t) => t.name))}`, {
				itemIndex,
				description: 'Use the table names exactly as the simplified output shows them under “tables”.',
			});
		}
		if (!table.main) {
			if (sameRows(rows, table.simplified)) continue;
			const main = tables.find((t) => t.main);
			throw itemError(
				node,
				`DocFlow’s update cannot change table “${name}”: it writes the fields and the main table${main ? ` (“${main.name}”)` : ''} only`,
				{
					itemIndex,
					description: `The API’s file/update takes one table (data.items, the file’s first system table). Leave “${name}” out or pass its rows unchanged, and correct it in DocFlow itself.`,
				},
			);
		}
		const columns = new Set(table.rows.flatMap((row) => columnNames(row)));
		const extra = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((column) => !columns.has(column));
		if (columns.size > 0 && extra.length > 0) {
			throw itemError(node, `Table “${name}” of file ${file.id} has no column ${list(extra)}; its columns are ${list([...columns])}`, {
				itemIndex,
				description: 'Use the column names exactly as the simplified output shows them in the table’s rows.',
			});
		}
	}
}

/** A cell as the spec's KeyValue: key, value, position (nothing else is sent). */
function keyValue(cell: KeyValue, value: string | undefined, keepPosition: boolean): KeyValue {
	return { key: cell.key, value: value ?? cell.value ?? '', position: keepPosition ? (cell.position ?? []) : [] };
}

/**
 * The main table's rows with the user's rows in place: row r keeps its cells (and their
 * positions) with the given values; a column a row does not give keeps its value; a row
 * beyond the current ones gets the cells it gives; rows not given are deleted.
 */
function mergedRows(current: unknown[], rows: Row[]): KeyValue[][] {
	const keyOf = new Map<string, string>();
	for (const row of current) {
		const cells = objects<KeyValue>(row);
		columnNames(row).forEach((name, i) => keyOf.set(name, cells[i]?.key ?? name));
	}
	return rows.map((row, r) => {
		const cells = objects<KeyValue>(current[r]);
		const names = columnNames(current[r]);
		const given = new Set(Object.keys(row));
		const merged = cells.map((cell, i) => {
			given.delete(names[i]);
			return keyValue(cell, row[names[i]], true);
		});
		for (const name of given) merged.push({ key: keyOf.get(name) ?? name, value: row[name], position: [] });
		return merged;
	});
}

/**
 * The body of file/update: the file's whole current result (fields and the main table, as the
 * spec's KeyValue) with the user's changes in it. DocFlow deletes what the body leaves out,
 * so everything the user did not change is sent as it is.
 */
function mergedData(file: DocflowFile, changes: Changes): { fields: KeyValue[]; items: KeyValue[][] } {
	const names = fieldNames(file.data?.fields);
	const fields = objects<KeyValue>(file.data?.fields).map((field, i) => keyValue(field, changes.fields.get(names[i]), true));
	const main = currentTables(file).find((table) => table.main);
	const current = main?.rows ?? [];
	const replaced = main ? changes.tables.get(main.name) : undefined;
	const items = replaced
		? mergedRows(current, replaced)
		: current.map((row) => objects<KeyValue>(row).map((cell) => keyValue(cell, undefined, true)));
	return { fields, items };
}

/**
 * file/update takes a list of files, but each item gets a request of its own: DocFlow answers a
 * list with one code, so one file's refusal would fail every item of the request (and with
 * Continue On Fail, items that were fine); per item, a refusal stays with its item, the Batching
 * option applies, and a lost answer resends one file's result only.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// Items of one run that change the same file are written one after the other, each on top
	// of the result the one before left (file/update replaces the whole result).
	const latest = new Map<string, DocflowFile>();
	const queue = new Map<string, Promise<unknown>>();
	return await runCheckedWrites(this, {
		prepare: async (itemIndex): Promise<PreparedUpdate> => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			fileId: readId(this, 'file', itemIndex, 'File ID', { locator: true }),
			changes: readChanges(this, itemIndex),
			simplify: this.getNodeParameter('simplify', itemIndex, false) as boolean,
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, fileId }) => ({ workspace_id: workspaceId, file_id: fileId }),
		// The file's fields are known only from DocFlow: read here, checked before any item writes.
		check: async (update, itemIndex) => {
			const { workspaceId, fileId, options } = update;
			const found = await findFile(this, workspaceId, { file_id: fileId }, { itemIndex, retry: retrySettingsFrom(options) });
			if (!found) throw notFoundError(this, { label: 'File', id: fileId, workspaceId }, itemIndex);
			const what = { label: 'File' as const, operation: 'Update Result' };
			assertNotParent(this, found, what, itemIndex);
			assertFinished(this, found.file, [STATUS_SUCCESS], what, itemIndex);
			checkAgainst(this, found.file, update.changes, itemIndex);
			return { ...update, file: found.file };
		},
		write: async ({ workspaceId, fileId, changes, simplify, options, file }, itemIndex) => {
			const key = `${workspaceId}\u0000${fileId}`;
			const turn = (queue.get(key) ?? Promise.resolve()).catch(() => undefined).then(async () => {
				const retry = retrySettingsFrom(options);
				const data = mergedData(latest.get(key) ?? file, changes);
				await updateFileResult(this, { workspace_id: workspaceId, file_id: fileId, data }, { itemIndex, retry });
				// DocFlow answers with the file's ID only: the result as it is now comes from file/fetch.
				const after = await findFile(this, workspaceId, { file_id: fileId }, { itemIndex, retry });
				if (!after) throw notFoundError(this, { label: 'File', id: fileId, workspaceId }, itemIndex);
				latest.set(key, after.file);
				return after.file;
			});
			queue.set(key, turn);
			const after = await turn;
			return fileItems(this, after, itemIndex, { simplify, workspaceId, includeInputFile: false });
		},
	});
}
