// review/… : rule repositories → rule groups → rules, and review tasks that apply a repository's
// rules to extraction tasks, progressing over the store's virtual clock.
//
// Verdicts are decided by the rule's prompt: one containing "fail" cannot be reviewed on its first
// attempt (review_result 2, so the task is "Review failed" until retried), one containing "reject"
// is not passed (4, the task "Rejected"), any other is approved (1). A rule applies when all its
// category_ids are among the categories of the reviewed documents (none: it always applies);
// rules that do not apply count as not triggered.
import { randomInt } from 'node:crypto';

import { BizError, bad, intParam } from '../params.ts';
import type { Ctx } from '../params.ts';
import { FINAL_STATUSES, STATUS } from '../state.ts';
import type { TaskRec } from '../state.ts';
import type { EmulatorWorkspace } from '../types.ts';
import type { RouteEnv, Routes } from './env.ts';

export const REVIEW_MSG = {
	REPO_NOT_FOUND: '规则库不存在',
	GROUP_NOT_FOUND: '规则组不存在',
	RULE_NOT_FOUND: '规则不存在',
	TASK_NOT_FOUND: '审核任务不存在',
	EXTRACT_TASK_NOT_FOUND: '抽取任务不存在',
	EXTRACT_TASK_UNFINISHED: '抽取任务未完成，暂不支持审核',
	EXTRACT_TASK_NOT_EXTRACTED: '抽取任务未抽取成功，暂不支持审核',
	BATCH_EMPTY: '批次中没有可审核的任务',
	REVIEW_RUNNING: '审核任务进行中，暂不支持重试',
	RULE_NOT_IN_TASK: '该规则不在审核任务中',
};

/** The spec's review models; the deprecated ones map to their replacements (spec, submit.model). */
const MODELS = ['deepseek-v4-pro', 'qwen3.6-plus', 'qwen3.7-max', 'ORM-O1'];
const DEPRECATED_MODELS: Record<string, string> = {
	'deepseek-r1': 'deepseek-v4-pro',
	'qwq-32b': 'qwen3.6-plus',
	'qwen3-max': 'qwen3.7-max',
};
const DEFAULT_MODEL = 'deepseek-v4-pro';
const RISK_LEVELS = [10, 20, 30];
const FINAL = [1, 2, 4, 7];

interface RuleRec {
	ruleId: string;
	name: string;
	prompt: string;
	categoryIds: string[];
	riskLevel?: number;
	referencedFields: unknown[];
}

interface GroupRec {
	groupId: string;
	name: string;
	rules: RuleRec[];
}

interface RepoRec {
	repoId: string;
	workspaceId: string;
	name: string;
	groups: GroupRec[];
}

interface RuleRun {
	ruleTaskId: string;
	ruleId: string;
	groupId: string;
	groupName: string;
	rule: RuleRec;
	attempts: number;
	startedAt: number;
	/** the store's step time when the run started: a run keeps its pace when a test changes it */
	stepMs: number;
	/** statuses before the verdict, one per step of virtual time */
	path: number[];
	verdict: 1 | 2 | 4;
	reasoning: string;
	anchors: Array<Record<string, unknown>>;
}

interface ReviewTaskRec {
	taskId: string;
	workspaceId: string;
	name: string;
	repoId: string;
	repoName: string;
	extractTaskIds: string[];
	model: string;
	startedAt: number;
	stepMs: number;
	runs: RuleRun[];
	notTriggered: number;
	/** groups in the repository's order at submission, for the result */
	groupOrder: Array<{ groupId: string; groupName: string }>;
}

let idCounter = 310_000_000_000_000 + randomInt(0, 1_000_000) * 1000;
/** 15 digits: an integer JavaScript holds exactly (the spec types repo_id as an integer). */
function newReviewId(): string {
	idCounter += 1 + randomInt(0, 97);
	return String(idCounter);
}

/**
 * The body again, with integers above 2^53 kept exact as digit strings (a Java server reads a
 * long exactly; JavaScript's JSON.parse would round it).
 */
