/** The Review resources' shapes (rule repositories, groups, rules, review tasks). */

// ---------- Review (review/rule_repo/…, review/rule_group/…, review/rule/…, review/task/…) ----------

/** ReviewRuleField: one extracted field a rule reads. */
export interface ReviewRuleField {
	field_id?: string;
	field_name?: string;
}

/** ReviewRuleReferencedField: the fields (and table columns) of one category a rule reads. */
export interface ReviewRuleReferencedField {
	category_id?: string;
	category_name?: string;
	fields?: ReviewRuleField[];
	tables?: Array<{ table_id?: string; table_name?: string; fields?: ReviewRuleField[] }>;
}

/** ReviewRule, as rule_repo/get and rule_repo/list return it inside its group. */
export interface ReviewRule {
	rule_id: string;
	name?: string;
	prompt?: string;
	category_ids?: string[];
	risk_level?: number;
	referenced_fields?: ReviewRuleReferencedField[];
	[key: string]: unknown;
}

export interface ReviewRuleGroup {
	group_id: string;
	name?: string;
	rules?: ReviewRule[];
	[key: string]: unknown;
}

/** ReviewRuleRepo: a rule repository with its groups and their rules. */
export interface ReviewRuleRepo {
	/** A string here; rule_repo/create answers it as an integer (the spec types it so). */
	repo_id: string;
	name?: string;
	groups?: ReviewRuleGroup[];
	category_ids?: string[];
	[key: string]: unknown;
}

export interface ReviewRuleRepoListResult {
	repos: ReviewRuleRepo[];
	total: number;
	page: number;
	page_size: number;
}

/** One rule's outcome inside a review task result (groups[].review_tasks[]). */
export interface ReviewRuleOutcome {
	rule_task_id?: string;
	rule_id?: string;
	rule_name?: string;
	risk_level?: number;
	prompt?: string;
	review_result?: number;
	reasoning?: string;
	anchors?: Array<Record<string, unknown>>;
	/** Manual review on DocFlow's page: 0 failed, 1 passed. */
	audit_result?: number;
	audit_message?: string;
	[key: string]: unknown;
}

/** review/task/result: the review task, its overall status and every rule's outcome by group. */
export interface ReviewTaskResult {
	task_id: string;
	task_name?: string;
	task_detail_url?: string;
	status?: number;
	rule_repo?: { repo_id?: string; name?: string };
	extract_task_ids?: string[];
	statistics?: { pass_count?: number; failure_count?: number; error_count?: number; not_triggered_count?: number };
	groups?: Array<{ group_id?: string; group_name?: string; review_tasks?: ReviewRuleOutcome[] }>;
	model?: string;
	[key: string]: unknown;
}

export interface ReviewTaskSubmitResult {
	task_id: string;
	model?: string;
}

/**
 * ReviewTaskStatus: a review task's overall status and each rule's review_result. DocFlow's
 * name, one word to route on (Switch, IF), and whether DocFlow is done with it. 4 (Rejected) is
 * a verdict: final, although one guide's polling example keeps waiting on it.
 */
export const REVIEW_STATUSES: Record<number, { name: string; word: string; final: boolean }> = {
	0: { name: 'Pending', word: 'pending', final: false },
	1: { name: 'Approved', word: 'approved', final: true },
	2: { name: 'Review Failed', word: 'failed', final: true },
	3: { name: 'Reviewing', word: 'reviewing', final: false },
	4: { name: 'Rejected', word: 'rejected', final: true },
	5: { name: 'Recognizing', word: 'recognizing', final: false },
	6: { name: 'In Queue', word: 'queued', final: false },
	7: { name: 'Recognition Failed', word: 'recognition_failed', final: true },
};

export const REVIEW_APPROVED = 1;
export const REVIEW_FAILED = 2;
export const REVIEW_REJECTED = 4;
export const REVIEW_RECOGNITION_FAILED = 7;

/** RiskLevel: 10 high, 20 medium, 30 low. */
export const RISK_LEVELS: Record<number, { name: string; word: string }> = {
	10: { name: 'High Risk', word: 'high' },
	20: { name: 'Medium Risk', word: 'medium' },
	30: { name: 'Low Risk', word: 'low' },
};

/** The review models review/task/submit takes (spec); empty: the repository's default. */
export const REVIEW_MODELS = ['deepseek-v4-pro', 'ORM-O1', 'qwen3.6-plus', 'qwen3.7-max'] as const;

/** Limits of the spec's review bodies. */
export const REVIEW_LIMITS = {
	repoNameMaxLength: 30,
	groupNameMaxLength: 30,
	taskNameMaxLength: 100,
	listPageSize: 50,
} as const;
