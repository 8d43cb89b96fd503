import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { replaceReceiptsWithResults } from '../../helpers/waitForCompletion';
import type { TrackedFile } from '../../helpers/waitForFiles';
import { STATUS_CLASSIFIED, STATUS_FAILED, STATUS_SUCCESS, TASK_TYPES, entryOf, isFinalStatus } from '../../transport/api.types';
import type { DocflowFile, ParserParams } from '../../transport/api.types';
import { fetchFiles, matchFile, retryTask } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';
import { readId, workspaceLocator } from '../parameters/ids';
import { parserOptions, parserParamsFrom } from '../parameters/parserOptions';
import { retrySettingsFrom } from '../parameters/requestOptions';
import { waitParameters, waitRequestFrom } from '../parameters/waitOptions';
import { runPerItem } from '../runPerItem';
import { statusName } from './fileChecks';

export const option = {
	name: 'Retry',
	description: 'Process a finished or failed task again',
	action: 'Retry a task',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.task_id }}',
		description:
			'The task to process again. Only main or parent tasks whose extraction succeeded or failed can be retried (not split parts, cropped images or classify-only tasks).',
	},
	{
		displayName: 'Parser Options',
		name: 'parserOptions',
		type: 'collection',
		placeholder: 'Add Parser Option',
		default: {},
		description: 'Parser settings to use this time instead of the ones of the first run',
		options: parserOptions,
	},
	...waitParameters(false),
];

/** DocFlow retries tasks whose extraction succeeded or failed (seeds/000), nothing else. */
const RETRYABLE = new Set([STATUS_SUCCESS, STATUS_FAILED]);

/** The task as DocFlow knows it, found anywhere in the workspace, children included. */
async function findTask(
	ctx: IExecuteFunctions,
	workspaceId: string,
	taskId: string,
	itemIndex: number,
	options: IDataObject,
): Promise<DocflowFile | undefined> {
	const files = await fetchFiles(
		ctx,
		{ workspace_id: workspaceId, task_id: taskId },
		{ itemIndex, limit: 10, retry: retrySettingsFrom(options) },
	);
	return matchFile(files, { task_id: taskId })?.file ?? files[0];
}

/**
 * DocFlow retries only main or parent tasks whose extraction has finished
 * (seeds/000: "Child tasks do not support retry"; only tasks whose extraction succeeded or
 * failed). Checking first lets the error say why and what to do instead of DocFlow's terse
 * refusal: for a child, which parent to retry.
 */
function assertRetryable(ctx: IExecuteFunctions, task: DocflowFile, itemIndex: number): void {
	const taskId = task.task_id ?? '';
	const node = ctx.getNode();
	const type = entryOf(TASK_TYPES, task.task_type);
	if (type?.child) {
		const parent = task.parent_task_id && task.parent_task_id !== '0' ? task.parent_task_id : undefined;
		throw itemError(
			node,
			`Task ${taskId} is a ${type.word} of ${parent ? `parent task ${parent}` : 'a parent task'}; DocFlow cannot retry child tasks`,
			{
				itemIndex,
				description: parent
					? `Retry the parent task ${parent} instead: it processes the whole file again, this part included.`
					: 'Retry the parent task instead (Fetch Batch shows it, with this task among its child_files).',
			},
		);
	}
	if (task.recognition_status === STATUS_CLASSIFIED) {
		throw itemError(
			node,
			`Task ${taskId} was only classified (Target Process “Classify Only”); DocFlow retries only tasks whose extraction succeeded or failed`,
			{
				itemIndex,
				description:
					'To extract its fields, upload the document again with Target Process “Classify and Extract”.',
			},
		);
	}
	if (!RETRYABLE.has(task.recognition_status)) {
		const status = statusName(task);
		throw itemError(
			node,
			`Task ${taskId} is still being processed (${status}); only tasks whose extraction succeeded or failed can be retried`,
			{
				itemIndex,
				description:
					'Wait until DocFlow has finished the task (Fetch Batch shows recognition_status 1 or 2), then retry it.',
			},
		);
	}
}

/**
 * After a lost answer to file/retry: the task running again means the retry arrived; finished
 * means it may have arrived and already run (DocFlow can be that fast), so the item fails with
 * that said rather than processing the document twice.
 */
async function checkRetryArrived(
	ctx: IExecuteFunctions,
	retry: PreparedRetry,
	itemIndex: number,
): Promise<'received'> {
	const { workspaceId, taskId, options } = retry;
	const now = await findTask(ctx, workspaceId, taskId, itemIndex, options);
	if (now && !isFinalStatus(now.recognition_status)) return 'received';
	throw itemError(ctx.getNode(), `The retry of task ${taskId} may have been applied: DocFlow’s answer got lost`, {
		itemIndex,
		description: `DocFlow shows the task ${now ? `as ${statusName(now)}` : 'nowhere'}, which a retry that already ran looks like too, so the node did not send it again (the document would be processed twice). Check task ${taskId} with Fetch Batch; retry it again only if its result is unchanged.`,
	});
}

interface PreparedRetry {
	workspaceId: string;
	taskId: string;
	options: IDataObject;
	parserParams: ParserParams;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const trackedByItem = new Map<number, TrackedFile[]>();
	return await runPerItem<PreparedRetry>(this, {
		prepare: async (itemIndex) => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			taskId: readId(this, 'taskId', itemIndex, 'Task ID'),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			parserParams: parserParamsFrom(this.getNodeParameter('parserOptions', itemIndex, {}) as IDataObject),
		}),
		known: ({ workspaceId, taskId }) => ({ workspace_id: workspaceId, task_id: taskId }),
		run: async (retry, itemIndex) => {
			const { workspaceId, taskId, options, parserParams } = retry;
			const task = await findTask(this, workspaceId, taskId, itemIndex, options);
			if (!task) {
				throw itemError(this.getNode(), `Task ${taskId} was not found in workspace ${workspaceId}`, {
					itemIndex,
					description:
						'Check the Task ID (Upload and Fetch Batch output it as task_id) and that it belongs to this workspace.',
				});
			}
			assertRetryable(this, task, itemIndex);

			await retryTask(
				this,
				{ workspaceId, taskId, parserParams, itemIndex, retry: retrySettingsFrom(options) },
				async () => await checkRetryArrived(this, retry, itemIndex),
			);
			trackedByItem.set(itemIndex, [
				{
					itemIndex,
					workspaceId,
					batchNumber: task.batch_number ?? '',
					fileId: task.id,
					taskId,
					name: task.name,
					retriedAt: Date.now(),
				},
			]);
			const receipt: INodeExecutionData = {
				json: {
					workspace_id: workspaceId,
					task_id: taskId,
					file_id: task.id,
					batch_number: task.batch_number,
					name: task.name,
					previous_status: task.recognition_status,
					retried: true,
				},
				pairedItem: { item: itemIndex },
			};
			const binary = this.getInputData()[itemIndex].binary;
			if (options.includeInputFile === true && binary) receipt.binary = binary;
			return [receipt];
		},
		finish: async (outputByItem) => {
			const wait = waitRequestFrom(this);
			if (wait) await replaceReceiptsWithResults(this, trackedByItem, outputByItem, wait);
		},
	});
}
