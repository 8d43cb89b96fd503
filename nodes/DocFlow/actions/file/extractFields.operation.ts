import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { fileItems } from '../../helpers/outputItems';
import { EXTRACT_MODELS, STATUS_FAILED, STATUS_SUCCESS } from '../../transport/api.types';
import type { DocflowFile, ExtractFieldRequest, ExtractFieldsBody, ExtractModel, KeyValue } from '../../transport/api.types';
import { extractFields, findFile } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { simplifyToggle } from '../parameters/waitOptions';
import { assertFinished, assertNotParent, notFoundError, runCheckedWrites, taskLocator } from './results';

export const option = {
	name: 'Extract Fields',
	description: 'Extract fields and table columns of a processed file again, or new ones, each with a prompt',
	action: 'Extract fields of a file',
};

const MODEL_DESCRIPTIONS: Record<ExtractModel, string> = {
	Acgpt: 'Fast, with stable results',
	'Acgpt-VL': 'Vision-language model, for simple documents of up to 10 pages',
	Auto: 'DocFlow picks the model',
	'DF-M1': 'For complex documents',
};

const MODEL_OPTIONS: INodePropertyOptions[] = [
	...EXTRACT_MODELS.map((model) => ({ name: model, value: model, description: MODEL_DESCRIPTIONS[model] })),
	{ name: 'Default (Acgpt)', value: '', description: 'DocFlow’s default: Acgpt' },
].sort((a, b) => a.name.localeCompare(b.name, 'en'));

const PROMPT_HINT =
	'Used only for a field the category’s configuration does not have (a new field). For a configured field DocFlow uses the configuration’s own prompt and ignores this one.';

export const description: INodeProperties[] = [
	workspaceLocator,
	taskLocator,
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description: 'Fields to extract: configured ones again, or new ones',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Name',
						name: 'key',
						type: 'string',
						default: '',
						placeholder: 'e.g. Invoice Date',
						description:
							'A field of the file’s category (extracted again by its configuration), or a new one (extracted with the prompt below)',
					},
					{
						displayName: 'Prompt',
						name: 'prompt',
						type: 'string',
						default: '',
						placeholder: 'e.g. Only keep the year',
						hint: PROMPT_HINT,
					},
					{
						displayName: 'Extraction Model',
						name: 'extractModel',
						type: 'options',
						options: MODEL_OPTIONS,
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'Table Fields',
		name: 'tables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Table',
		default: {},
		description: 'Columns of the file’s tables to extract: configured ones again, or new ones',
		options: [
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
						description: 'The table as the file’s result names it (the simplified output’s “tables”)',
					},
					{
						displayName: 'Extraction Model',
						name: 'extractModel',
						type: 'options',
						options: MODEL_OPTIONS,
						default: '',
						description: 'One model for every column of the table',
					},
					{
						displayName: 'Columns',
						name: 'columns',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Column',
						default: {},
						options: [
							{
								displayName: 'Column',
								name: 'column',
								values: [
									{
										displayName: 'Column Name',
										name: 'key',
										type: 'string',
										default: '',
										placeholder: 'e.g. Unit Price',
									},
									{
										displayName: 'Prompt',
										name: 'prompt',
										type: 'string',
										default: '',
										placeholder: 'e.g. Price per unit, without tax',
										hint: PROMPT_HINT,
									},
								],
							},
						],
					},
				],
			},
		],
	},
	...simplifyToggle({}),
	optionsCollection(),
];

interface PreparedExtract {
	workspaceId: string;
	taskId: string;
	body: ExtractFieldsBody;
	simplify: boolean;
	options: IDataObject;
}

function text(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string' || typeof value === 'number') return String(value).trim();
	throw itemError(ctx.getNode(), `${label} must be text, but it is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`, {
		itemIndex,
		description: 'Map a single value into it, e.g. {{ $json.field }}.',
	});
}

function readModel(ctx: IExecuteFunctions, value: unknown, where: string, itemIndex: number): ExtractModel | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if ((EXTRACT_MODELS as readonly string[]).includes(value as string)) return value as ExtractModel;
	throw itemError(ctx.getNode(), `The extraction model of ${where} is “${String(value)}”, which DocFlow does not have`, {
		itemIndex,
		description: `Choose one of ${EXTRACT_MODELS.join(', ')}, or leave it on Default (Acgpt).`,
	});
}