function bodyOf(ctx: Ctx): Record<string, unknown> {
	if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
	let body: unknown = ctx.json;
	try {
		body = JSON.parse(ctx.body.toString('utf8'), (_key, value, context?: { source?: string }) =>
			typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source
				? { bigInteger: context.source }
				: value,
		);
	} catch {
		// already reported through ctx.jsonError
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('workspace_id is required');
	return body as Record<string, unknown>;
}

const missing = (v: unknown) => v === undefined || v === null || v === '';

/** An ID the spec types as an integer: a JSON integer, or its digits as a string (as a Java backend coerces). */
function intId(b: Record<string, unknown>, name: string): string {
	const v = b[name];
	if (missing(v)) throw bad(`${name} is required`);
	return intValue(v, name);
}

function intValue(v: unknown, name: string): string {
	if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return String(v);
	if (v && typeof v === 'object' && 'bigInteger' in v) return String((v as { bigInteger: string }).bigInteger);
	if (typeof v === 'string' && /^\d+$/.test(v)) return v;
	throw bad(`invalid ${name}: must be an integer`);
}

/** An ID the spec types as a string (an integer is taken as its digits). */
function strId(b: Record<string, unknown>, name: string): string {
	const v = b[name];
	if (missing(v)) throw bad(`${name} is required`);
	if (typeof v === 'number' && Number.isInteger(v)) return String(v);
	if (v && typeof v === 'object' && 'bigInteger' in v) return String((v as { bigInteger: string }).bigInteger);
	if (typeof v !== 'string') throw bad(`invalid ${name}: must be a string`);
	return v;
}

function text(b: Record<string, unknown>, name: string, { required = false, max }: { required?: boolean; max?: number }): string | undefined {
	const v = b[name];
	if (v === undefined || v === null) {
		if (required) throw bad(`${name} is required`);
		return undefined;
	}
	if (typeof v !== 'string') throw bad(`invalid ${name}: must be a string`);
	if (required && v.trim() === '') throw bad(`${name} is required`);
	if (max !== undefined && [...v].length > max) throw bad(`invalid ${name}: length must be at most ${max}`);
	return v;
}

function stringList(b: Record<string, unknown>, name: string, { required = false }: { required?: boolean } = {}): string[] | undefined {
	const v = b[name];
	if (v === undefined || v === null) {
		if (required) throw bad(`${name} is required`);
		return undefined;
	}
	if (!Array.isArray(v)) throw bad(`invalid ${name}: must be an array`);
	if (required && v.length === 0) throw bad(`${name} is required`);
	return v.map((item) => {
		if (typeof item === 'number' && Number.isInteger(item)) return String(item);
		if (item && typeof item === 'object' && 'bigInteger' in item) return String((item as { bigInteger: string }).bigInteger);
		if (typeof item !== 'string' || item === '') throw bad(`invalid ${name}: items must be strings`);
		return item;
	});
}

/** ReviewRuleReferencedField[]: category_id, optional fields and tables (each with its IDs). */
function referencedFields(v: unknown): unknown[] {
	if (v === undefined || v === null) return [];
	if (!Array.isArray(v)) throw bad('invalid referenced_fields: must be an array');
	const fieldList = (list: unknown, where: string) => {
		if (list === undefined || list === null) return;
		if (!Array.isArray(list)) throw bad(`invalid ${where}: must be an array`);
		for (const f of list) {
			if (!f || typeof f !== 'object' || typeof (f as Record<string, unknown>).field_id !== 'string')
				throw bad(`invalid ${where}: every field needs a field_id string`);
		}
	};
	for (const entry of v) {
		if (!entry || typeof entry !== 'object' || typeof (entry as Record<string, unknown>).category_id !== 'string')
			throw bad('invalid referenced_fields: every entry needs a category_id string');
		const e = entry as Record<string, unknown>;
		fieldList(e.fields, 'referenced_fields.fields');
		if (e.tables !== undefined && e.tables !== null) {
			if (!Array.isArray(e.tables)) throw bad('invalid referenced_fields.tables: must be an array');
			for (const t of e.tables) {
				if (!t || typeof t !== 'object' || typeof (t as Record<string, unknown>).table_id !== 'string')
					throw bad('invalid referenced_fields.tables: every table needs a table_id string');
				fieldList((t as Record<string, unknown>).fields, 'referenced_fields.tables.fields');
			}
		}
	}
	return structuredClone(v);
}

export function reviewRoutes({ store, requireWorkspace, baseUrl, onReset }: RouteEnv): Routes {
	const repos: RepoRec[] = [];
	const tasks = new Map<string, ReviewTaskRec>();
	onReset(() => {
		repos.length = 0;
		tasks.clear();
	});

	// ---------- lookups ----------
	const repoIn = (ws: EmulatorWorkspace, repoId: string): RepoRec => {
		const repo = repos.find((r) => r.workspaceId === ws.workspace_id && r.repoId === repoId);
		if (!repo) throw new BizError(40004, REVIEW_MSG.REPO_NOT_FOUND);
		return repo;
	};
	const groupIn = (ws: EmulatorWorkspace, groupId: string): { repo: RepoRec; group: GroupRec } => {
		for (const repo of repos.filter((r) => r.workspaceId === ws.workspace_id)) {
			const group = repo.groups.find((g) => g.groupId === groupId);
			if (group) return { repo, group };
		}
		throw new BizError(40004, REVIEW_MSG.GROUP_NOT_FOUND);
	};
	const ruleIn = (ws: EmulatorWorkspace, ruleId: string): { repo: RepoRec; group: GroupRec; rule: RuleRec } => {
		for (const repo of repos.filter((r) => r.workspaceId === ws.workspace_id)) {
			for (const group of repo.groups) {
				const rule = group.rules.find((r) => r.ruleId === ruleId);
				if (rule) return { repo, group, rule };
			}
		}
		throw new BizError(40004, REVIEW_MSG.RULE_NOT_FOUND);
	};
	const taskIn = (ws: EmulatorWorkspace, taskId: string): ReviewTaskRec => {
		const task = tasks.get(taskId);
		if (!task || task.workspaceId !== ws.workspace_id) throw new BizError(40004, REVIEW_MSG.TASK_NOT_FOUND);
		return task;
	};

	// ---------- rendering ----------
	const renderRule = (rule: RuleRec) => {
		const out: Record<string, unknown> = {
			rule_id: rule.ruleId,
			name: rule.name,
			prompt: rule.prompt,
			category_ids: [...rule.categoryIds],
		};
		if (rule.riskLevel !== undefined) out.risk_level = rule.riskLevel;
		out.referenced_fields = structuredClone(rule.referencedFields);
		return out;
	};
	const renderRepo = (repo: RepoRec) => ({
		repo_id: repo.repoId,
		name: repo.name,
		category_ids: [...new Set(repo.groups.flatMap((g) => g.rules.flatMap((r) => r.categoryIds)))],
		groups: repo.groups.map((g) => ({ group_id: g.groupId, name: g.name, rules: g.rules.map(renderRule) })),
	});

	// ---------- rule repositories ----------
	function handleRepoCreate(ctx: Ctx): Record<string, unknown> {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const name = text(b, 'name', { required: true, max: 30 })!;
		const repo: RepoRec = { repoId: newReviewId(), workspaceId: ws.workspace_id, name, groups: [] };
		repos.push(repo);
		// The spec types the new repo_id as an integer here (a string everywhere else).
		return { repo_id: Number(repo.repoId) };
	}

	function handleRepoList(ctx: Ctx): Record<string, unknown> {
		const ws = requireWorkspace(ctx, ctx.query.workspace_id);
		const page = intParam(ctx.query, 'page', 1, 1, 1_000_000);
		const pageSize = intParam(ctx.query, 'page_size', 10, 1, 100);
		const all = repos.filter((r) => r.workspaceId === ws.workspace_id);
		return {
			repos: all.slice((page - 1) * pageSize, page * pageSize).map(renderRepo),
			total: all.length,
			page,
			page_size: pageSize,
		};
	}

	function handleRepoGet(ctx: Ctx): Record<string, unknown> {
		const ws = requireWorkspace(ctx, ctx.query.workspace_id);
		if (missing(ctx.query.repo_id)) throw bad('repo_id is required');
		return renderRepo(repoIn(ws, ctx.query.repo_id));
	}

	function handleRepoUpdate(ctx: Ctx): undefined {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const repoId = intId(b, 'repo_id');
		const name = text(b, 'name', { max: 30 });
		if (name !== undefined && name.trim() === '') throw bad('invalid name: must not be empty');
		const repo = repoIn(ws, repoId);
		if (name !== undefined) repo.name = name;
		return undefined;
	}

	function handleRepoDelete(ctx: Ctx): undefined {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		if (missing(b.repo_ids)) throw bad('repo_ids is required');
		if (!Array.isArray(b.repo_ids) || b.repo_ids.length === 0) throw bad('invalid repo_ids: must be a non-empty array');
		const ids = b.repo_ids.map((v) => intValue(v, 'repo_ids'));
		// All or nothing: every repository is checked before any is deleted.
		const doomed = ids.map((id) => repoIn(ws, id));
		for (const repo of doomed) repos.splice(repos.indexOf(repo), 1);
		return undefined;
	}

	// ---------- rule groups ----------
	function handleGroupCreate(ctx: Ctx): Record<string, unknown> {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const repoId = intId(b, 'repo_id');
		const name = text(b, 'name', { required: true, max: 30 })!;
		const repo = repoIn(ws, repoId);
		const group: GroupRec = { groupId: newReviewId(), name, rules: [] };
		repo.groups.push(group);
		return { group_id: group.groupId };
	}

	function handleGroupUpdate(ctx: Ctx): undefined {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const groupId = strId(b, 'group_id');
		const name = text(b, 'name', { max: 30 });
		if (name !== undefined && name.trim() === '') throw bad('invalid name: must not be empty');
		const { group } = groupIn(ws, groupId);
		if (name !== undefined) group.name = name;
		return undefined;
	}

	function handleGroupDelete(ctx: Ctx): undefined {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const { repo, group } = groupIn(ws, strId(b, 'group_id'));
		repo.groups.splice(repo.groups.indexOf(group), 1);
		return undefined;
	}

	// ---------- rules ----------
	/** ReviewRuleProperties as given (undefined: not given); category IDs must be the workspace's. */
	function ruleProperties(ws: EmulatorWorkspace, b: Record<string, unknown>) {
		const categoryIds = stringList(b, 'category_ids');
		for (const id of categoryIds ?? []) {
			if (!ws.categories.some((c) => c.id === id)) throw bad(`category does not exist: ${id}`);
		}
		let riskLevel: number | undefined;
		if (b.risk_level !== undefined && b.risk_level !== null) {
			if (!RISK_LEVELS.includes(b.risk_level as number)) throw bad('invalid risk_level: must be one of 10, 20, 30');
			riskLevel = b.risk_level as number;
		}
		return {
			groupId: missing(b.group_id) ? undefined : strId(b, 'group_id'),
			name: text(b, 'name', {}),
			prompt: text(b, 'prompt', {}),
			categoryIds,
			riskLevel,
			referencedFields: b.referenced_fields === undefined ? undefined : referencedFields(b.referenced_fields),
		};
	}

	function handleRuleCreate(ctx: Ctx): Record<string, unknown> {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const repoId = intId(b, 'repo_id');
		const p = ruleProperties(ws, b);
		const repo = repoIn(ws, repoId);
		// A rule lives in a group; name and prompt are what a rule is (the guide marks all three required).
		const group = repo.groups.find((g) => g.groupId === p.groupId);
		if (!group) throw new BizError(40004, REVIEW_MSG.GROUP_NOT_FOUND);
		if (!p.name || p.name.trim() === '') throw bad('name is required');
		if (!p.prompt || p.prompt.trim() === '') throw bad('prompt is required');
		const rule: RuleRec = {
			ruleId: newReviewId(),
			name: p.name,
			prompt: p.prompt,
			categoryIds: p.categoryIds ?? [],
			riskLevel: p.riskLevel,
			referencedFields: p.referencedFields ?? [],
		};
		group.rules.push(rule);
		return { rule_id: rule.ruleId };
	}

	function handleRuleUpdate(ctx: Ctx): undefined {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const ruleId = strId(b, 'rule_id');
		const p = ruleProperties(ws, b);
		const { repo, group, rule } = ruleIn(ws, ruleId);
		if (p.name !== undefined && p.name.trim() === '') throw bad('invalid name: must not be empty');
		if (p.prompt !== undefined && p.prompt.trim() === '') throw bad('invalid prompt: must not be empty');
		if (p.groupId !== undefined && p.groupId !== group.groupId) {
			const target = repo.groups.find((g) => g.groupId === p.groupId);
			if (!target) throw new BizError(40004, REVIEW_MSG.GROUP_NOT_FOUND);
			group.rules.splice(group.rules.indexOf(rule), 1);
			target.rules.push(rule);
		}
		if (p.name !== undefined) rule.name = p.name;
		if (p.prompt !== undefined) rule.prompt = p.prompt;
		if (p.categoryIds !== undefined) rule.categoryIds = p.categoryIds;
		if (p.riskLevel !== undefined) rule.riskLevel = p.riskLevel;
		if (p.referencedFields !== undefined) rule.referencedFields = p.referencedFields;
		return undefined;
	}

	function handleRuleDelete(ctx: Ctx): undefined {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const { group, rule } = ruleIn(ws, strId(b, 'rule_id'));
		group.rules.splice(group.rules.indexOf(rule), 1);
		return undefined;
	}

	// ---------- review tasks ----------
	/** The documents reviewed: finished extraction tasks of the workspace, parents replaced by their parts. */
	function documentsOf(ws: EmulatorWorkspace, ids: string[], batchNumber: string | undefined): TaskRec[] {
		store.materialize();
		const picked: TaskRec[] = [];
		const add = (t: TaskRec) => {
			const parts = t.childIds.map((id) => store.tasks.get(id)).filter((c): c is TaskRec => !!c);
			for (const doc of parts.length > 0 ? parts : [t]) if (!picked.includes(doc)) picked.push(doc);
		};
		for (const id of ids) {
			const t = store.tasks.get(id);
			if (!t || t.workspaceId !== ws.workspace_id) throw new BizError(40004, `${REVIEW_MSG.EXTRACT_TASK_NOT_FOUND}: ${id}`);
			const status = store.status(t);
			if (status !== STATUS.SUCCESS) {
				const finished = status === STATUS.FAILED || status === STATUS.CLASSIFIED;
				throw new BizError(finished ? 40004 : 40006, `${finished ? REVIEW_MSG.EXTRACT_TASK_NOT_EXTRACTED : REVIEW_MSG.EXTRACT_TASK_UNFINISHED}: ${id}`);
			}
			add(t);
		}
		if (batchNumber !== undefined) {
			const batch = store.all().filter((t) => t.workspaceId === ws.workspace_id && t.batchNumber === batchNumber && !t.parentTaskId);
			const running = batch.find((t) => !(FINAL_STATUSES as number[]).includes(store.status(t)));
			if (running) throw new BizError(40006, `${REVIEW_MSG.EXTRACT_TASK_UNFINISHED}: ${running.taskId}`);
			// Documents of the batch that failed or were only classified have nothing to review.
			const done = batch.filter((t) => store.status(t) === STATUS.SUCCESS);
			if (done.length === 0) throw new BizError(40004, `${REVIEW_MSG.BATCH_EMPTY}: ${batchNumber}`);
			done.forEach(add);
		}
		return picked;
	}

	const categoryIdOf = (ws: EmulatorWorkspace, doc: TaskRec) =>
		ws.categories.find((c) => c.name === store.category(doc))?.id ?? store.category(doc);

	/** A rule's verdict for the documents, with reasoning that quotes the referenced fields found. */
	function judge(ws: EmulatorWorkspace, rule: RuleRec, docs: TaskRec[], attempt: number) {
		const found: Array<{ doc: TaskRec; field: string; value: string; page: number; vertices: number[] }> = [];
		for (const ref of rule.referencedFields as Array<{ category_id: string; fields?: Array<{ field_name?: string }> }>) {
			for (const doc of docs.filter((d) => categoryIdOf(ws, d) === ref.category_id)) {
				const data = store.render(doc, { withDocument: false, withTaskDetailUrl: false, baseUrl: '' }).data as
					| { fields?: Array<{ key: string; value: string; position?: Array<{ page: number; vertices: number[] }> }> }
					| undefined;
				for (const wanted of ref.fields ?? []) {
					const field = data?.fields?.find((f) => f.key === wanted.field_name);
					if (field) found.push({ doc, field: field.key, value: field.value, page: field.position?.[0]?.page ?? 0, vertices: field.position?.[0]?.vertices ?? [] });
				}
			}
		}
		const names = docs.map((d) => d.name).join(', ');
		if (/fail/i.test(rule.prompt) && attempt === 1) {
			return { verdict: 2 as const, reasoning: `The review model could not evaluate the rule “${rule.name}” (model timeout).`, anchors: [] };
		}
		const verdict = /reject/i.test(rule.prompt) ? (4 as const) : (1 as const);
		let reasoning = verdict === 1 ? `Approved: ${names} meet${docs.length === 1 ? 's' : ''} the rule “${rule.name}”.` : `Rejected: ${names} do${docs.length === 1 ? 'es' : ''} not meet the rule “${rule.name}”.`;
		const anchors: Array<Record<string, unknown>> = [];
		if (found.length > 0) {
			reasoning += ' Checked';
			found.forEach((f, i) => {
				reasoning += `${i === 0 ? '' : ','} ${f.field} = `;
				anchors.push({
					start_pos: [...reasoning].length,
					end_pos: [...reasoning].length + [...f.value].length,
					text: f.value,
					vertices: f.vertices,
					file_id: f.doc.fileId,
					extract_task_id: f.doc.taskId,
					page: f.page + 1,
					source: 'extract_field',
					file_category: store.category(f.doc),
					field_name: f.field,
				});
				reasoning += f.value;
			});
			reasoning += '.';
		}
		return { verdict, reasoning, anchors };
	}

	function newRun(ws: EmulatorWorkspace, group: GroupRec, rule: RuleRec, docs: TaskRec[], attempts: number, path: number[]): RuleRun {
		return {
			ruleTaskId: newReviewId(),
			ruleId: rule.ruleId,
			groupId: group.groupId,
			groupName: group.name,
			rule: structuredClone(rule),
			attempts,
			startedAt: store.now(),
			stepMs: store.stepMs,
			path,
			...judge(ws, rule, docs, attempts),
		};
	}

	/** Applies the repository's rules (as they are now) to the task's documents, from the start. */
	function review(ws: EmulatorWorkspace, task: ReviewTaskRec, repo: RepoRec, docs: TaskRec[], attempts: number): void {
		const categories = new Set(docs.map((d) => categoryIdOf(ws, d)));
		task.runs = [];
		task.notTriggered = 0;
		task.groupOrder = repo.groups.map((g) => ({ groupId: g.groupId, groupName: g.name }));
		task.startedAt = store.now();
		task.stepMs = store.stepMs;
		for (const group of repo.groups) {
			for (const rule of group.rules) {
				if (rule.categoryIds.every((id) => categories.has(id))) task.runs.push(newRun(ws, group, rule, docs, attempts, [0, 6, 3]));
				else task.notTriggered += 1;
			}
		}
	}

	const stepIndex = (startedAt: number, stepMs: number, steps: number) =>
		stepMs <= 0 ? steps : Math.max(0, Math.min(steps, Math.floor((store.now() - startedAt) / stepMs)));
	const runStatus = (run: RuleRun): number => {
		const i = stepIndex(run.startedAt, run.stepMs, run.path.length);
		return i >= run.path.length ? run.verdict : run.path[i];
	};
	function taskStatus(task: ReviewTaskRec): number {
		if (task.runs.length === 0) {
			const path = [0, 6, 3];
			const i = stepIndex(task.startedAt, task.stepMs, path.length);
			return i >= path.length ? 1 : path[i];
		}
		const statuses = task.runs.map(runStatus);
		if (statuses.every((s) => FINAL.includes(s))) {
			if (statuses.includes(2)) return 2;
			return statuses.includes(4) ? 4 : 1;
		}
		if (statuses.includes(3)) return 3;
		return statuses.includes(6) ? 6 : 0;
	}

	function documentsAgain(ws: EmulatorWorkspace, task: ReviewTaskRec): TaskRec[] {
		return task.extractTaskIds.map((id) => store.tasks.get(id)).filter((t): t is TaskRec => !!t && t.workspaceId === ws.workspace_id);
	}

	function handleSubmit(ctx: Ctx): Record<string, unknown> {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const name = text(b, 'name', { required: true, max: 100 })!;
		const repoId = strId(b, 'repo_id');
		const ids = stringList(b, 'extract_task_ids') ?? [];
		const batchNumber = missing(b.batch_number) ? undefined : strId(b, 'batch_number');
		let model = DEFAULT_MODEL;
		if (!missing(b.model)) {
			if (typeof b.model !== 'string') throw bad('invalid model: must be a string');
			model = DEPRECATED_MODELS[b.model] ?? b.model;
			if (!MODELS.includes(model)) throw bad(`invalid model: must be one of ${MODELS.join(', ')}`);
		}
		if (ids.length === 0 && batchNumber === undefined) throw bad('extract_task_ids or batch_number is required');
		const repo = repoIn(ws, repoId);
		const docs = documentsOf(ws, ids, batchNumber);
		const task: ReviewTaskRec = {
			taskId: newReviewId(),
			workspaceId: ws.workspace_id,
			name,
			repoId: repo.repoId,
			repoName: repo.name,
			extractTaskIds: docs.map((d) => d.taskId),
			model,
			startedAt: store.now(),
			stepMs: store.stepMs,
			runs: [],
			notTriggered: 0,
			groupOrder: [],
		};
		review(ws, task, repo, docs, 1);
		tasks.set(task.taskId, task);
		return { task_id: task.taskId, model };
	}

	function handleResult(ctx: Ctx): Record<string, unknown> {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const task = taskIn(ws, strId(b, 'task_id'));
		if (b.with_task_detail_url !== undefined && typeof b.with_task_detail_url !== 'boolean')
			throw bad('invalid with_task_detail_url: must be a boolean');
		const statuses = task.runs.map(runStatus);
		const final = (verdict: number) => statuses.filter((s) => s === verdict).length;
		const out: Record<string, unknown> = { task_id: task.taskId, task_name: task.name };
		if (b.with_task_detail_url === true) out.task_detail_url = `${baseUrl()}/docflow/workspace/${ws.workspace_id}/review/${task.taskId}`;
		Object.assign(out, {
			status: taskStatus(task),
			rule_repo: { repo_id: task.repoId, name: task.repoName },
			extract_task_ids: [...task.extractTaskIds],
			statistics: { pass_count: final(1), failure_count: final(4), error_count: final(2), not_triggered_count: task.notTriggered },
			groups: task.groupOrder
				.map(({ groupId, groupName }) => ({
					group_id: groupId,
					group_name: groupName,
					review_tasks: task.runs
						.filter((run) => run.groupId === groupId)
						.map((run) => {
							const status = runStatus(run);
							const done = FINAL.includes(status);
							const rule: Record<string, unknown> = {
								rule_task_id: run.ruleTaskId,
								rule_id: run.ruleId,
								rule_name: run.rule.name,
							};
							if (run.rule.riskLevel !== undefined) rule.risk_level = run.rule.riskLevel;
							return { ...rule, prompt: run.rule.prompt, review_result: status, reasoning: done ? run.reasoning : '', anchors: done ? structuredClone(run.anchors) : [] };
						}),
				}))
				.filter((group) => group.review_tasks.length > 0),
			model: task.model,
		});
		return out;
	}

	function handleRetry(ctx: Ctx): undefined {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const task = taskIn(ws, strId(b, 'task_id'));
		if (!FINAL.includes(taskStatus(task))) throw new BizError(40006, REVIEW_MSG.REVIEW_RUNNING);
		// The rules as the repository has them now (retrying is how edited rules are applied).
		const repo = repos.find((r) => r.workspaceId === ws.workspace_id && r.repoId === task.repoId);
		const attempts = Math.max(0, ...task.runs.map((r) => r.attempts)) + 1;
		if (repo) {
			task.repoName = repo.name;
			review(ws, task, repo, documentsAgain(ws, task), attempts);
		} else {
			const docs = documentsAgain(ws, task);
			task.startedAt = store.now();
			task.stepMs = store.stepMs;
			task.runs = task.runs.map((run) => newRun(ws, { groupId: run.groupId, name: run.groupName, rules: [] }, run.rule, docs, run.attempts + 1, [0, 6, 3]));
		}
		return undefined;
	}

	function handleRuleRetry(ctx: Ctx): undefined {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const task = taskIn(ws, strId(b, 'task_id'));
		const ruleId = strId(b, 'rule_id');
		const index = task.runs.findIndex((r) => r.ruleId === ruleId);
		if (index < 0) throw new BizError(40004, REVIEW_MSG.RULE_NOT_IN_TASK);
		const run = task.runs[index];
		if (!FINAL.includes(runStatus(run))) throw new BizError(40006, REVIEW_MSG.REVIEW_RUNNING);
		// The rule as it is now, if it still exists (retrying one rule applies its edits).
		let rule = run.rule;
		try {
			rule = ruleIn(ws, ruleId).rule;
		} catch {
			// deleted since: reviewed as it was
		}
		task.runs[index] = {
			...newRun(ws, { groupId: run.groupId, name: run.groupName, rules: [] }, rule, documentsAgain(ws, task), run.attempts + 1, [6, 3]),
			ruleTaskId: run.ruleTaskId,
		};
		return undefined;
	}

	function handleTaskDelete(ctx: Ctx): undefined {
		const b = bodyOf(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const ids = stringList(b, 'task_ids', { required: true })!;
		for (const id of ids) taskIn(ws, id);
		for (const id of ids) tasks.delete(id);
		return undefined;
	}

	return {
		'review/rule_repo/create': { method: 'POST', run: handleRepoCreate },
		'review/rule_repo/list': { method: 'GET', run: handleRepoList },
		'review/rule_repo/get': { method: 'GET', run: handleRepoGet },
		'review/rule_repo/update': { method: 'POST', run: handleRepoUpdate },
		'review/rule_repo/delete': { method: 'POST', run: handleRepoDelete },
		'review/rule_group/create': { method: 'POST', run: handleGroupCreate },
		'review/rule_group/update': { method: 'POST', run: handleGroupUpdate },
		'review/rule_group/delete': { method: 'POST', run: handleGroupDelete },
		'review/rule/create': { method: 'POST', run: handleRuleCreate },
		'review/rule/update': { method: 'POST', run: handleRuleUpdate },
		'review/rule/delete': { method: 'POST', run: handleRuleDelete },
		'review/task/submit': { method: 'POST', run: handleSubmit },
		'review/task/result': { method: 'POST', run: handleResult },
		'review/task/retry': { method: 'POST', run: handleRetry },
		'review/task/rule/retry': { method: 'POST', run: handleRuleRetry },
		'review/task/delete': { method: 'POST', run: handleTaskDelete },
	};
}
