import type { IDataObject } from 'n8n-workflow';

import { REVIEW_LIMITS } from '../api.types';
import type {
	ReviewRuleRepo,
	ReviewRuleRepoListResult,
	ReviewTaskResult,
	ReviewTaskSubmitResult,
} from '../api.types';
import { docflowRequest } from '../request';
import type { DocflowContext, RetrySettings } from '../request';
import { sendVerified } from '../sendVerified';
import type { VerifiedSend } from '../sendVerified';

/** The typed calls of DocFlow's review/… endpoints (rule repositories, groups, rules, review tasks). */

export interface CallOptions {
	itemIndex?: number;
	retry?: Partial<RetrySettings>;
}

/**
 * An ID where the spec types it as an integer (repo_id in rule_repo/update, rule_repo/delete,
 * rule_group/create and rule/create): a JSON number while that is exact, else the digits as a
 * string (a JSON number above 2^53 would be rounded by JavaScript; DocFlow's own guides send
 * these IDs as strings).
 */
export function specInteger(id: string): number | string {
	const value = Number(id);
	return /^\d+$/.test(id) && Number.isSafeInteger(value) ? value : id;
}

// ---------- rule repositories ----------

/** One page of a workspace's rule repositories, each with its groups and rules. */
export async function listRuleRepos(
	ctx: DocflowContext,
	query: { workspaceId: string; page: number; pageSize: number },
	options: CallOptions = {},
): Promise<Partial<ReviewRuleRepoListResult> | undefined> {
	return (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'review/rule_repo/list',
		qs: { workspace_id: query.workspaceId, page: query.page, page_size: query.pageSize },
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	})) as Partial<ReviewRuleRepoListResult> | undefined;
}

/**
 * rule_repo/list following page/page_size to the end (or until `limit`): a short page ends the
 * list only when DocFlow gives no total, as a server may cap page_size below what was asked.
 */
export async function listAllRuleRepos(
	ctx: DocflowContext,
	workspaceId: string,
	options: CallOptions & { limit?: number } = {},
): Promise<ReviewRuleRepo[]> {
	const pageSize = Math.min(options.limit ?? REVIEW_LIMITS.listPageSize, REVIEW_LIMITS.listPageSize);
	const repos: ReviewRuleRepo[] = [];
	for (let page = 1; ; page++) {
		const result = await listRuleRepos(ctx, { workspaceId, page, pageSize }, options);
		const pageRepos = Array.isArray(result?.repos)
			? result.repos.filter((repo) => typeof repo === 'object' && repo !== null)
			: [];
		repos.push(...pageRepos);
		const limitReached = options.limit !== undefined && repos.length >= options.limit;
		const lastPage =
			typeof result?.total === 'number' ? repos.length >= result.total : pageRepos.length < pageSize;
		if (limitReached || lastPage || pageRepos.length === 0) break;
	}
	return options.limit !== undefined ? repos.slice(0, options.limit) : repos;
}

export async function getRuleRepo(
	ctx: DocflowContext,
	query: { workspaceId: string; repoId: string },
	options: CallOptions = {},
): Promise<ReviewRuleRepo | undefined> {
	return (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'review/rule_repo/get',
		qs: { workspace_id: query.workspaceId, repo_id: query.repoId },
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	})) as ReviewRuleRepo | undefined;
}

/** rule_repo/create, never carried out twice (see sendVerified). repo_id comes as the spec's integer. */
export async function createRuleRepo(
	ctx: DocflowContext,
	body: { workspaceId: string; name: string },
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<{ repo_id?: number | string } | undefined> {
	return await sendVerified<{ repo_id?: number | string }>(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/rule_repo/create',
			json: { workspace_id: body.workspaceId, name: body.name },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}

/** rule_repo/update: setting the same name again is harmless, so it is resent like a read. */
export async function updateRuleRepo(
	ctx: DocflowContext,
	body: { workspaceId: string; repoId: string; name: string },
	options: CallOptions,
): Promise<void> {
	await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'review/rule_repo/update',
		json: { workspace_id: body.workspaceId, repo_id: specInteger(body.repoId), name: body.name },
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	});
}

/** rule_repo/delete (one repository; the API takes a list), checked after a lost answer. */
export async function deleteRuleRepo(
	ctx: DocflowContext,
	body: { workspaceId: string; repoId: string },
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/rule_repo/delete',
			json: { workspace_id: body.workspaceId, repo_ids: [specInteger(body.repoId)] },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}