/** The fields and table columns of one item, as file/extract_fields takes them; checked. */
function readBody(ctx: IExecuteFunctions, itemIndex: number, workspaceId: string, taskId: string): ExtractFieldsBody {
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
		const key = text(ctx, entry.key, `${what} name`, itemIndex);
		once(seen, key, what);
		const field: ExtractFieldRequest = { key };
		const prompt = text(ctx, entry.prompt, `The prompt of “${key}”`, itemIndex);
		if (prompt !== '') field.prompt = prompt;
		const model = withModel ? readModel(ctx, entry.extractModel, `field “${key}”`, itemIndex) : undefined;
		if (model) field.extract_model = model;
		return field;
	};

	const seenFields = new Set<string>();
	const fields = (fieldsUi.field ?? []).map((entry) => fieldOf(entry, 'A field', seenFields, true));
	const seenTables = new Set<string>();
	const tables = (tablesUi.table ?? []).map((entry) => {
		const name = text(ctx, entry.name, 'A table name', itemIndex);
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

const keysOf = (cells: unknown): string[] =>
	Array.isArray(cells) ? cells.filter((c) => c && typeof c === 'object').map((c) => String((c as KeyValue).key)) : [];

/** The fields and table columns a result has, as "field" and "table › column". */
function namesIn(file: DocflowFile): Set<string> {
	const names = new Set(keysOf(file.data?.fields).map((key) => `field ${key}`));
	for (const table of Array.isArray(file.data?.tables) ? file.data.tables : []) {
		for (const row of Array.isArray(table?.items) ? table.items : []) {
			for (const key of keysOf(row)) names.add(`${table.tableName} › ${key}`);
		}
	}
	return names;
}

/** What the body asks for, in namesIn's terms. */
function askedNames(body: ExtractFieldsBody): string[] {
	return [
		...(body.fields ?? []).map((f) => `field ${f.key}`),
		...(body.tables ?? []).flatMap((t) => t.fields.map((f) => `${t.name} › ${f.key}`)),
	];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runCheckedWrites(this, {
		prepare: async (itemIndex): Promise<PreparedExtract> => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const taskId = readId(this, 'task', itemIndex, 'Task ID', { locator: true });
			return {
				workspaceId,
				taskId,
				body: readBody(this, itemIndex, workspaceId, taskId),
				simplify: this.getNodeParameter('simplify', itemIndex, false) as boolean,
				options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			};
		},
		known: ({ workspaceId, taskId }) => ({ workspace_id: workspaceId, task_id: taskId }),
		check: async (extract, itemIndex) => {
			const { workspaceId, taskId, body, options } = extract;
			const found = await findFile(this, workspaceId, { task_id: taskId }, { itemIndex, retry: retrySettingsFrom(options) });
			if (!found) throw notFoundError(this, { label: 'Task', id: taskId, workspaceId }, itemIndex);
			const what = { label: 'Task' as const, operation: 'Extract Fields' };
			assertNotParent(this, found, what, itemIndex);
			// 06-extract/extract_specific_fields.mdx: for tasks whose extraction finished (1 or 2).
			assertFinished(this, found.file, [STATUS_SUCCESS, STATUS_FAILED], what, itemIndex);
			const tables = (Array.isArray(found.file.data?.tables) ? found.file.data.tables : []).map((t) => String(t?.tableName));
			const unknown = (body.tables ?? []).map((t) => t.name).filter((name) => !tables.includes(name));
			if (tables.length > 0 && unknown.length > 0) {
				throw itemError(this.getNode(), `Task ${taskId} has no table ${unknown.map((n) => `“${n}”`).join(', ')}; its tables are ${tables.map((n) => `“${n}”`).join(', ')}`, {
					itemIndex,
					description: 'Use the table name exactly as the file’s result names it (the simplified output’s “tables”). New fields go under Fields.',
				});
			}
			return { ...extract, before: namesIn(found.file) };
		},
		write: async ({ workspaceId, taskId, body, simplify, options, before }, itemIndex) => {
			const retry = retrySettingsFrom(options);
			const answer = await extractFields(this, body, { itemIndex, retry }, async () => {
				// The answer got lost. Fields the file did not have before and has now prove the
				// extraction ran; fields it already had look the same either way.
				const now = await findFile(this, workspaceId, { task_id: taskId }, { itemIndex, retry });
				const added = askedNames(body).filter((name) => !before.has(name));
				if (now && added.length > 0 && added.every((name) => namesIn(now.file).has(name))) return 'received';
				throw itemError(this.getNode(), `The extraction of task ${taskId} may have run: DocFlow’s answer got lost`, {
					itemIndex,
					description: `DocFlow’s result cannot show whether it ran (the fields asked for ${added.length > 0 ? 'are not all there yet' : 'were there before too'}), so the node did not send it again: each extraction runs the models anew. Check task ${taskId} with Fetch Batch, and run Extract Fields again only if the values are not the new ones.`,
				});
			});
			const files = Array.isArray(answer?.files) ? answer.files.filter((f) => f && typeof f === 'object') : [];
			let file = files.find((f) => f.task_id === taskId) ?? files[0];
			if (!file) {
				// Not in the answer (or the answer got lost and the check found it): as file/fetch has it now.
				const now = await findFile(this, workspaceId, { task_id: taskId }, { itemIndex, retry });
				if (!now) throw notFoundError(this, { label: 'Task', id: taskId, workspaceId }, itemIndex);
				file = now.file;
			}
			return fileItems(this, file, itemIndex, { simplify, workspaceId, includeInputFile: false });
		},
	});
}
