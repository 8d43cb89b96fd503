import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { simplifyFile } from '../../helpers/simplify';
import type { DocflowFile, KeyValue } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
import type { Changes, Row } from './resultChanges';

/**
 * A file's current result under the names the simplified output gives: the changes checked
 * against it, then merged into it as the whole body file/update replaces the result with.
 */

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
export function checkAgainst(ctx: IExecuteFunctions, file: DocflowFile, changes: Changes, itemIndex: number): void {
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
export function mergedData(file: DocflowFile, changes: Changes): { fields: KeyValue[]; items: KeyValue[][] } {
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
