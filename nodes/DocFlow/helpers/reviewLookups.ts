import type { IDataObject, IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import type { ReviewRule, ReviewRuleGroup, ReviewRuleRepo, ReviewTaskResult } from '../transport/api.types';
import { findReviewRuleOutcome } from './reviewSimplify';
import { getReviewTaskResult } from '../transport/endpoints/reviewTasks';
import { getRuleRepo, listAllRuleRepos } from '../transport/endpoints/reviewRules';
import type { CallOptions } from '../transport/requestKinds';
import { DocflowApiError, itemError } from '../transport/errors';
import type { VerifiedSend } from '../transport/sendVerified';
import { withItemIndex } from './itemErrors';

/**
 * Finding a rule repository, group, rule or review task before working on it, so that a wrong
 * ID gets an error that names the thing, the workspace and where to find the right ID, instead
 * of DocFlow's bare refusal, and nothing is sent for it.
 */

/** Codes that say something about the account or DocFlow, never about the thing looked up. */
const NOT_ABOUT_THE_THING = new Set([40101, 40102, 40103, 40301, 40003, 900]);

/**
 * DocFlow refused a read by ID with a business code of its own (not the credential, the
 * enterprise, the balance, a busy DocFlow or the workspace): the thing is not there as asked.
 * DocFlow's own code and message still go into the error the caller builds.
 */
export function isRefusedLookup(error: unknown): error is DocflowApiError {
	if (!(error instanceof DocflowApiError)) return false;
	const failure = error.docflow;
	return (
		failure.httpStatus === 200 &&
		failure.code !== undefined &&
		!NOT_ABOUT_THE_THING.has(failure.code) &&
		!/workspace|工作空间|空间/i.test(failure.msg ?? '')
	);
}

/** What DocFlow said, for an error the node words itself. */
function docflowSaid(refusal?: DocflowApiError): { said: string; context: IDataObject } {
	if (!refusal) return { said: '', context: {} };
	const { code, msg, traceId } = refusal.docflow;
	return {
		said: ` (DocFlow code ${code}${msg ? `, “${msg}”` : ''}${traceId ? `, trace ID ${traceId}` : ''})`,
		context: { docflowCode: code, docflowMessage: msg, traceId },
	};
}

export function ruleRepoNotFound(
	ctx: IExecuteFunctions,
	workspaceId: string,
	repoId: string,
	itemIndex: number,
	refusal?: DocflowApiError,
): NodeOperationError {
	const { said, context } = docflowSaid(refusal);
	return itemError(ctx.getNode(), `Rule repository ${repoId} was not found in workspace ${workspaceId}${said}`, {
		itemIndex,
		description:
			'Pick the rule repository From List, or check its ID: Rule Repository → Get Many lists every repository of the workspace with its repo_id. It may have been deleted, or belong to another workspace.',
		context,
	});
}

/** The repository with its groups and rules; undefined when DocFlow does not have it. */
export async function findRuleRepo(
	ctx: IExecuteFunctions,
	workspaceId: string,
	repoId: string,
	options: CallOptions,
): Promise<{ repo?: ReviewRuleRepo; refusal?: DocflowApiError }> {
	try {
		const repo = await getRuleRepo(ctx, { workspaceId, repoId }, options);
		return { repo: repo && typeof repo === 'object' ? repo : undefined };
	} catch (error) {
		if (isRefusedLookup(error)) return { refusal: error };
		throw withItemIndex(ctx.getNode(), error as Error, options.itemIndex ?? 0);
	}
}

export async function requireRuleRepo(
	ctx: IExecuteFunctions,
	workspaceId: string,
	repoId: string,
	options: CallOptions & { itemIndex: number },
): Promise<ReviewRuleRepo> {
	const { repo, refusal } = await findRuleRepo(ctx, workspaceId, repoId, options);
	if (!repo) throw ruleRepoNotFound(ctx, workspaceId, repoId, options.itemIndex, refusal);
	return repo;
}

/** Whether the workspace's list still shows the repository (what a lost delete is checked with). */
export async function ruleRepoListed(
	ctx: IExecuteFunctions,
	workspaceId: string,
	repoId: string,
	options: CallOptions,
): Promise<boolean> {
	const repos = await listAllRuleRepos(ctx, workspaceId, options);
	return repos.some((repo) => String(repo.repo_id) === repoId);
}

/**
 * The check of a group's or a rule's delete after a lost answer: gone from the repository means
 * the delete arrived; still there, DocFlow did not do it, so it is sent again.
 */
export function goneFromRepo(
	ctx: IExecuteFunctions,
	workspaceId: string,
	repoId: string,
	options: CallOptions & { itemIndex: number },
	isThere: (repo: ReviewRuleRepo) => unknown,
): VerifiedSend['verify'] {
	return async () => (isThere(await requireRuleRepo(ctx, workspaceId, repoId, options)) ? 'resend' : 'received');
}

export function groupsOf(repo: ReviewRuleRepo): ReviewRuleGroup[] {
	return Array.isArray(repo.groups) ? repo.groups.filter((g) => g && typeof g === 'object') : [];
}

export function rulesOf(group: ReviewRuleGroup): ReviewRule[] {
	return Array.isArray(group.rules) ? group.rules.filter((r) => r && typeof r === 'object') : [];
}

export function findGroup(repo: ReviewRuleRepo, groupId: string): ReviewRuleGroup | undefined {
	return groupsOf(repo).find((group) => String(group.group_id) === groupId);
}

export function requireGroup(
	ctx: IExecuteFunctions,
	repo: ReviewRuleRepo,
	groupId: string,
	itemIndex: number,
): ReviewRuleGroup {
	const group = findGroup(repo, groupId);
	if (group) return group;
	const names = groupsOf(repo).map((g) => `“${g.name}” (${g.group_id})`);
	throw itemError(ctx.getNode(), `Rule group ${groupId} is not in rule repository ${repo.repo_id} (“${repo.name}”)`, {
		itemIndex,
		description: names.length
			? `Pick the group From List. The repository’s groups: ${names.join(', ')}.`
			: 'The repository has no rule groups yet: create one with Rule Group → Create.',
	});
}

export function findRule(
	repo: ReviewRuleRepo,
	ruleId: string,
): { group: ReviewRuleGroup; rule: ReviewRule } | undefined {
	for (const group of groupsOf(repo)) {
		const rule = rulesOf(group).find((r) => String(r.rule_id) === ruleId);
		if (rule) return { group, rule };
	}
	return undefined;
}

export function requireRule(
	ctx: IExecuteFunctions,
	repo: ReviewRuleRepo,
	ruleId: string,
	itemIndex: number,
): { group: ReviewRuleGroup; rule: ReviewRule } {
	const found = findRule(repo, ruleId);
	if (found) return found;
	throw itemError(ctx.getNode(), `Rule ${ruleId} is not in rule repository ${repo.repo_id} (“${repo.name}”)`, {
		itemIndex,
		description:
			'Pick the rule From List (it lists every rule of the repository with its group), or check the ID: Rule Repository → Get shows each rule’s rule_id.',
	});
}

export function reviewTaskNotFound(
	ctx: IExecuteFunctions,
	workspaceId: string,
	taskId: string,
	itemIndex: number,
	refusal?: DocflowApiError,
): NodeOperationError {
	const { said, context } = docflowSaid(refusal);
	return itemError(ctx.getNode(), `Review task ${taskId} was not found in workspace ${workspaceId}${said}`, {
		itemIndex,
		description:
			'Check the Review Task ID: Submit outputs it as task_id. It is not an extraction task ID (those come from Upload), and it may have been deleted or belong to another workspace.',
		context,
	});
}

/** The review task's result; undefined when DocFlow does not have the task. */
export async function findReviewTask(
	ctx: IExecuteFunctions,
	workspaceId: string,
	taskId: string,
	options: CallOptions & { withTaskDetailUrl?: boolean },
): Promise<{ task?: ReviewTaskResult; refusal?: DocflowApiError }> {
	try {
		const task = await getReviewTaskResult(
			ctx,
			{ workspaceId, taskId, withTaskDetailUrl: options.withTaskDetailUrl },
			options,
		);
		return { task: task && typeof task === 'object' ? task : undefined };
	} catch (error) {
		if (isRefusedLookup(error)) return { refusal: error };
		throw withItemIndex(ctx.getNode(), error as Error, options.itemIndex ?? 0);
	}
}

export async function requireReviewTask(
	ctx: IExecuteFunctions,
	workspaceId: string,
	taskId: string,
	options: CallOptions & { itemIndex: number; withTaskDetailUrl?: boolean },
): Promise<ReviewTaskResult> {
	const { task, refusal } = await findReviewTask(ctx, workspaceId, taskId, options);
	if (!task) throw reviewTaskNotFound(ctx, workspaceId, taskId, options.itemIndex, refusal);
	return task;
}

/** The rule's outcome in the task, or an error listing the rules the task has. */
export function requireRuleInTask(
	ctx: IExecuteFunctions,
	task: ReviewTaskResult,
	ruleId: string,
	itemIndex: number,
) {
	const found = findReviewRuleOutcome(task, ruleId);
	if (found) return found;
	const rules = (task.groups ?? []).flatMap((g) => g?.review_tasks ?? []).map((r) => `“${r?.rule_name}” (${r?.rule_id})`);
	throw itemError(ctx.getNode(), `Rule ${ruleId} was not reviewed in review task ${task.task_id}`, {
		itemIndex,
		description: rules.length
			? `Pick the rule From List (it lists the rules of this review task). The task reviewed: ${rules.join(', ')}.`
			: 'No rule of the repository applied to these documents (a rule applies when all its categories are among the documents’ categories), so there is no rule to retry.',
	});
}
