// Task store with a lazily evaluated virtual clock (no timers).
import { randomInt } from 'node:crypto';
import type { EmulatorWorkspace, FailRule, ParserParams, StoredTask, UploadOptions } from './types.ts';
import {
	categoryNameForKind,
	documentFor,
	emptyData,
	generateData,
	kindFromCategory,
	kindFromName,
	pagesInfo,
	type DocKind,
} from './data.ts';

export const STATUS = {
	PENDING: 0,
	SUCCESS: 1,
	FAILED: 2,
	CLASSIFYING: 3,
	EXTRACTING: 4,
	PREPARING: 5,
	SPLITTING: 6,
	CROPPING: 7,
	CLASSIFIED: 10,
	PARSING: 20,
} as const;

export const FINAL_STATUSES = [STATUS.SUCCESS, STATUS.FAILED, STATUS.CLASSIFIED];

export const DEFAULT_FAILURE_CAUSE = 'Document parsing failed: the file is damaged or unreadable';

export const defaultFailRule: FailRule = (f) => (/fail/i.test(f.name) && f.attempt === 1 ? DEFAULT_FAILURE_CAUSE : null);

export const PARSER_DEFAULTS = {
	formula_level: 0,
	apply_merge: 1,
	table_text_split_mode: 0,
	crop_dewarp: 0,
	remove_watermark: 0,
	dpi: 144,
	parse_mode: 'auto',
};

export interface TaskRec {
	seq: number;
	taskId: string;
	fileId: string;
	batchNumber: string;
	workspaceId: string;
	enterpriseId?: string;
	name: string;
	format: string;
	size: number;
	sha256?: string;
	url?: string;
	source: 'multipart' | 'url' | 'child';
	uploadQuery: Record<string, string>;
	options: UploadOptions;
	parserParams: ParserParams;
	taskType: 0 | 1 | 2 | 3;
	parentTaskId?: string;
	childIds: string[];
	attempts: number;
	failureCause: string | null;
	createdAt: number;
	startedAt: number;
	forcedAt?: number;
	/** Result as changed by file/update or file/extract_fields; replaces the generated data until the task is reprocessed. */
	dataOverride?: Record<string, unknown>;
	/** Virtual time of the last change to the result or category (file/update, amend_category, extract_fields). */
	changedAt?: number;
	/** verification_status (0 pending, 2 confirmed, 3 rejected, 4 deleted, 5 deferred); set by people in DocFlow's UI, by tests with setVerification. */
	verificationStatus?: number;
	// children only
	childKind?: DocKind;
	childPage?: number;
	cropInfo?: { page: number; imageAngle: string };
	fromParentPositionList?: number[];
	/** split parts re-cut by file/amend_category: every page of the part (childPage is the first) */
	childPages?: number[];
}

export interface RenderOptions {
	withDocument: boolean;
	withTaskDetailUrl: boolean;
	baseUrl: string;
}

let idCounter = 1_900_000_000_000_000_000n + BigInt(randomInt(0, 1_000_000_000)) * 100_000n;
/** Unique 19-digit numeric string. */
export function newId(): string {
	idCounter += BigInt(1 + randomInt(0, 97));
	return idCounter.toString();
}

export class TaskStore {
	tasks = new Map<string, TaskRec>();
	private seq = 0;
	offset = 0;
	/** DocFlow's clock minus the test's (n8n's) clock: update times and the start_time/end_time filters are read in DocFlow's clock. */
	clockSkewMs = 0;
	/** file/fetch's order: upload order (default), or most recently updated first, as a list page in DocFlow's UI shows it. */
	fetchOrder: 'upload' | 'updated-desc' = 'upload';
	/** Test hook: runs before file/fetch answers (e.g. files finishing while a client pages through a list). */
	beforeFetch?: (query: Record<string, string>) => void;
	stepMs: number;
	failRule: FailRule;
	workspaces: EmulatorWorkspace[];

