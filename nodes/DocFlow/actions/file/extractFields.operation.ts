import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { fileItems } from '../../helpers/outputItems';
import { EXTRACT_MODELS, STATUS_FAILED, STATUS_SUCCESS } from '../../transport/api.types';
import type { DocflowFile, ExtractFieldsBody, ExtractModel, KeyValue } from '../../transport/api.types';
import { extractFields, findFile } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { simplifyToggle } from '../parameters/waitOptions';
import { runPerItem } from '../runPerItem';
import { readBody } from './extractFieldsBody';
import { assertFinished, assertNotParent, notFoundError } from './fileChecks';
import { tableNameField, taskLocator } from './resultParameters';

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
					tableNameField('The table as the file’s result names it (the simplified output’s “tables”)'),
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
	// Reads and checks against DocFlow for every item (check) before any item writes (run).
	return await runPerItem(this, {
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
		run: async ({ workspaceId, taskId, body, simplify, options, before }, itemIndex) => {
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
