import type { IExecuteFunctions } from 'n8n-workflow';

import { STATUS_CLASSIFIED, STATUS_FAILED, STATUS_SUCCESS, isFinalStatus, recognitionStatus } from '../../transport/api.types';
import type { DocflowFile } from '../../transport/api.types';
import { fetchFiles } from '../../transport/endpoints/file';
import type { CallOptions } from '../../transport/requestKinds';
import { itemError } from '../../transport/errors';

/**
 * The documents a review is submitted for, checked in DocFlow before the submit: DocFlow
 * reviews only extraction tasks whose extraction succeeded (07-review/create_task), so a task
 * that is unknown, still running, failed or only classified gets an error that names it and
 * says what to do, and no review task is created for it.
 */

function statusOf(file: DocflowFile): string {
	return recognitionStatus(file.recognition_status)?.name ?? `status ${String(file.recognition_status)}`;
}

/** The task with this ID in the workspace: a top-level task, or a split or crop part. */
async function findExtractionTask(
	ctx: IExecuteFunctions,
	workspaceId: string,
	taskId: string,
	options: CallOptions,
): Promise<DocflowFile | undefined> {
	const files = await fetchFiles(ctx, { workspace_id: workspaceId, task_id: taskId }, { ...options, limit: 10 });
	for (const file of files) {
		if (file.task_id === taskId) return file;
		const child = (Array.isArray(file.child_files) ? file.child_files : []).find((c) => c?.task_id === taskId);
		if (child) return child;
	}
	return undefined;
}

/** A parent is done when its parts are. */
function unfinishedIn(file: DocflowFile): DocflowFile[] {
	const children = Array.isArray(file.child_files) ? file.child_files.filter((c) => c && typeof c === 'object') : [];
	return [file, ...children].filter((f) => !isFinalStatus(f.recognition_status));
}

export async function checkExtractionTasks(
	ctx: IExecuteFunctions,
	workspaceId: string,
	taskIds: string[],
	options: CallOptions & { itemIndex: number },
): Promise<void> {
	const node = ctx.getNode();
	const { itemIndex } = options;
	for (const taskId of taskIds) {
		const task = await findExtractionTask(ctx, workspaceId, taskId, options);
		if (!task) {
			throw itemError(node, `Extraction task ${taskId} was not found in workspace ${workspaceId}`, {
				itemIndex,
				description:
					'A review takes the task_id that File → Upload or Fetch Batch outputs (not a file_id or a review task ID), from the same workspace.',
			});
		}
		const running = unfinishedIn(task);
		if (running.length > 0) {
			throw itemError(
				node,
				`Extraction task ${taskId} is still being processed (${statusOf(running[0])}); DocFlow reviews only documents whose extraction has finished`,
				{
					itemIndex,
					description:
						'Wait for it first: turn on Wait for Completion in the Upload, or check it with Fetch Batch until its status is success, then submit the review.',
				},
			);
		}
		if (task.recognition_status === STATUS_FAILED) {
			throw itemError(
				node,
				`Extraction task ${taskId} failed${task.failure_causes ? ` (${task.failure_causes})` : ''}; DocFlow reviews only documents whose extraction succeeded`,
				{ itemIndex, description: 'Process it again with File → Retry, or leave it out of the review.' },
			);
		}
		if (task.recognition_status === STATUS_CLASSIFIED) {
			throw itemError(
				node,
				`Extraction task ${taskId} was only classified (Target Process “Classify Only”); a review needs extracted fields`,
				{ itemIndex, description: 'Upload the document again with Target Process “Classify and Extract”, then review that task.' },
			);
		}
	}
}

export async function checkBatch(
	ctx: IExecuteFunctions,
	workspaceId: string,
	batchNumber: string,
	options: CallOptions & { itemIndex: number },
): Promise<void> {
	const node = ctx.getNode();
	const { itemIndex } = options;
	const files = await fetchFiles(ctx, { workspace_id: workspaceId, batch_number: batchNumber }, options);
	if (files.length === 0) {
		throw itemError(node, `Batch ${batchNumber} has no documents in workspace ${workspaceId}`, {
			itemIndex,
			description: 'Check the Batch Number: File → Upload outputs it as batch_number, for the workspace it uploaded to.',
		});
	}
	const running = files.flatMap(unfinishedIn);
	if (running.length > 0) {
		const shown = running.slice(0, 5).map((f) => `${f.task_id} (${statusOf(f)})`);
		throw itemError(
			node,
			`Batch ${batchNumber} is still being processed: task${running.length === 1 ? '' : 's'} ${shown.join(', ')}${running.length > 5 ? ` and ${running.length - 5} more` : ''}`,
			{
				itemIndex,
				description:
					'DocFlow reviews only documents whose extraction has finished. Wait for the batch (Upload with Wait for Completion, or Fetch Batch), then submit the review.',
			},
		);
	}
	if (!files.some((f) => f.recognition_status === STATUS_SUCCESS)) {
		throw itemError(node, `No document of batch ${batchNumber} was extracted successfully; there is nothing to review`, {
			itemIndex,
			description: 'Process the failed documents again with File → Retry, then submit the review.',
		});
	}
}
