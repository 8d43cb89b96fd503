import type { IDataObject } from 'n8n-workflow';

import { REVIEW_LIMITS } from '../api.types';
import type { ReviewRuleRepo, ReviewRuleRepoListResult } from '../api.types';
import { readAllPages } from '../paging';
import type { DocflowContext } from '../request';
import { postOnce, resendable } from '../requestKinds';
import type { CallOptions } from '../requestKinds';
import type { VerifiedSend } from '../sendVerified';

/**
 * The typed calls of DocFlow's review rules: rule repositories, their groups and their rules.
 * Creates and deletes are never carried out twice (postOnce); a rename or an update sets the
 * same values again, so it is resent like a read.
 */

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

type Verify = VerifiedSend['verify'];

// ---------- rule repositories ----------

/** One page of a workspace's rule repositories, each with its groups and rules. */
export async function listRuleRepos(
	ctx: DocflowContext,
	query: { workspaceId: string; page: number; pageSize: number },
	options: CallOptions = {},
): Promise<Partial<ReviewRuleRepoListResult> | undefined> {
	const qs = { workspace_id: query.workspaceId, page: query.page, page_size: query.pageSize };
	return await resendable(ctx, 'GET', 'review/rule_repo/list', { qs }, options);
}

/** rule_repo/list following page/page_size to the end (or until `limit`). */
export async function listAllRuleRepos(
	ctx: DocflowContext,
	workspaceId: string,
	options: CallOptions & { limit?: number } = {},
): Promise<ReviewRuleRepo[]> {
	return await readAllPages<ReviewRuleRepo>(
		async (page, pageSize) => {
			const result = await listRuleRepos(ctx, { workspaceId, page, pageSize }, options);
			return { items: result?.repos, total: result?.total };
		},
		{ limit: options.limit, maxPageSize: REVIEW_LIMITS.listPageSize },
	);
}

export async function getRuleRepo(
	ctx: DocflowContext,
	query: { workspaceId: string; repoId: string },
	options: CallOptions = {},
): Promise<ReviewRuleRepo | undefined> {
	const qs = { workspace_id: query.workspaceId, repo_id: query.repoId };
	return await resendable(ctx, 'GET', 'review/rule_repo/get', { qs }, options);
}

/** rule_repo/create; repo_id comes as the spec's integer. */
export async function createRuleRepo(
	ctx: DocflowContext,
	body: { workspaceId: string; name: string },
	options: CallOptions,
	verify: Verify,
): Promise<{ repo_id?: number | string } | undefined> {
	const json = { workspace_id: body.workspaceId, name: body.name };
	return await postOnce(ctx, 'review/rule_repo/create', json, options, verify);
}

export async function updateRuleRepo(
	ctx: DocflowContext,
	body: { workspaceId: string; repoId: string; name: string },
	options: CallOptions,
): Promise<void> {
	const json = { workspace_id: body.workspaceId, repo_id: specInteger(body.repoId), name: body.name };
	await resendable(ctx, 'POST', 'review/rule_repo/update', { json }, options);
}

/** rule_repo/delete of one repository (the API takes a list). */
export async function deleteRuleRepo(
	ctx: DocflowContext,
	body: { workspaceId: string; repoId: string },
	options: CallOptions,
	verify: Verify,
): Promise<void> {
	const json = { workspace_id: body.workspaceId, repo_ids: [specInteger(body.repoId)] };
	await postOnce(ctx, 'review/rule_repo/delete', json, options, verify);
}

// ---------- rule groups ----------

export async function createRuleGroup(
	ctx: DocflowContext,
	body: { workspaceId: string; repoId: string; name: string },
	options: CallOptions,
	verify: Verify,
): Promise<{ group_id?: string } | undefined> {
	const json = { workspace_id: body.workspaceId, repo_id: specInteger(body.repoId), name: body.name };
	return await postOnce(ctx, 'review/rule_group/create', json, options, verify);
}

export async function updateRuleGroup(
	ctx: DocflowContext,
	body: { workspaceId: string; groupId: string; name: string },
	options: CallOptions,
): Promise<void> {
	const json = { workspace_id: body.workspaceId, group_id: body.groupId, name: body.name };
	await resendable(ctx, 'POST', 'review/rule_group/update', { json }, options);
}

export async function deleteRuleGroup(
	ctx: DocflowContext,
	body: { workspaceId: string; groupId: string },
	options: CallOptions,
	verify: Verify,
): Promise<void> {
	const json = { workspace_id: body.workspaceId, group_id: body.groupId };
	await postOnce(ctx, 'review/rule_group/delete', json, options, verify);
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
	verify: Verify,
): Promise<{ rule_id?: string } | undefined> {
	const json = { workspace_id: body.workspaceId, repo_id: specInteger(body.repoId), ...body.properties };
	return await postOnce(ctx, 'review/rule/create', json, options, verify);
}

export async function updateRule(
	ctx: DocflowContext,
	body: { workspaceId: string; ruleId: string; properties: RuleProperties },
	options: CallOptions,
): Promise<void> {
	const json = { workspace_id: body.workspaceId, rule_id: body.ruleId, ...body.properties };
	await resendable(ctx, 'POST', 'review/rule/update', { json }, options);
}

export async function deleteRule(
	ctx: DocflowContext,
	body: { workspaceId: string; ruleId: string },
	options: CallOptions,
	verify: Verify,
): Promise<void> {
	const json = { workspace_id: body.workspaceId, rule_id: body.ruleId };
	await postOnce(ctx, 'review/rule/delete', json, options, verify);
}
