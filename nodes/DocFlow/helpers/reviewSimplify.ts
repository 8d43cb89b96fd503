import type { IDataObject } from 'n8n-workflow';

import { REVIEW_STATUSES, RISK_LEVELS, entryOf } from '../transport/api.types';
import type { ReviewRuleOutcome, ReviewRuleRepo, ReviewTaskResult } from '../transport/api.types';

/** A review status (task or rule) as one word to route on: approved, rejected, failed… */
export function reviewStatusWord(code: unknown): string {
	return entryOf(REVIEW_STATUSES, code)?.word ?? 'unknown';
}

export function reviewStatusName(code: unknown): string {
	return entryOf(REVIEW_STATUSES, code)?.name ?? `status ${String(code)}`;
}

export function isFinalReviewStatus(code: unknown): boolean {
	return entryOf(REVIEW_STATUSES, code)?.final === true;
}

function riskWord(code: unknown): string | null {
	return entryOf(RISK_LEVELS, code)?.word ?? null;
}

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : JSON.stringify(value);
}

function list<T>(value: unknown): T[] {
	return Array.isArray(value) ? (value.filter((v) => v !== null && v !== undefined) as T[]) : [];
}

function ids(value: unknown): string[] {
	return list<unknown>(value).map((id) => text(id));
}

/** Every rule outcome of a result with its group, in DocFlow's order. */
export function ruleOutcomes(
	result: ReviewTaskResult,
): Array<{ groupId: string; groupName: string; outcome: ReviewRuleOutcome }> {
	return list<NonNullable<ReviewTaskResult['groups']>[number]>(result?.groups).flatMap((group) =>
		list<ReviewRuleOutcome>(group.review_tasks)
			.filter((outcome) => typeof outcome === 'object')
			.map((outcome) => ({ groupId: text(group.group_id), groupName: text(group.group_name), outcome })),
	);
}

export function findReviewRuleOutcome(result: ReviewTaskResult, ruleId: string) {
	return ruleOutcomes(result).find(({ outcome }) => text(outcome.rule_id) === ruleId);
}

/**
 * A review task's result as one flat item: the overall status as a word (approved, rejected,
 * failed, …) to route on, the counts, and one entry per rule with its verdict and reasoning
 * beside its rule and group names. Anchors (positions in the documents) stay in the raw result.
 */
export function simplifyReviewResult(result: ReviewTaskResult, workspaceId: string): IDataObject {
	const statistics = (result?.statistics ?? {}) as NonNullable<ReviewTaskResult['statistics']>;
	const rules = ruleOutcomes(result).map(({ groupId, groupName, outcome }) => {
		const rule: IDataObject = {
			group_id: groupId,
			group_name: groupName,
			rule_id: text(outcome.rule_id),
			rule_name: text(outcome.rule_name),
			verdict: reviewStatusWord(outcome.review_result),
			verdict_code: typeof outcome.review_result === 'number' ? outcome.review_result : null,
			risk_level: riskWord(outcome.risk_level),
			reasoning: text(outcome.reasoning),
		};
		if (outcome.audit_result === 0 || outcome.audit_result === 1) {
			rule.manual_review = outcome.audit_result === 1 ? 'passed' : 'failed';
			if (outcome.audit_message) rule.manual_review_comment = text(outcome.audit_message);
		}
		return rule;
	});
	const out: IDataObject = {
		workspace_id: workspaceId,
		task_id: text(result?.task_id),
		task_name: text(result?.task_name),
		status: reviewStatusWord(result?.status),
		status_code: typeof result?.status === 'number' ? result.status : null,
		status_name: entryOf(REVIEW_STATUSES, result?.status)?.name ?? 'Unknown',
		rule_repo_id: text(result?.rule_repo?.repo_id),
		rule_repo_name: text(result?.rule_repo?.name),
		extract_task_ids: ids(result?.extract_task_ids),
		pass_count: statistics.pass_count ?? null,
		failure_count: statistics.failure_count ?? null,
		error_count: statistics.error_count ?? null,
		not_triggered_count: statistics.not_triggered_count ?? null,
		rejected_rules: rules.filter((r) => r.verdict === 'rejected').map((r) => r.rule_name as string),
		rules,
	};
	if (result?.model) out.model = text(result.model);
	if (result?.task_detail_url) out.task_detail_url = text(result.task_detail_url);
	return out;
}

/**
 * A rule repository as one item: its groups by name, and every rule in one flat list with its
 * group's name and its risk level as a word (the raw answer nests rules in groups and carries
 * the referenced fields' IDs).
 */
export function simplifyRuleRepo(repo: ReviewRuleRepo, workspaceId: string): IDataObject {
	const groups = list<NonNullable<ReviewRuleRepo['groups']>[number]>(repo?.groups).filter(
		(group) => typeof group === 'object',
	);
	const rules = groups.flatMap((group) =>
		list<IDataObject>(group.rules).map((rule) => ({
			group_id: text(group.group_id),
			group_name: text(group.name),
			rule_id: text(rule.rule_id),
			rule_name: text(rule.name),
			prompt: text(rule.prompt),
			risk_level: riskWord(rule.risk_level),
			category_ids: ids(rule.category_ids),
		})),
	);
	return {
		workspace_id: workspaceId,
		repo_id: text(repo?.repo_id),
		name: text(repo?.name),
		category_ids: ids(repo?.category_ids),
		group_count: groups.length,
		rule_count: rules.length,
		groups: groups.map((group) => ({ group_id: text(group.group_id), name: text(group.name) })),
		rules,
	};
}
