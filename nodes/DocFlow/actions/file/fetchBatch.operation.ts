import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fileItems } from '../../helpers/outputItems';
import { RECOGNITION_STATUSES, VERIFICATION_STATUS } from '../../transport/api.types';
import { fetchFiles } from '../../transport/endpoints/file';
import { categoryPicker } from '../parameters/category';
import { toRfc3339 } from '../parameters/dates';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { limitFrom, returnAllOrLimit } from '../parameters/returnAll';
import { simplifyToggle } from '../parameters/waitOptions';
import { runPerItem } from '../runPerItem';

/** The ways to look files up by one ID, each the file/fetch query parameter it fills. */
const LOOK_UP: Record<string, { parameter: string; label: string; query: string; description?: string }> = {
	batchNumber: {
		parameter: 'batchNumber',
		label: 'Batch Number',
		query: 'batch_number',
		description: 'The batch_number an Upload returned',
	},
	fileId: { parameter: 'fileId', label: 'File ID', query: 'file_id' },
	taskId: { parameter: 'taskId', label: 'Task ID', query: 'task_id' },
};

/** The ID for one way of looking up, shown when Look Up By is that way. */
function lookUpParameter(lookUpBy: string, { parameter, label, query, description }: (typeof LOOK_UP)[string]): INodeProperties {
	return {
		displayName: label,
		name: parameter,
		type: 'string',
		default: '',
		required: true,
		placeholder: `e.g. {{ $json.${query} }}`,
		...(description ? { description } : {}),
		displayOptions: { show: { lookUpBy: [lookUpBy] } },
	};
}

export const option = {
	name: 'Fetch Batch',
	description: 'Get the processing results of a batch, a file or a task',
	action: 'Fetch batch results',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	{
		displayName: 'Look Up By',
		name: 'lookUpBy',
		type: 'options',
		options: [
			{ name: 'Batch Number', value: 'batchNumber', description: 'All files of one upload batch' },
			{ name: 'File ID', value: 'fileId', description: 'One file' },
			{ name: 'Task ID', value: 'taskId', description: 'One processing task' },
			{
				name: 'Filters Only',
				value: 'filters',
				description: 'Every file of the workspace that matches the filters below',
			},
		],
		default: 'batchNumber',
	},
	...Object.entries(LOOK_UP).map(([lookUpBy, lookUp]) => lookUpParameter(lookUpBy, lookUp)),
	// A batch is read whole unless asked otherwise: Return All is on from the start here.
	{ ...returnAllOrLimit[0], default: true },
	returnAllOrLimit[1],
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			categoryPicker('Only files DocFlow classified into this category'),
			{
				displayName: 'Recognition Status',
				name: 'recognitionStatus',
				type: 'options',
				options: Object.entries(RECOGNITION_STATUSES).map(([value, { name }]) => ({
					name,
					value: Number(value),
				})),
				default: 1,
			},
			{
				displayName: 'Updated After',
				name: 'updatedAfter',
				type: 'dateTime',
				default: '',
				description: 'Only files updated at or after this time',
			},
			{
				displayName: 'Updated Before',
				name: 'updatedBefore',
				type: 'dateTime',
				default: '',
				description: 'Only files updated at or before this time',
			},
			{
				displayName: 'Verification Status',
				name: 'verificationStatus',
				type: 'options',
				options: Object.entries(VERIFICATION_STATUS).map(([value, name]) => ({
					name,
					value: Number(value),
				})),
				default: 0,
			},
		],
	},
	...simplifyToggle({}),
	optionsCollection([
		{
			displayName: 'Include Document Text',
			name: 'includeDocumentText',
			type: 'boolean',
			default: false,
			description: 'Whether to add the full recognised text of every page (document)',
		},
		{
			displayName: 'Include Input File',
			name: 'includeInputFile',
			type: 'boolean',
			default: false,
			description:
				'Whether to pass the input item’s files through to every output item of it, e.g. to attach the original document to an email',
		},
		{
			displayName: 'Include Task Detail URL',
			name: 'includeTaskDetailUrl',
			type: 'boolean',
			default: false,
			description: 'Whether to add the link to the task’s page in DocFlow',
		},
	]),
];

/** The file/fetch query for one item, from the look-up and the filters. */
function fetchQuery(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { query: Record<string, string | number | boolean | undefined>; workspaceId: string } {
	const workspaceId = readId(ctx, 'workspace', itemIndex, 'Workspace', { locator: true });
	const lookUpBy = ctx.getNodeParameter('lookUpBy', itemIndex, 'batchNumber') as string;
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const query: Record<string, string | number | boolean | undefined> = { workspace_id: workspaceId };
	const lookUp = LOOK_UP[lookUpBy];
	if (lookUp) query[lookUp.query] = readId(ctx, lookUp.parameter, itemIndex, lookUp.label);
	if (typeof filters.category === 'string' && filters.category.trim() !== '')
		query.category = filters.category.trim();
	if (filters.recognitionStatus !== undefined) query.recognition_status = Number(filters.recognitionStatus);
	if (filters.verificationStatus !== undefined)
		query.verification_status = Number(filters.verificationStatus);
	query.start_time = toRfc3339(ctx, filters.updatedAfter, itemIndex, 'Updated After');
	query.end_time = toRfc3339(ctx, filters.updatedBefore, itemIndex, 'Updated Before');
	if (options.includeDocumentText !== undefined) query.with_document = Boolean(options.includeDocumentText);
	if (options.includeTaskDetailUrl !== undefined)
		query.with_task_detail_url = Boolean(options.includeTaskDetailUrl);
	return { query, workspaceId };
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...fetchQuery(this, itemIndex),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			limit: limitFrom(this, itemIndex),
			simplify: this.getNodeParameter('simplify', itemIndex, false) as boolean,
		}),
		known: ({ workspaceId }) => ({ workspace_id: workspaceId }),
		run: async ({ query, workspaceId, options, limit, simplify }, itemIndex) => {
			const files = await fetchFiles(this, query, {
				itemIndex,
				limit,
				retry: retrySettingsFrom(options),
			});
			return files.flatMap((file) =>
				fileItems(this, file, itemIndex, {
					simplify,
					workspaceId,
					includeInputFile: options.includeInputFile === true,
				}),
			);
		},
	});
}