// ---------- rule groups ----------

export async function createRuleGroup(
	ctx: DocflowContext,
	body: { workspaceId: string; repoId: string; name: string },
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<{ group_id?: string } | undefined> {
	return await sendVerified<{ group_id?: string }>(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/rule_group/create',
			json: { workspace_id: body.workspaceId, repo_id: specInteger(body.repoId), name: body.name },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}

export async function updateRuleGroup(
	ctx: DocflowContext,
	body: { workspaceId: string; groupId: string; name: string },
	options: CallOptions,
): Promise<void> {
	await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'review/rule_group/update',
		json: { workspace_id: body.workspaceId, group_id: body.groupId, name: body.name },
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	});
}

export async function deleteRuleGroup(
	ctx: DocflowContext,
	body: { workspaceId: string; groupId: string },
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/rule_group/delete',
			json: { workspace_id: body.workspaceId, group_id: body.groupId },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}

// ---------- rules ----------

/** ReviewRuleProperties as the node sends them (only what the user set). */
export type RuleProperties = IDataObject & {
	group_id?: string;
	name?: string;
	prompt?: string;
	category_ids?: string[];
	risk_level?: number;
	referenced_fields?: IDataObject[];
};

export async function createRule(
	ctx: DocflowContext,
	body: { workspaceId: string; repoId: string; properties: RuleProperties },
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<{ rule_id?: string } | undefined> {
	return await sendVerified<{ rule_id?: string }>(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/rule/create',
			json: { workspace_id: body.workspaceId, repo_id: specInteger(body.repoId), ...body.properties },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}

export async function updateRule(
	ctx: DocflowContext,
	body: { workspaceId: string; ruleId: string; properties: RuleProperties },
	options: CallOptions,
): Promise<void> {
	await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'review/rule/update',
		json: { workspace_id: body.workspaceId, rule_id: body.ruleId, ...body.properties },
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	});
}

export async function deleteRule(
	ctx: DocflowContext,
	body: { workspaceId: string; ruleId: string },
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/rule/delete',
			json: { workspace_id: body.workspaceId, rule_id: body.ruleId },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}

// ---------- review tasks ----------

export interface SubmitBody {
	workspaceId: string;
	name: string;
	repoId: string;
	extractTaskIds?: string[];
	batchNumber?: string;
	model?: string;
}

/** review/task/submit, never carried out twice (see sendVerified). */
export async function submitReviewTask(
	ctx: DocflowContext,
	body: SubmitBody,
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<ReviewTaskSubmitResult | undefined> {
	const json: IDataObject = { workspace_id: body.workspaceId, name: body.name, repo_id: body.repoId };
	if (body.extractTaskIds) json.extract_task_ids = body.extractTaskIds;
	if (body.batchNumber) json.batch_number = body.batchNumber;
	if (body.model) json.model = body.model;
	return await sendVerified<ReviewTaskSubmitResult>(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/task/submit',
			json,
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}

/** review/task/result: a POST, but a read, so it is resent freely. */
export async function getReviewTaskResult(
	ctx: DocflowContext,
	query: { workspaceId: string; taskId: string; withTaskDetailUrl?: boolean },
	options: CallOptions = {},
): Promise<ReviewTaskResult | undefined> {
	const json: IDataObject = { workspace_id: query.workspaceId, task_id: query.taskId };
	if (query.withTaskDetailUrl) json.with_task_detail_url = true;
	return (await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'review/task/result',
		json,
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	})) as ReviewTaskResult | undefined;
}

/** review/task/retry: reviews every rule again; checked after a lost answer. */
export async function retryReviewTask(
	ctx: DocflowContext,
	body: { workspaceId: string; taskId: string },
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/task/retry',
			json: { workspace_id: body.workspaceId, task_id: body.taskId },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}

/** review/task/rule/retry: reviews one rule of the task again; checked after a lost answer. */
export async function retryReviewRule(
	ctx: DocflowContext,
	body: { workspaceId: string; taskId: string; ruleId: string },
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/task/rule/retry',
			json: { workspace_id: body.workspaceId, task_id: body.taskId, rule_id: body.ruleId },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}

/** review/task/delete (one task; the API takes a list), checked after a lost answer. */
export async function deleteReviewTask(
	ctx: DocflowContext,
	body: { workspaceId: string; taskId: string },
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'review/task/delete',
			json: { workspace_id: body.workspaceId, task_ids: [body.taskId] },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}
