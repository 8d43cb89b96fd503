import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { EXTRACT_MODELS } from '../../transport/api.types';
import type { ExtractFieldRequest, ExtractFieldsBody, ExtractModel } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
import { readText } from './textValue';

/** What one Extract Fields item asks for: the body of file/extract_fields, read from its parameters and checked. */

/** What a mis-mapped name or prompt should map instead. */
const FIELD_EXAMPLE = '{{ $json.field }}';

function readModel(ctx: IExecuteFunctions, value: unknown, where: string, itemIndex: number): ExtractModel | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if ((EXTRACT_MODELS as readonly string[]).includes(value as string)) return value as ExtractModel;
	throw itemError(ctx.getNode(), `The extraction model of ${where} is “${String(value)}”, which DocFlow does not have`, {
		itemIndex,
		description: `Choose one of ${EXTRACT_MODELS.join(', ')}, or leave it on Default (Acgpt).`,
	});
}

/** The fields and table columns of one item, as file/extract_fields takes them; checked. */
export function readBody(ctx: IExecuteFunctions, itemIndex: number, workspaceId: string, taskId: string): ExtractFieldsBody {
	const node = ctx.getNode();
	const fieldsUi = ctx.getNodeParameter('fields', itemIndex, {}) as { field?: IDataObject[] };
	const tablesUi = ctx.getNodeParameter('tables', itemIndex, {}) as { table?: IDataObject[] };

	// what: “A field”, “A table”, “A column of table “X””: the messages name the entry.
	const once = (seen: Set<string>, key: string, what: string) => {
		if (key === '') {
			throw itemError(node, `${what} has no name`, {
				itemIndex,
				description: 'Set its name (as the file’s result names it, or a new one), or remove the empty entry.',
			});
		}
		if (seen.has(key)) {
			const named = what.startsWith('A column of ') ? `Column “${key}” of ${what.slice('A column of '.length)}` : `The ${what.slice(2)} “${key}”`;
			throw itemError(node, `${named} is listed twice`, {
				itemIndex,
				description: 'List every field once.',
			});
		}
		seen.add(key);
	};
	const fieldOf = (entry: IDataObject, what: string, seen: Set<string>, withModel: boolean): ExtractFieldRequest => {
		const key = readText(ctx, entry.key, `${what} name`, itemIndex, FIELD_EXAMPLE);
		once(seen, key, what);
		const field: ExtractFieldRequest = { key };
		const prompt = readText(ctx, entry.prompt, `The prompt of “${key}”`, itemIndex, FIELD_EXAMPLE);
		if (prompt !== '') field.prompt = prompt;
		const model = withModel ? readModel(ctx, entry.extractModel, `field “${key}”`, itemIndex) : undefined;
		if (model) field.extract_model = model;
		return field;
	};

	const seenFields = new Set<string>();
	const fields = (fieldsUi.field ?? []).map((entry) => fieldOf(entry, 'A field', seenFields, true));
	const seenTables = new Set<string>();
	const tables = (tablesUi.table ?? []).map((entry) => {
		const name = readText(ctx, entry.name, 'A table name', itemIndex, FIELD_EXAMPLE);
		once(seenTables, name, 'A table');
		const columns = ((entry.columns as { column?: IDataObject[] } | undefined)?.column ?? []);
		if (columns.length === 0) {
			throw itemError(node, `Table “${name}” has no column to extract`, {
				itemIndex,
				description: 'Add the columns to extract under Columns, or remove the table.',
			});
		}
		const seenColumns = new Set<string>();
		const table: NonNullable<ExtractFieldsBody['tables']>[number] = {
			name,
			fields: columns.map((column) => fieldOf(column, `A column of table “${name}”`, seenColumns, false)),
		};
		const model = readModel(ctx, entry.extractModel, `table “${name}”`, itemIndex);
		if (model) table.extract_model = model;
		return table;
	});
	if (fields.length === 0 && tables.length === 0) {
		throw itemError(node, 'Nothing to extract: no field and no table column is given', {
			itemIndex,
			description: 'Add a field under Fields, or a table and its columns under Table Fields.',
		});
	}
	const body: ExtractFieldsBody = { workspace_id: workspaceId, task_id: taskId };
	if (fields.length > 0) body.fields = fields;
	if (tables.length > 0) body.tables = tables;
	return body;
}
