import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findReviewTask, requireReviewTask, reviewTaskNotFound } from '../../helpers/reviewLookups';
import { reviewTaskIdParameter, reviewWaitOptions, reviewWaitToggle } from '../../helpers/reviewParameters';
import { replaceReceiptsWhenWaiting } from '../../helpers/reviewWait';
import type { TrackedReview } from '../../helpers/reviewWait';
import type { ReviewTaskResult } from '../../transport/api.types';
import type { CallOptions } from '../../transport/requestKinds';
import type { VerifiedSend } from '../../transport/sendVerified';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

/**
 * What Retry and Retry Rule have in common: the task is looked up and must have finished, the
 * retry is checked after a lost answer, and Wait for Completion waits for the new verdict.
 * Each operation says only what it retries.
 */

/** The parameters around what is retried: the workspace and task first, the waits and options last. */
export function retryDescription(retried: INodeProperties[]): INodeProperties[] {
	return [
		workspaceLocator,
		reviewTaskIdParameter,
		...retried,
		...reviewWaitToggle(false),
		optionsCollection(reviewWaitOptions),
	];
}

export interface RetryTarget {
	workspaceId: string;
	taskId: string;
}

/** One item's retry, once the task is known. */
export interface Retry {
	/** The receipt's fields beside workspace_id and task_id: what is retried, as it was. */
	receipt: IDataObject;
	send: (call: CallOptions & { itemIndex: number }, verify: VerifiedSend['verify']) => Promise<void>;
	/**
	 * After a lost answer, from the task as DocFlow shows it now: 'received' when what was retried
	 * is being reviewed again; otherwise it throws, as a finished review may be the retry that
	 * already ran, and sending it again would review the documents twice.
	 */
	arrived: (now: ReviewTaskResult) => 'received';
}

export interface RetryWork<P extends RetryTarget> {
	/** The item's own parameters beside workspaceId and taskId (read before its options). */
	prepare: (itemIndex: number, target: RetryTarget) => P;
	known: (target: P) => IDataObject;
	/** Checks that what is retried has finished (throws when not) and says how to retry it. */
	retry: (task: ReviewTaskResult, target: P, itemIndex: number) => Retry;
}

export async function runRetries<P extends RetryTarget>(
	ctx: IExecuteFunctions,
	work: RetryWork<P>,
): Promise<INodeExecutionData[]> {
	const trackedByItem = new Map<number, TrackedReview>();
	return await runPerItem<P & { options: IDataObject }>(ctx, {
		prepare: async (itemIndex) => ({
			...work.prepare(itemIndex, {
				workspaceId: readId(ctx, 'workspace', itemIndex, 'Workspace', { locator: true }),
				taskId: readId(ctx, 'reviewTaskId', itemIndex, 'Review Task ID'),
			}),
			options: ctx.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: work.known,
		run: async (target, itemIndex) => {
			const { workspaceId, taskId } = target;
			const call = { itemIndex, retry: retrySettingsFrom(target.options) };
			const retry = work.retry(await requireReviewTask(ctx, workspaceId, taskId, call), target, itemIndex);
			const retriedAt = Date.now();
			await retry.send(call, async () => {
				const { task: now, refusal } = await findReviewTask(ctx, workspaceId, taskId, call);
				if (!now) throw reviewTaskNotFound(ctx, workspaceId, taskId, itemIndex, refusal);
				return retry.arrived(now);
			});
			trackedByItem.set(itemIndex, { itemIndex, workspaceId, taskId, retriedAt });
			return [
				{
					json: { workspace_id: workspaceId, task_id: taskId, ...retry.receipt, retried: true },
					pairedItem: { item: itemIndex },
				},
			];
		},
		finish: replaceReceiptsWhenWaiting(ctx, trackedByItem),
	});
}