	constructor(stepMs: number, failRule: FailRule, workspaces: EmulatorWorkspace[]) {
		this.stepMs = stepMs;
		this.failRule = failRule;
		this.workspaces = workspaces;
	}

	now(): number {
		return Date.now() + this.offset;
	}

	clear(): void {
		this.tasks.clear();
		this.offset = 0;
		this.clockSkewMs = 0;
		this.beforeFetch = undefined;
		this.fetchOrder = 'upload';
	}

	workspace(id: string): EmulatorWorkspace | undefined {
		return this.workspaces.find((w) => w.workspace_id === id);
	}

	add(rec: Omit<TaskRec, 'seq' | 'attempts' | 'failureCause' | 'createdAt' | 'startedAt' | 'childIds'>, decideFailure = true): TaskRec {
		const now = this.now();
		const full: TaskRec = { ...rec, seq: ++this.seq, attempts: 1, failureCause: null, createdAt: now, startedAt: now, childIds: [] };
		if (decideFailure) full.failureCause = this.decideFailure(full);
		this.tasks.set(full.taskId, full);
		return full;
	}

	private decideFailure(t: TaskRec): string | null {
		const cause = this.failRule({ name: t.name, workspaceId: t.workspaceId, attempt: t.attempts });
		return cause === undefined || cause === null || cause === '' ? null : String(cause);
	}

	restart(t: TaskRec, parserParams?: ParserParams): void {
		this.removeChildren(t);
		t.attempts += 1;
		t.startedAt = this.now();
		t.forcedAt = undefined;
		// Processed again from the document: results written by file/update or extract_fields are gone.
		t.dataOverride = undefined;
		if (parserParams) t.parserParams = { ...t.parserParams, ...parserParams };
		t.failureCause = this.decideFailure(t);
	}

	private removeChildren(t: TaskRec): void {
		for (const id of t.childIds) this.tasks.delete(id);
		t.childIds = [];
	}

	steps(t: TaskRec): number[] {
		const s: number[] = [STATUS.PREPARING, STATUS.PARSING, STATUS.CLASSIFYING];
		if (t.options.split_flag) s.push(STATUS.SPLITTING);
		if (t.options.crop_flag) s.push(STATUS.CROPPING);
		const classify = t.options.target_process === 'classify';
		if (!classify) s.push(STATUS.EXTRACTING);
		s.push(t.failureCause ? STATUS.FAILED : classify ? STATUS.CLASSIFIED : STATUS.SUCCESS);
		return s;
	}

	private stepIndex(t: TaskRec): number {
		const last = this.steps(t).length - 1;
		if (t.forcedAt !== undefined || this.stepMs <= 0) return last;
		return Math.max(0, Math.min(last, Math.floor((this.now() - t.startedAt) / this.stepMs)));
	}

	top(t: TaskRec): TaskRec {
		return t.parentTaskId ? (this.tasks.get(t.parentTaskId) ?? t) : t;
	}

	status(t: TaskRec): number {
		if (t.parentTaskId) {
			const p = this.top(t);
			return p.options.target_process === 'classify' ? STATUS.CLASSIFIED : STATUS.SUCCESS;
		}
		const s = this.steps(t);
		return s[this.stepIndex(t)];
	}

	isFinal(t: TaskRec): boolean {
		return (FINAL_STATUSES as number[]).includes(this.status(t));
	}

	/** Time of the last status change (virtual ms). */
	updateTime(t: TaskRec): number {
		const p = this.top(t);
		const idx = this.stepIndex(p);
		const natural = p.startedAt + idx * Math.max(0, this.stepMs);
		const byStatus = p.forcedAt !== undefined ? Math.min(p.forcedAt, p.startedAt + (this.steps(p).length - 1) * Math.max(0, this.stepMs)) : natural;
		// A changed result or category (file/update, amend_category, extract_fields) moves it too.
		return Math.max(byStatus, p.changedAt ?? byStatus);
	}

