import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { REVIEW_FAILED, REVIEW_RECOGNITION_FAILED } from '../transport/api.types';
import type { ReviewTaskResult } from '../transport/api.types';
import { cancelSignalOf, pause, throwIfCancelled } from '../transport/cancellation';
import { getReviewTaskResult } from '../transport/endpoints/reviewTasks';
import type { RetrySettings } from '../transport/request';
import { itemError } from '../transport/errors';
import { errorItem, withItemIndex } from './itemErrors';
import { isRefusedLookup, reviewTaskNotFound } from './reviewLookups';
import { reviewWaitRequestFrom } from './reviewParameters';
import {
	isFinalReviewStatus,
	reviewStatusName,
	reviewStatusWord,
	ruleOutcomes,
	simplifyReviewResult,
} from './reviewSimplify';

/**
 * Wait for Completion of review tasks (Submit, Retry, Retry Rule): polls review/task/result on
 * the same schedule as the file wait (after a second, backing off to every ten seconds, or a
 * fixed interval), ends with the execution's stop within a second, and puts each item's result
 * (or the error of a review that failed or did not finish in time) in place of its receipt.
 */

/** A review task an item submitted or retried, and now waits for. */
export interface TrackedReview {
	itemIndex: number;
	workspaceId: string;
	taskId: string;
	/**
	 * For a retry: when it was sent. DocFlow may still show the old verdict for a moment, so a
	 * final status only counts once the task was seen running or after a grace period.
	 */
	retriedAt?: number;
}

/** The file wait's schedule (helpers/waitForFiles.ts), so every wait of the node feels the same. */
const FIRST_POLL_MS = 1000;
const MAX_POLL_MS = 10_000;
const RETRY_GRACE_MS = 5000;

export interface ReviewWaitRequest {
	timeoutMs: number;
	/** A fixed poll interval; undefined: start at a second and back off to ten. */
	pollIntervalMs?: number;
	withTaskDetailUrl: boolean;
	simplify: boolean;
	retry?: Partial<RetrySettings>;
}

interface Outcome {
	finished: Map<TrackedReview, ReviewTaskResult>;
	lastSeen: Map<TrackedReview, ReviewTaskResult>;
	gone: Map<TrackedReview, Error>;
}

async function waitForReviews(
	ctx: IExecuteFunctions,
	tracked: TrackedReview[],
	request: ReviewWaitRequest,
): Promise<Outcome> {
	const deadline = Date.now() + request.timeoutMs;
	const maxPoll = request.pollIntervalMs ?? MAX_POLL_MS;
	const signal = cancelSignalOf(ctx);
	const outcome: Outcome = { finished: new Map(), lastSeen: new Map(), gone: new Map() };
	const seenRunning = new Set<TrackedReview>();
	let pending = [...tracked];
	let interval = request.pollIntervalMs ?? FIRST_POLL_MS;

	while (pending.length > 0) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) break;
		await pause(Math.min(interval, remaining), signal);
		throwIfCancelled(ctx, signal);
		interval = Math.min(maxPoll, Math.round(interval * 1.5));

		const still: TrackedReview[] = [];
		for (const review of pending) {
			let result: ReviewTaskResult | undefined;
			try {
				result = await getReviewTaskResult(
					ctx,
					{ workspaceId: review.workspaceId, taskId: review.taskId, withTaskDetailUrl: request.withTaskDetailUrl },
					{ itemIndex: review.itemIndex, retry: request.retry },
				);
			} catch (error) {
				// Deleted while the node waited: that item's error, the others wait on.
				if (!isRefusedLookup(error)) throw withItemIndex(ctx.getNode(), error as Error, review.itemIndex);
				outcome.gone.set(review, reviewTaskNotFound(ctx, review.workspaceId, review.taskId, review.itemIndex, error));
				continue;
			}
			if (!result || typeof result !== 'object') {
				still.push(review);
				continue;
			}
			outcome.lastSeen.set(review, result);
			if (!isFinalReviewStatus(result.status)) {
				seenRunning.add(review);
				still.push(review);
				continue;
			}
			const trusted =
				review.retriedAt === undefined ||
				seenRunning.has(review) ||
				Date.now() - review.retriedAt >= RETRY_GRACE_MS;
			if (trusted) outcome.finished.set(review, result);
			else still.push(review);
		}
		pending = still;
	}
	return outcome;
}

function duration(ms: number): string {
	const minutes = ms / 60000;
	if (minutes >= 1) return `${Number(minutes.toFixed(1))} minute${minutes === 1 ? '' : 's'}`;
	return `${Number((ms / 1000).toFixed(1))} seconds`;
}

