import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { batchingFrom, forEachItem } from '../../helpers/batching';
import { fetchFiles } from '../../helpers/fetchFiles';
import { errorItem, withItemIndex } from '../../helpers/itemErrors';
import {
	parserParamsFrom,
	readId,
	retrySettingsFrom,
} from '../../helpers/parameters';
import { awaitResultsIfAsked, inItemOrder } from '../../helpers/results';
import type { TrackedFile } from '../../helpers/waitForFiles';
import {
	RECOGNITION_STATUS,
	STATUS_CLASSIFIED,
	STATUS_FAILED,
	STATUS_SUCCESS,
} from '../../transport/api.types';
import type { DocflowFile } from '../../transport/api.types';
import { DocflowApiError } from '../../transport/errors';
import { DEFAULT_RETRY, docflowRequest } from '../../transport/request';
import {
	alphabetical,
	parserOptions,
	requestOptions,
	simplifyToggle,
	waitForCompletionToggle,
	waitOptions,
	workspaceLocator,
} from '../common.descriptions';

const showFor = { resource: ['file'], operation: ['retry'] };

export const description: INodeProperties[] = [
	{ ...workspaceLocator, displayOptions: { show: showFor } },
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.task_id }}',
		description:
			'The task to process again. Only main or parent tasks whose extraction succeeded or failed can be retried.',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Parser Options',
		name: 'parserOptions',
		type: 'collection',
		placeholder: 'Add Parser Option',
		default: {},
		description: 'Parser settings to use this time instead of the ones of the first run',
		displayOptions: { show: showFor },
		options: parserOptions,
	},
	...waitForCompletionToggle(showFor, false),
	...simplifyToggle({ ...showFor, waitForCompletion: [true] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: alphabetical([...waitOptions, ...requestOptions]),
	},
];

const CHILD_KIND: Record<number, string> = { 0: 'a split part', 3: 'a cropped image' };
const RETRYABLE = new Set([STATUS_SUCCESS, STATUS_FAILED, STATUS_CLASSIFIED]);

/** The task as DocFlow knows it, found anywhere in the workspace, children included. */
async function findTask(
	ctx: IExecuteFunctions,
	workspaceId: string,
	taskId: string,
	itemIndex: number,
	retry: IDataObject,
): Promise<DocflowFile | undefined> {
	const { files } = await fetchFiles(
		ctx,
		{ workspace_id: workspaceId, task_id: taskId },
		{ itemIndex, limit: 10, retry: retrySettingsFrom(retry) },
	);
	for (const file of files) {
		if (file.task_id === taskId) return file;
		const children = Array.isArray(file.child_files) ? file.child_files : [];
		const child = children.find((c) => c?.task_id === taskId);
		if (child) return { ...child, parent_task_id: child.parent_task_id ?? file.task_id };
	}
	return files[0];
}

/**
 * DocFlow retries only main or parent tasks whose extraction has finished
 * (seeds/000: "Child tasks do not support retry"). Checking first lets the error say why,
 * and for a child which parent to retry, instead of DocFlow's terse refusal.
 */
function assertRetryable(ctx: IExecuteFunctions, task: DocflowFile, itemIndex: number): void {
	const taskId = task.task_id ?? '';
	const childKind = task.task_type !== undefined ? CHILD_KIND[task.task_type] : undefined;
	if (childKind) {
		const parent = task.parent_task_id && task.parent_task_id !== '0' ? task.parent_task_id : undefined;
		throw new NodeOperationError(
			ctx.getNode(),
			`Task ${taskId} is ${childKind} of ${parent ? `parent task ${parent}` : 'a parent task'}; DocFlow cannot retry child tasks [item ${itemIndex}]`,
			{
				itemIndex,
				description: parent
					? `Retry the parent task ${parent} instead: it processes the whole file again, this part included.`
					: 'Retry the parent task instead (Fetch Batch shows it, with this task among its child_files).',
			},
		);
	}
	if (!RETRYABLE.has(task.recognition_status)) {
		const status = RECOGNITION_STATUS[task.recognition_status] ?? `status ${task.recognition_status}`;
		throw new NodeOperationError(
			ctx.getNode(),
			`Task ${taskId} is still being processed (${status}); only tasks whose extraction succeeded or failed can be retried [item ${itemIndex}]`,
			{
				itemIndex,
				description:
					'Wait until DocFlow has finished the task (Fetch Batch shows recognition_status 1 or 2), then retry it.',
			},
		);
	}
}

/**
 * file/retry, sent again only when DocFlow provably did not take it: after a lost answer the
 * task is looked up, and a task that is running again means the retry arrived.
 */
async function sendRetry(
	ctx: IExecuteFunctions,
	body: IDataObject,
	task: DocflowFile,
	itemIndex: number,
	options: IDataObject,
): Promise<void> {
	const retry = retrySettingsFrom(options);
	const rounds = retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
	for (let round = 1; ; round++) {
		// docflowRequest only fails with n8n's own errors; the one handled here is "may have arrived".
		const failure = await docflowRequest
			.call(ctx, {
				method: 'POST',
				endpoint: 'file/retry',
				json: body,
				itemIndex,
				resend: 'if-not-accepted',
				retry,
			})
			.then(
				() => undefined,
				(error: Error) => error,
			);
		if (!failure) return;
		const unknown = failure instanceof DocflowApiError && failure.docflow.accepted === 'unknown';
		if (!unknown || round >= rounds) throw failure;
		const now = await findTask(ctx, String(body.workspace_id), task.task_id ?? '', itemIndex, options);
		if (now && !RETRYABLE.has(now.recognition_status)) return;
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const outputByItem = new Map<number, INodeExecutionData[]>();
	const trackedByItem = new Map<number, TrackedFile[]>();
	const batching = batchingFrom(this.getNodeParameter('options', 0, {}) as IDataObject);
	await forEachItem(items.length, batching, async (itemIndex) => {
		let known: IDataObject = {};
		try {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const taskId = readId(this, 'taskId', itemIndex, 'Task ID');
			known = { workspace_id: workspaceId, task_id: taskId };
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const parserParams = parserParamsFrom(
				this.getNodeParameter('parserOptions', itemIndex, {}) as IDataObject,
			);

			const task = await findTask(this, workspaceId, taskId, itemIndex, options);
			if (!task) {
				throw new NodeOperationError(
					this.getNode(),
					`Task ${taskId} was not found in workspace ${workspaceId} [item ${itemIndex}]`,
					{
						itemIndex,
						description:
							'Check the Task ID (Upload and Fetch Batch output it as task_id) and that it belongs to this workspace.',
					},
				);
			}
			assertRetryable(this, task, itemIndex);

			const body: IDataObject = { workspace_id: workspaceId, task_id: taskId };
			if (Object.keys(parserParams).length > 0) body.parser_params = parserParams as IDataObject;
			await sendRetry(this, body, task, itemIndex, options);
			trackedByItem.set(itemIndex, [{
				itemIndex,
				workspaceId,
				batchNumber: task.batch_number ?? '',
				fileId: task.id,
				taskId,
				name: task.name,
				retriedAt: Date.now(),
			}]);
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
			if (options.includeInputFile === true && items[itemIndex].binary) {
				receipt.binary = items[itemIndex].binary;
			}
			outputByItem.set(itemIndex, [receipt]);
		} catch (error) {
			if (!this.continueOnFail()) throw withItemIndex(this, error, itemIndex);
			outputByItem.set(itemIndex, [errorItem(error, itemIndex, known)]);
		}
	});

	await awaitResultsIfAsked(this, trackedByItem, outputByItem);
	return inItemOrder(outputByItem);
}