	/** Records a change to a task's result now: its update time (and its parent's) moves. */
	touch(t: TaskRec): void {
		const now = this.now();
		t.changedAt = now;
		this.top(t).changedAt = now;
	}

	/** The update time as DocFlow stamps it and compares it with start_time/end_time: in its own clock. */
	docflowUpdateTime(t: TaskRec): number {
		return this.updateTime(t) + this.clockSkewMs;
	}

	/** A person confirms, rejects (…) the task in DocFlow: its verification status changes and its update time moves. */
	setVerification(t: TaskRec, status: number): void {
		t.verificationStatus = status;
		this.touch(t);
	}

	durationMs(t: TaskRec): number {
		const p = this.top(t);
		return Math.max(0, this.updateTime(p) - p.startedAt);
	}

	kind(t: TaskRec): DocKind {
		if (t.childKind) return t.childKind;
		const ws = this.workspace(t.workspaceId);
		if (t.options.category && ws) return kindFromCategory(t.options.category, ws);
		return kindFromName(t.name);
	}

	/** Category as reported: explicit one, else the guess once classification is done ('' before). */
	category(t: TaskRec): string {
		const ws = this.workspace(t.workspaceId);
		if (t.childKind) return ws ? categoryNameForKind(t.childKind, ws) : t.childKind;
		if (t.options.category) return t.options.category;
		const st = this.status(t);
		if (st === STATUS.PREPARING || st === STATUS.PARSING || st === STATUS.CLASSIFYING) return '';
		return ws ? categoryNameForKind(this.kind(t), ws) : this.kind(t);
	}

	forceFinal(t: TaskRec): void {
		if (!t.parentTaskId && t.forcedAt === undefined) t.forcedAt = this.now();
	}

	finishAll(): void {
		for (const t of this.tasks.values()) this.forceFinal(t);
		this.materialize();
	}

	/** Creates children of parents that reached success (lazy; called before every read). */
	materialize(): void {
		for (const t of [...this.tasks.values()]) {
			if (t.taskType !== 2 || t.childIds.length > 0) continue;
			const st = this.status(t);
			if (st !== STATUS.SUCCESS && st !== STATUS.CLASSIFIED) continue;
			const split = !!t.options.split_flag;
			const dot = t.name.lastIndexOf('.');
			const base = dot > 0 ? t.name.slice(0, dot) : t.name;
			const kinds: DocKind[] = ['invoice', 'receipt'];
			const crops = [
				{ info: { page: 0, imageAngle: '0' }, list: [12, 30, 420, 30, 420, 320, 12, 320] },
				{ info: { page: 0, imageAngle: '90' }, list: [450, 30, 800, 30, 800, 200, 450, 200] },
			];
			kinds.forEach((kind, i) => {
				const child = this.add(
					{
						taskId: newId(),
						fileId: newId(),
						batchNumber: t.batchNumber,
						workspaceId: t.workspaceId,
						enterpriseId: t.enterpriseId,
						name: `${base}_${i + 1}.${t.format}`,
						format: t.format,
						size: 0,
						source: 'child',
						uploadQuery: {},
						options: { auto_verify_vat: t.options.auto_verify_vat, target_process: t.options.target_process },
						parserParams: {},
						taskType: split ? 0 : 3,
						parentTaskId: t.taskId,
						childKind: kind,
						childPage: split ? i : 0,
						cropInfo: split ? undefined : crops[i].info,
						fromParentPositionList: split ? undefined : crops[i].list,
					},
					false,
				);
				child.attempts = t.attempts;
				t.childIds.push(child.taskId);
			});
		}
	}

	pageCount(t: TaskRec): number {
		if (t.parentTaskId) return 1;
		return t.options.split_flag ? 2 : 1;
	}

	effectiveParserParams(t: TaskRec): Record<string, unknown> {
		const p = this.top(t).parserParams;
		const out: Record<string, unknown> = { ...PARSER_DEFAULTS };
		for (const [k, v] of Object.entries(p)) if (k !== 'pdf_pwd' && v !== undefined) out[k] = v;
		return out;
	}

