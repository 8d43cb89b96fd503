import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fileItems } from '../../helpers/outputItems';
import { STATUS_SUCCESS } from '../../transport/api.types';
import type { DocflowFile } from '../../transport/api.types';
import { findFile, updateFileResult } from '../../transport/endpoints/file';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { simplifyToggle } from '../parameters/waitOptions';
import { runPerItem } from '../runPerItem';
import { assertFinished, assertNotParent, notFoundError } from './fileChecks';
import { fileLocator, tableNameField } from './resultParameters';
import { readChanges } from './resultChanges';
import type { Changes } from './resultChanges';
import { checkAgainst, mergedData } from './resultMerge';

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
					tableNameField('The table as the simplified output names it under “tables”'),
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

interface PreparedUpdate {
	workspaceId: string;
	fileId: string;
	changes: Changes;
	simplify: boolean;
	options: IDataObject;
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
	// Reads and checks against DocFlow for every item (check) before any item writes (run).
	return await runPerItem(this, {
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
		run: async ({ workspaceId, fileId, changes, simplify, options, file }, itemIndex) => {
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