function timeoutError(
	ctx: IExecuteFunctions,
	review: TrackedReview,
	last: ReviewTaskResult | undefined,
	timeoutMs: number,
): NodeOperationError {
	const state = last ? ` (still ${reviewStatusName(last.status)})` : '';
	return itemError(
		ctx.getNode(),
		`DocFlow had not finished review task ${review.taskId} after ${duration(timeoutMs)}${state}`,
		{
			itemIndex: review.itemIndex,
			description: `Nothing is lost: the review goes on in DocFlow. Get its verdict later with Review Task → Get Result (Review Task ID ${review.taskId}), or raise Timeout in the node’s options.`,
		},
	);
}

function failedError(ctx: IExecuteFunctions, review: TrackedReview, result: ReviewTaskResult): NodeOperationError {
	const others = ctx.continueOnFail()
		? ''
		: ' Turn on Continue On Fail to get the other items’ results in the same run.';
	if (result.status === REVIEW_RECOGNITION_FAILED) {
		return itemError(
			ctx.getNode(),
			`DocFlow could not review task ${review.taskId}: recognising its documents failed (Recognition Failed)`,
			{
				itemIndex: review.itemIndex,
				description: `Check the extraction tasks ${(result.extract_task_ids ?? []).join(', ')} with File → Fetch Batch, process them again with File → Retry, then retry the review (Review Task → Retry).${others}`,
			},
		);
	}
	const failedRules = ruleOutcomes(result)
		.filter(({ outcome }) => outcome.review_result === REVIEW_FAILED)
		.map(({ outcome }) => `“${outcome.rule_name}”${outcome.reasoning ? ` (${outcome.reasoning})` : ''}`);
	return itemError(
		ctx.getNode(),
		`DocFlow could not complete review task ${review.taskId} (Review Failed)${failedRules.length ? `: rule${failedRules.length === 1 ? '' : 's'} ${failedRules.join(', ')} could not be reviewed` : ''}`,
		{
			itemIndex: review.itemIndex,
			description: `Review the rules that failed again with Review Task → Retry Rule, or the whole task with Review Task → Retry (Review Task ID ${review.taskId}).${others}`,
		},
	);
}

function isFailure(result: ReviewTaskResult): boolean {
	return result.status === REVIEW_FAILED || result.status === REVIEW_RECOGNITION_FAILED;
}

/**
 * Waits for every tracked review (one result request per task per round) and puts each item's
 * verdict in place of its receipt; without Continue On Fail the first problem in item order
 * (a review that did not finish in time, failed, or disappeared) stops the node.
 */
export async function replaceReceiptsWithReviews(
	ctx: IExecuteFunctions,
	trackedByItem: Map<number, TrackedReview>,
	outputByItem: Map<number, INodeExecutionData[]>,
	request: ReviewWaitRequest,
): Promise<void> {
	const tracked = [...trackedByItem.keys()].sort((a, b) => a - b).map((i) => trackedByItem.get(i)!);
	if (tracked.length === 0) return;
	const outcome = await waitForReviews(ctx, tracked, request);
	for (const review of tracked) {
		const { itemIndex, workspaceId, taskId } = review;
		const result = outcome.finished.get(review);
		const last = outcome.lastSeen.get(review);
		let error: Error | undefined;
		const known: IDataObject = { workspace_id: workspaceId, task_id: taskId };
		if (outcome.gone.has(review)) {
			error = outcome.gone.get(review);
		} else if (!result) {
			error = timeoutError(ctx, review, last, request.timeoutMs);
			known.status = last ? reviewStatusWord(last.status) : 'unknown';
			known.status_code = typeof last?.status === 'number' ? last.status : null;
		} else if (isFailure(result)) {
			error = failedError(ctx, review, result);
			known.status = reviewStatusWord(result.status);
			known.status_code = result.status ?? null;
		}
		if (error) {
			if (!ctx.continueOnFail()) throw error;
			outputByItem.set(itemIndex, [errorItem(ctx.getNode(), error, itemIndex, known)]);
			continue;
		}
		const json = request.simplify
			? simplifyReviewResult(result!, workspaceId)
			: (result as unknown as IDataObject);
		outputByItem.set(itemIndex, [{ json, pairedItem: { item: itemIndex } }]);
	}
}

/**
 * runPerItem's `finish` of Submit, Retry and Retry Rule: with Wait for Completion on, every
 * tracked review's verdict replaces its item's receipt.
 */
export function replaceReceiptsWhenWaiting(
	ctx: IExecuteFunctions,
	trackedByItem: Map<number, TrackedReview>,
): (outputByItem: Map<number, INodeExecutionData[]>) => Promise<void> {
	return async (outputByItem) => {
		const wait = reviewWaitRequestFrom(ctx);
		if (wait) await replaceReceiptsWithReviews(ctx, trackedByItem, outputByItem, wait);
	};
}
