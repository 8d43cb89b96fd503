import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { REVIEW_LIMITS, RISK_LEVELS, entryOf } from '../transport/api.types';
import type { ReviewRuleRepo } from '../transport/api.types';
import { groupsOf } from '../helpers/reviewLookups';
import { reviewStatusName } from '../helpers/reviewSimplify';
import { listCategories } from '../transport/endpoints/category';
import { getReviewTaskResult } from '../transport/endpoints/reviewTasks';
import { getRuleRepo, listRuleRepos } from '../transport/endpoints/reviewRules';
import { PICKER_RETRY } from './pickerRetry';

/** A parameter the picker depends on, as a plain value (an expression cannot be resolved here). */
function chosen(ctx: ILoadOptionsFunctions, parameter: string, what: string, hint: string): string {
	const value = String(ctx.getCurrentNodeParameter(parameter, { extractValue: true }) ?? '').trim();
	if (value === '' || value.startsWith('=')) {
		throw new NodeOperationError(ctx.getNode(), `Choose ${what} first`, { description: hint });
	}
	return value;
}

const workspaceOf = (ctx: ILoadOptionsFunctions) =>
	chosen(ctx, 'workspace', 'a workspace', 'Rule repositories and review tasks belong to a workspace. Pick the Workspace above, or give this value By ID.');

const repoOf = (ctx: ILoadOptionsFunctions) =>
	chosen(ctx, 'ruleRepository', 'a rule repository', 'Rule groups and rules belong to a rule repository. Pick the Rule Repository above, or give this value By ID.');

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function matches(needle: string | undefined, ...values: unknown[]): boolean {
	return !needle || values.some((value) => String(value ?? '').toLowerCase().includes(needle));
}

async function repoOfNode(ctx: ILoadOptionsFunctions): Promise<ReviewRuleRepo> {
	const repo = await getRuleRepo(ctx, { workspaceId: workspaceOf(ctx), repoId: repoOf(ctx) }, { retry: PICKER_RETRY });
	return repo ?? { repo_id: '' };
}

/** Rule Repository “From List”: the workspace's repositories, page by page, searchable by name or ID. */
async function searchRuleRepositories(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const workspaceId = workspaceOf(this);
	const page = paginationToken ? Number(paginationToken) : 1;
	const pageSize = REVIEW_LIMITS.listPageSize;
	const result = await listRuleRepos(this, { workspaceId, page, pageSize }, { retry: PICKER_RETRY });
	const repos = Array.isArray(result?.repos) ? result.repos.filter((r) => r && typeof r === 'object') : [];
	const needle = filter?.trim().toLowerCase();
	const total = typeof result?.total === 'number' ? result.total : 0;
	return {
		results: repos
			.filter((repo) => matches(needle, repo.name, repo.repo_id))
			.map((repo) => {
				const rules = groupsOf(repo).reduce((n, g) => n + (Array.isArray(g.rules) ? g.rules.length : 0), 0);
				return {
					name: String(repo.name ?? repo.repo_id),
					value: String(repo.repo_id),
					description: `${plural(groupsOf(repo).length, 'group')}, ${plural(rules, 'rule')}`,
				};
			}),
		paginationToken: page * pageSize < total && repos.length > 0 ? String(page + 1) : undefined,
	};
}

/** Rule Group “From List”: the chosen repository's groups. */
async function searchRuleGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const repo = await repoOfNode(this);
	const needle = filter?.trim().toLowerCase();
	return {
		results: groupsOf(repo)
			.filter((group) => matches(needle, group.name, group.group_id))
			.map((group) => ({
				name: String(group.name ?? group.group_id),
				value: String(group.group_id),
				description: plural(Array.isArray(group.rules) ? group.rules.length : 0, 'rule'),
			})),
	};
}

/** Rule “From List”: every rule of the chosen repository, with its group and risk level. */
async function searchRules(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const repo = await repoOfNode(this);
	const needle = filter?.trim().toLowerCase();
	return {
		results: groupsOf(repo).flatMap((group) =>
			(Array.isArray(group.rules) ? group.rules : [])
				.filter((rule) => rule && typeof rule === 'object' && matches(needle, rule.name, rule.rule_id, group.name))
				.map((rule) => ({
					name: String(rule.name ?? rule.rule_id),
					value: String(rule.rule_id),
					description: [`Group: ${group.name}`, entryOf(RISK_LEVELS, rule.risk_level)?.name]
						.filter(Boolean)
						.join(' · '),
				})),
		),
	};
}

/** Retry Rule's “From List”: the rules the chosen review task reviewed, with their verdicts. */
async function searchReviewTaskRules(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const workspaceId = workspaceOf(this);
	const taskId = chosen(
		this,
		'reviewTaskId',
		'the review task',
		'Enter the Review Task ID above as a value (an expression is only known when the workflow runs) to list its rules, or give the rule By ID.',
	);
	const result = await getReviewTaskResult(this, { workspaceId, taskId }, { retry: PICKER_RETRY });
	const needle = filter?.trim().toLowerCase();
	const groups = Array.isArray(result?.groups) ? result.groups.filter((g) => g && typeof g === 'object') : [];
	return {
		results: groups.flatMap((group) =>
			(Array.isArray(group.review_tasks) ? group.review_tasks : [])
				.filter((rule) => rule && typeof rule === 'object' && matches(needle, rule.rule_name, rule.rule_id, group.group_name))
				.map((rule) => ({
					name: String(rule.rule_name ?? rule.rule_id),
					value: String(rule.rule_id),
					description: `Group: ${group.group_name} · ${reviewStatusName(rule.review_result)}`,
				})),
		),
	};
}

/** A rule's categories: the workspace's enabled file categories, by ID (what category_ids takes). */
async function getReviewCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const workspaceId = workspaceOf(this);
	const options: INodePropertyOptions[] = [];
	const pageSize = 100;
	for (let page = 1; page <= 20; page++) {
		const result = await listCategories(this, { workspaceId, page, pageSize, enabled: '1' }, PICKER_RETRY);
		const categories = Array.isArray(result?.categories) ? result.categories : [];
		for (const category of categories) {
			options.push({ name: category.name, value: String(category.id), description: category.description });
		}
		if (categories.length < pageSize || options.length >= (result?.total ?? 0)) break;
	}
	return options;
}

/** Rule → Update's “Move to Rule Group”: the chosen repository's groups, by ID. */
async function getRuleGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const repo = await repoOfNode(this);
	return groupsOf(repo).map((group) => ({ name: String(group.name ?? group.group_id), value: String(group.group_id) }));
}

/** The pickers of the Review resources (rule repositories, rule groups, rules, a review task's rules). */
export const listSearch = { searchRuleRepositories, searchRuleGroups, searchRules, searchReviewTaskRules };
export const loadOptions = { getReviewCategories, getRuleGroups };
