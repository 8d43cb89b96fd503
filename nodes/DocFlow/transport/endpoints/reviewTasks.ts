import type { IDataObject } from 'n8n-workflow';

import type { ReviewTaskResult, ReviewTaskSubmitResult } from '../api.types';
import type { DocflowContext } from '../request';
import { postOnce, resendable } from '../requestKinds';
import type { CallOptions } from '../requestKinds';
import type { VerifiedSend } from '../sendVerified';

/**
 * The typed calls of DocFlow's review tasks. Submit, retry and delete are never carried out
 * twice (postOnce): each is checked after a lost answer.
 */

type Verify = VerifiedSend['verify'];

export interface SubmitBody {
	workspaceId: string;
	name: string;
	repoId: string;
	extractTaskIds?: string[];
	batchNumber?: string;
	model?: string;
}

export async function submitReviewTask(
	ctx: DocflowContext,
	body: SubmitBody,
	options: CallOptions,
	verify: Verify,
): Promise<ReviewTaskSubmitResult | undefined> {
	const json: IDataObject = { workspace_id: body.workspaceId, name: body.name, repo_id: body.repoId };
	if (body.extractTaskIds) json.extract_task_ids = body.extractTaskIds;
	if (body.batchNumber) json.batch_number = body.batchNumber;
	if (body.model) json.model = body.model;
	return await postOnce(ctx, 'review/task/submit', json, options, verify);
}

/** review/task/result: a POST, but a read, so it is resent freely. */
export async function getReviewTaskResult(
	ctx: DocflowContext,
	query: { workspaceId: string; taskId: string; withTaskDetailUrl?: boolean },
	options: CallOptions = {},
): Promise<ReviewTaskResult | undefined> {
	const json: IDataObject = { workspace_id: query.workspaceId, task_id: query.taskId };
	if (query.withTaskDetailUrl) json.with_task_detail_url = true;
	return await resendable(ctx, 'POST', 'review/task/result', { json }, options);
}

/** review/task/retry: reviews every rule again. */
export async function retryReviewTask(
	ctx: DocflowContext,
	body: { workspaceId: string; taskId: string },
	options: CallOptions,
	verify: Verify,
): Promise<void> {
	const json = { workspace_id: body.workspaceId, task_id: body.taskId };
	await postOnce(ctx, 'review/task/retry', json, options, verify);
}

/** review/task/rule/retry: reviews one rule of the task again. */
export async function retryReviewRule(
	ctx: DocflowContext,
	body: { workspaceId: string; taskId: string; ruleId: string },
	options: CallOptions,
	verify: Verify,
): Promise<void> {
	const json = { workspace_id: body.workspaceId, task_id: body.taskId, rule_id: body.ruleId };
	await postOnce(ctx, 'review/task/rule/retry', json, options, verify);
}

/** review/task/delete of one task (the API takes a list). */
export async function deleteReviewTask(
	ctx: DocflowContext,
	body: { workspaceId: string; taskId: string },
	options: CallOptions,
	verify: Verify,
): Promise<void> {
	const json = { workspace_id: body.workspaceId, task_ids: [body.taskId] };
	await postOnce(ctx, 'review/task/delete', json, options, verify);
}