	render(t: TaskRec, o: RenderOptions): Record<string, unknown> {
		const st = this.status(t);
		const top = this.top(t);
		const f: Record<string, unknown> = {
			id: t.fileId,
			task_id: t.taskId,
		};
		if (o.withTaskDetailUrl) f.task_detail_url = `${o.baseUrl}/docflow/workspace/${t.workspaceId}/task/${t.taskId}`;
		f.task_type = t.taskType;
		if (t.parentTaskId) f.parent_task_id = t.parentTaskId;
		f.batch_number = t.batchNumber;
		f.name = t.name;
		f.format = t.format;
		f.recognition_status = st;
		if (st === STATUS.FAILED) f.failure_causes = t.failureCause ?? 'unknown error';
		f.verification_status = t.verificationStatus ?? 0;
		f.category = this.category(t);
		const success = st === STATUS.SUCCESS || st === STATUS.CLASSIFIED;
		const classifyOnly = st === STATUS.CLASSIFIED;
		const dpi = Number(this.effectiveParserParams(t).dpi) || 144;
		if (success) {
			const pageIdx = t.parentTaskId ? (t.childPages ?? [t.childPage ?? 0]) : Array.from({ length: this.pageCount(t) }, (_, i) => i);
			f.pages = pagesInfo(pageIdx, t.format, dpi);
			const ws = this.workspace(t.workspaceId);
			const catName = this.category(t);
			const configModel = ws?.categories.find((c) => c.name === catName)?.extract_model;
			f.data =
				t.taskType === 2
					? emptyData()
					: generateData({
							kind: this.kind(t),
							page: 0,
							autoVerifyVat: !!top.options.auto_verify_vat,
							classifyOnly,
							configModel,
						});
			if (t.dataOverride && t.taskType !== 2) f.data = structuredClone(t.dataOverride);
			if (o.withDocument) f.document = documentFor(this.kind(t), this.pageCount(t), classifyOnly);
			if (t.cropInfo) f.crop_info = t.cropInfo;
			if (t.fromParentPositionList) f.from_parent_position_list = t.fromParentPositionList;
			if (t.taskType === 2) {
				f.child_files = t.childIds
					.map((id) => this.tasks.get(id))
					.filter((c): c is TaskRec => !!c)
					.map((c) => this.render(c, o));
			}
		}
		if (!t.parentTaskId) {
			if ((FINAL_STATUSES as number[]).includes(st)) f.duration_ms = this.durationMs(t);
			f.total_page_num = this.pageCount(t);
			f.parser_params = this.effectiveParserParams(t);
		}
		return f;
	}

	snapshot(t: TaskRec): StoredTask {
		const s: StoredTask = {
			taskId: t.taskId,
			fileId: t.fileId,
			batchNumber: t.batchNumber,
			workspaceId: t.workspaceId,
			name: t.name,
			format: t.format,
			size: t.size,
			source: t.source,
			uploadQuery: { ...t.uploadQuery },
			options: { ...t.options },
			parserParams: { ...t.parserParams },
			taskType: t.taskType,
			childTaskIds: [...t.childIds],
			attempts: t.attempts,
			failureCause: t.failureCause,
			recognitionStatus: this.status(t),
			category: this.category(t),
			createdAt: t.createdAt,
			startedAt: t.startedAt,
		};
		if (t.sha256 !== undefined) s.sha256 = t.sha256;
		if (t.url !== undefined) s.url = t.url;
		if (t.parentTaskId !== undefined) s.parentTaskId = t.parentTaskId;
		if (t.enterpriseId !== undefined) s.enterpriseId = t.enterpriseId;
		return s;
	}

	all(): TaskRec[] {
		return [...this.tasks.values()].sort((a, b) => a.seq - b.seq);
	}
}
