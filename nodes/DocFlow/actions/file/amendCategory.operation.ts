import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { replaceReceiptsWithResults } from '../../helpers/waitForCompletion';
import type { TrackedFile } from '../../helpers/waitForFiles';
import { isFinalStatus, recognitionStatus } from '../../transport/api.types';
import { listAllCategories } from '../../transport/endpoints/category';
import { amendCategory, findFile } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';
import type { Verification } from '../../transport/sendVerified';
import { readId, workspaceLocator } from '../parameters/ids';
import { retrySettingsFrom } from '../parameters/requestOptions';
import { waitParameters, waitRequestFrom } from '../parameters/waitOptions';
import { runPerItem } from '../runPerItem';
import { readBody } from './amendCategoryBody';
import type { Mode, PreparedAmend } from './amendCategoryBody';
import { checkTask, showsAmendment, snapshot } from './amendCategoryTask';
import { notFoundError } from './fileChecks';
import { taskLocator } from './resultParameters';

export const option = {
	name: 'Amend Category',
	description: 'Give a processed file (or the parts of a split or cropped one) another category; DocFlow extracts it again',
	action: 'Amend a file’s category',
};

function categoryOption(show?: NonNullable<INodeProperties['displayOptions']>['show']): INodeProperties {
	return {
		displayName: 'Category Name or ID',
		name: 'category',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAssignableCategories', loadOptionsDependsOn: ['workspace.value'] },
		default: '',
		required: true,
		description:
			'One of the workspace’s enabled categories, by name. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		...(show ? { displayOptions: { show } } : {}),
	};
}

export const description: INodeProperties[] = [
	workspaceLocator,
	taskLocator,
	{
		displayName: 'Task Type',
		name: 'taskType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Crop Parent',
				value: 'crop',
				description: 'A file cut into several images (Crop Multiple Images): give some images another category',
			},
			{ name: 'Regular', value: 'regular', description: 'A file that was neither split nor cropped' },
			{
				name: 'Split Parent',
				value: 'split',
				description: 'A file split into parts (Split Files): cut it into parts again, each with its category',
			},
		],
		default: 'regular',
		hint: 'Fetch Batch shows it as task_type: regular, or parent with child_files of split parts or cropped images',
	},
	categoryOption({ taskType: ['regular'] }),
	{
		displayName: 'Parts',
		name: 'splitTasks',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Part',
		default: {},
		required: true,
		displayOptions: { show: { taskType: ['split'] } },
		hint: 'List every part, also those that stay as they are: DocFlow replaces all parts of the file, and a part left out is deleted',
		options: [
			{
				displayName: 'Part',
				name: 'part',
				values: [
					categoryOption(),
					{
						displayName: 'Pages',
						name: 'pages',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. 1-2, 4',
						description:
							'The pages of the original file in this part, the first page being 1: single pages and ranges, separated by commas. A page belongs to one part only.',
					},
				],
			},
		],
	},
	{
		displayName: 'Images',
		name: 'cropTasks',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Image',
		default: {},
		required: true,
		displayOptions: { show: { taskType: ['crop'] } },
		options: [
			{
				displayName: 'Image',
				name: 'image',
				values: [
					{
						displayName: 'Image Task ID',
						name: 'taskId',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. {{ $json.task_id }}',
						description:
							'The cropped image’s own task ID (Fetch Batch lists the images of the file in child_files; simplified, they follow the file with task_type “cropped image”)',
					},
					categoryOption(),
				],
			},
		],
	},
	...waitParameters(true),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const trackedByItem = new Map<number, TrackedFile[]>();
	// One read of a workspace's categories serves every item of the run.
	const categoriesOf = new Map<string, Promise<string[]>>();
	// Reads and checks against DocFlow for every item (check) before any item writes (run).
	return await runPerItem(this, {
		prepare: async (itemIndex): Promise<PreparedAmend> => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const taskId = readId(this, 'task', itemIndex, 'Task ID', { locator: true });
			const mode = this.getNodeParameter('taskType', itemIndex, 'regular') as Mode;
			return {
				workspaceId,
				taskId,
				mode,
				body: readBody(this, itemIndex, mode, workspaceId, taskId),
				options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			};
		},
		known: ({ workspaceId, taskId }) => ({ workspace_id: workspaceId, task_id: taskId }),
		check: async (amend, itemIndex) => {
			const { workspaceId, taskId, options } = amend;
			const retry = retrySettingsFrom(options);
			const found = await findFile(this, workspaceId, { task_id: taskId }, { itemIndex, retry });
			if (!found) throw notFoundError(this, { label: 'Task', id: taskId, workspaceId }, itemIndex);
			if (!categoriesOf.has(workspaceId)) {
				categoriesOf.set(
					workspaceId,
					listAllCategories(this, { workspaceId, enabled: '1' }, { itemIndex, retry }).then((list) =>
						list.map((c) => String(c.name)),
					),
				);
			}
			const categories = await categoriesOf.get(workspaceId)!.catch((error) => {
				categoriesOf.delete(workspaceId);
				throw error;
			});
			await checkTask(this, amend, found, categories, itemIndex);
			return { ...amend, file: found.file };
		},
		run: async ({ workspaceId, taskId, body, options, file }, itemIndex) => {
			const retry = retrySettingsFrom(options);
			const before = snapshot(file);
			await amendCategory(this, body, { itemIndex, retry }, async (): Promise<Verification> => {
				// The answer got lost. The task was finished before: DocFlow extracting it again, or
				// showing the new categories, means the change arrived; showing it exactly as
				// before, finished, means it did not (sent again). Anything else (other categories,
				// other parts) cannot be told apart from someone else's change.
				const now = await findFile(this, workspaceId, { task_id: taskId }, { itemIndex, retry });
				if (now && (!isFinalStatus(now.file.recognition_status) || showsAmendment(now.file, body))) return 'received';
				if (now && snapshot(now.file) === before) return 'resend';
				throw itemError(this.getNode(), `The category change of task ${taskId} may have been applied: DocFlow’s answer got lost`, {
					itemIndex,
					description: `DocFlow shows the task ${now ? `${recognitionStatus(now.file.recognition_status)?.name ?? 'changed'}, with category “${now.file.category}”` : 'nowhere'}, which does not tell whether the change arrived, so the node did not send it again (DocFlow would extract the file once more). Check task ${taskId} with Fetch Batch.`,
				});
			});
			trackedByItem.set(itemIndex, [
				{
					itemIndex,
					workspaceId,
					batchNumber: String(file.batch_number ?? ''),
					fileId: String(file.id),
					taskId,
					name: String(file.name),
					// DocFlow may show the old, finished state for a moment: wait until it is seen running again.
					retriedAt: Date.now(),
				},
			]);
			const receipt: IDataObject = {
				workspace_id: workspaceId,
				task_id: taskId,
				file_id: file.id,
				batch_number: file.batch_number ?? null,
				name: file.name,
				previous_category: file.category,
			};
			if (body.category !== undefined) receipt.category = body.category;
			if (body.split_tasks) receipt.split_tasks = body.split_tasks.map((p) => ({ category: p.category, pages: p.pages.map((page) => page + 1) }));
			if (body.crop_tasks) receipt.crop_tasks = body.crop_tasks.map((c) => ({ task_id: c.crop_child_task_id, category: c.category }));
			receipt.amended = true;
			return [{ json: receipt, pairedItem: { item: itemIndex } }];
		},
		finish: async (outputByItem) => {
			const wait = waitRequestFrom(this);
			if (wait) await replaceReceiptsWithResults(this, trackedByItem, outputByItem, wait);
		},
	});
}
