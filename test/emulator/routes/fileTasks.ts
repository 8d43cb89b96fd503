// What is done to files after upload: file/retry, file/update, file/amend_category, file/extract_fields, file/delete.
import { BizError, MSG, bad, parserParamsFromJson } from '../params.ts';
import type { Ctx } from '../params.ts';
import { FINAL_STATUSES, STATUS, newId } from '../state.ts';
import type { TaskRec } from '../state.ts';
import type { EmulatorWorkspace } from '../types.ts';
import type { RouteEnv, Routes } from './env.ts';

/** DocFlow's refusals of the result endpoints (HTTP 200, code ≠ 200). */
export const RESULT_MSG = {
	FILE_NOT_FOUND: 'file not found',
	RESULT_PROCESSING: '文件处理中，暂不支持修改',
	EXTRACT_NOT_DONE: '任务未完成抽取，暂不支持抽取指定字段',
	AMEND_PROCESSING: '任务处理中，暂不支持修改类别',
	CHILD_AMEND: '子任务不支持修改类别，请修改其父任务',
	PARENT_EXTRACT: '父任务没有抽取结果，请对其子任务抽取',
};

/** The extraction models of file/extract_fields (ExtractFieldReqVO.extract_model). */
export const EXTRACT_MODELS = ['Auto', 'Acgpt', 'Acgpt-VL', 'DF-M1'];

type Cell = Record<string, unknown>;
type Row = Cell[];
interface TableShape {
	tableName?: string;
	tableType?: string;
	extractModel?: string;
	configModel?: string;
	items?: Row[];
	[key: string]: unknown;
}

function objectBody(ctx: Ctx): Record<string, unknown> {
	if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
	const body = ctx.json;
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('workspace_id is required');
	return body as Record<string, unknown>;
}

function requiredString(value: unknown, name: string): string {
	if (value === undefined || value === null || value === '') throw bad(`${name} is required`);
	if (typeof value !== 'string' && typeof value !== 'number') throw bad(`invalid ${name}: must be a string`);
	return String(value);
}

function stringList(value: unknown, name: string): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
		throw bad(`invalid ${name}: must be an array of strings`);
	}
	return value as string[];
}

function epochSeconds(value: unknown, name: string): number | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 99_999_999_999) {
		throw bad(`invalid ${name}: must be an epoch timestamp in seconds`);
	}
	return value;
}

/** A KeyValue as file/update takes it: key and value strings, an optional position list. */
function keyValue(value: unknown, where: string): Cell {
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad(`invalid ${where}: must be an object`);
	const kv = value as Cell;
	if (typeof kv.key !== 'string' || kv.key === '') throw bad(`invalid ${where}.key: must be a non-empty string`);
	if (kv.value !== undefined && kv.value !== null && typeof kv.value !== 'string') throw bad(`invalid ${where}.value: must be a string`);
	if (kv.position !== undefined && kv.position !== null && !Array.isArray(kv.position)) throw bad(`invalid ${where}.position: must be an array`);
	return kv;
}

export function fileTaskRoutes({ store, requireWorkspace, baseUrl: emulatorUrl }: RouteEnv): Routes {
	const render = (t: TaskRec) => store.render(t, { withDocument: false, withTaskDetailUrl: false, baseUrl: emulatorUrl() });

	/** The task (or split/crop child) of a workspace with this task ID, else DocFlow's 40004. */
	function taskIn(ws: EmulatorWorkspace, taskId: string): TaskRec {
		const t = store.tasks.get(taskId);
		if (!t || t.workspaceId !== ws.workspace_id) throw new BizError(40004, MSG.TASK_NOT_FOUND);
		return t;
	}

	/** The data DocFlow shows for a task now, and the data its configuration gives (before any change). */
	function currentData(t: TaskRec): Record<string, unknown> {
		return structuredClone((render(t).data as Record<string, unknown> | undefined) ?? {});
	}
	function configuredData(t: TaskRec): Record<string, unknown> {
		const saved = t.dataOverride;
		t.dataOverride = undefined;
		try {
			return currentData(t);
		} finally {
			t.dataOverride = saved;
		}
	}

	/** The main table, the one `data.items` mirrors: the first system table (tableType 0), else the first. */
	function mainTable(tables: TableShape[]): TableShape | undefined {
		return tables.find((table) => String(table.tableType) === '0') ?? tables[0];
	}

	function enabledCategory(ws: EmulatorWorkspace, value: unknown, name: string): string {
		const category = requiredString(value, name);
		if (!ws.categories.some((c) => c.name === category && c.enabled === '1')) throw bad(`category does not exist: ${category}`);
		return category;
	}

	function handleRetry(ctx: Ctx): undefined {
		const b = objectBody(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		if (b.task_id === undefined || b.task_id === null || b.task_id === '') throw bad('task_id is required');
		const pp = parserParamsFromJson(b.parser_params);
		const t = store.tasks.get(String(b.task_id));
		if (!t || t.workspaceId !== ws.workspace_id) throw new BizError(40004, MSG.TASK_NOT_FOUND);
		if (t.parentTaskId || t.taskType === 0 || t.taskType === 3) throw new BizError(40005, MSG.CHILD_RETRY);
		if (!(FINAL_STATUSES as number[]).includes(store.status(t))) throw new BizError(40006, MSG.TASK_PROCESSING);
		store.restart(t, pp);
		return undefined;
	}

	/**
	 * file/update: an array of { workspace_id, file_id, data }. `data` is a FULL update: fields
	 * and table rows not sent are deleted, extra ones added. Every entry is checked before any
	 * is applied.
	 */
	function handleUpdate(ctx: Ctx): Record<string, unknown> {
		if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
		if (!Array.isArray(ctx.json) || ctx.json.length === 0) throw bad('request body must be a non-empty array');
		if (ctx.json.length > 100) throw bad('at most 100 files per request');
		const changes = ctx.json.map((entry, i) => {
			if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw bad(`invalid [${i}]: must be an object`);
			const e = entry as Record<string, unknown>;
			const ws = requireWorkspace(ctx, e.workspace_id);
			const fileId = requiredString(e.file_id, `[${i}].file_id`);
			if (!e.data || typeof e.data !== 'object' || Array.isArray(e.data)) throw bad(`[${i}].data is required`);
			const data = e.data as Record<string, unknown>;
			if (data.fields !== undefined && !Array.isArray(data.fields)) throw bad(`invalid [${i}].data.fields: must be an array`);
			if (data.items !== undefined && !Array.isArray(data.items)) throw bad(`invalid [${i}].data.items: must be an array of rows`);
			const fields = ((data.fields as unknown[] | undefined) ?? []).map((f, j) => keyValue(f, `[${i}].data.fields[${j}]`));
			const items = ((data.items as unknown[] | undefined) ?? []).map((row, r) => {
				if (!Array.isArray(row)) throw bad(`invalid [${i}].data.items[${r}]: must be an array`);
				return row.map((cell, c) => keyValue(cell, `[${i}].data.items[${r}][${c}]`));
			});
			const t = store.all().find((x) => x.fileId === fileId && x.workspaceId === ws.workspace_id);
			if (!t) throw new BizError(40004, RESULT_MSG.FILE_NOT_FOUND);
			if (!(FINAL_STATUSES as number[]).includes(store.status(t))) throw new BizError(40006, RESULT_MSG.RESULT_PROCESSING);
			return { t, ws, fields, items };
		});
		for (const { t, fields, items } of changes) {
			const current = currentData(t);
			const before = new Map<string, Cell>();
			for (const f of (current.fields as Cell[] | undefined) ?? []) if (!before.has(String(f.key))) before.set(String(f.key), f);
			const tables = ((current.tables as TableShape[] | undefined) ?? []).map((table) => ({ ...table }));
			const main = mainTable(tables);
			const columns = new Map<string, Cell>();
			for (const row of main?.items ?? []) for (const cell of row) if (!columns.has(String(cell.key))) columns.set(String(cell.key), cell);
			const cellOf = (kv: Cell, known?: Cell): Cell => ({
				key: kv.key,
				...(known?.identifier !== undefined ? { identifier: known.identifier } : {}),
				value: typeof kv.value === 'string' ? kv.value : '',
				position: Array.isArray(kv.position) ? kv.position : [],
			});
			const nextFields = fields.map((f) => {
				const known = before.get(String(f.key));
				const out = cellOf(f, known);
				if (known) {
					for (const extra of ['extractModel', 'configModel']) if (known[extra] !== undefined) out[extra] = known[extra];
				}
				return out;
			});
			const nextItems = items.map((row) => row.map((cell) => ({ key: cell.key, value: cellOf(cell).value, position: cellOf(cell).position })));
			if (main) main.items = items.map((row, r) => row.map((cell) => ({ ...cellOf(cell, columns.get(String(cell.key))), index: r })));
			t.dataOverride = { ...current, fields: nextFields, items: nextItems, tables };
			store.touch(t);
		}
		return { files: changes.map(({ t, ws }) => ({ workspace_id: ws.workspace_id, id: t.fileId })) };
	}

	/**
	 * file/amend_category: a regular task gets `category` (and is extracted again), a split parent
	 * `split_tasks` (all its parts, re-cut), a crop parent `crop_tasks` (its images' categories).
	 */
	function handleAmend(ctx: Ctx): undefined {
		const b = objectBody(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const t = taskIn(ws, requiredString(b.task_id, 'task_id'));
		if (t.parentTaskId || t.taskType === 0 || t.taskType === 3) throw new BizError(40005, RESULT_MSG.CHILD_AMEND);
		if (!(FINAL_STATUSES as number[]).includes(store.status(t))) throw new BizError(40006, RESULT_MSG.AMEND_PROCESSING);
		const given = ['category', 'split_tasks', 'crop_tasks'].filter((k) => b[k] !== undefined && b[k] !== null);
		const isSplit = t.taskType === 2 && !!t.options.split_flag;
		const isCrop = t.taskType === 2 && !t.options.split_flag;
		const expected = isSplit ? 'split_tasks' : isCrop ? 'crop_tasks' : 'category';
		for (const key of given) {
			if (key !== expected) {
				throw bad(
					key === 'category'
						? 'category is only supported for regular tasks'
						: `${key} is only supported for ${key === 'split_tasks' ? 'file split' : 'multi-image crop'} parent tasks`,
				);
			}
		}
		if (!given.includes(expected)) throw bad(`${expected} is required`);

		const reprocess = (task: TaskRec) => {
			// DocFlow processes the task again with the new categories (re-extraction).
			task.startedAt = store.now();
			task.forcedAt = undefined;
			task.failureCause = null;
			task.dataOverride = undefined;
			store.touch(task);
		};

		if (expected === 'category') {
			const category = enabledCategory(ws, b.category, 'category');
			t.options = { ...t.options, category };
			reprocess(t);
			return undefined;
		}
		if (expected === 'split_tasks') {
			if (!Array.isArray(b.split_tasks) || b.split_tasks.length === 0) throw bad('invalid split_tasks: must be a non-empty array');
			const pageCount = store.pageCount(t);
			const seen = new Set<number>();
			const parts = b.split_tasks.map((part, i) => {
				if (!part || typeof part !== 'object' || Array.isArray(part)) throw bad(`invalid split_tasks[${i}]: must be an object`);
				const p = part as Record<string, unknown>;
				const category = enabledCategory(ws, p.category, `split_tasks[${i}].category`);
				if (!Array.isArray(p.pages) || p.pages.length === 0) throw bad(`invalid split_tasks[${i}].pages: must be a non-empty array`);
				const pages = p.pages.map((page) => {
					if (typeof page !== 'number' || !Number.isInteger(page) || page < 0 || page >= pageCount) {
						throw bad(`invalid split_tasks[${i}].pages: page ${String(page)} is not between 0 and ${pageCount - 1}`);
					}
					if (seen.has(page)) throw bad(`invalid split_tasks: page ${page} is in more than one part`);
					seen.add(page);
					return page;
				});
				return { category, pages };
			});
			for (const id of t.childIds) store.tasks.delete(id);
			t.childIds = [];
			const dot = t.name.lastIndexOf('.');
			const base = dot > 0 ? t.name.slice(0, dot) : t.name;
			parts.forEach(({ category, pages }, i) => {
				const child = store.add(
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
						options: { category, auto_verify_vat: t.options.auto_verify_vat, target_process: t.options.target_process },
						parserParams: {},
						taskType: 0,
						parentTaskId: t.taskId,
						childPage: pages[0],
						childPages: pages,
					},
					false,
				);
				child.attempts = t.attempts;
				t.childIds.push(child.taskId);
			});
			reprocess(t);
			return undefined;
		}
		if (!Array.isArray(b.crop_tasks) || b.crop_tasks.length === 0) throw bad('invalid crop_tasks: must be a non-empty array');
		const seen = new Set<string>();
		const amends = b.crop_tasks.map((entry, i) => {
			if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw bad(`invalid crop_tasks[${i}]: must be an object`);
			const e = entry as Record<string, unknown>;
			const childId = requiredString(e.crop_child_task_id, `crop_tasks[${i}].crop_child_task_id`);
			if (!t.childIds.includes(childId)) throw bad(`invalid crop_tasks[${i}].crop_child_task_id: ${childId} is not a cropped image of task ${t.taskId}`);
			if (seen.has(childId)) throw bad(`invalid crop_tasks: ${childId} is listed twice`);
			seen.add(childId);
			return { child: store.tasks.get(childId)!, category: enabledCategory(ws, e.category, `crop_tasks[${i}].category`) };
		});
		for (const { child, category } of amends) {
			child.childKind = undefined;
			child.options = { ...child.options, category };
			child.dataOverride = undefined;
		}
		reprocess(t);
		return undefined;
	}

	/** One ExtractFieldReqVO: key, optional prompt and extract_model. */
	function extractField(value: unknown, where: string): { key: string; prompt?: string; model?: string } {
		if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad(`invalid ${where}: must be an object`);
		const f = value as Record<string, unknown>;
		if (typeof f.key !== 'string' || f.key.trim() === '') throw bad(`invalid ${where}.key: must be a non-empty string`);
		if (f.prompt !== undefined && f.prompt !== null && typeof f.prompt !== 'string') throw bad(`invalid ${where}.prompt: must be a string`);
		if (f.extract_model !== undefined && f.extract_model !== null && !EXTRACT_MODELS.includes(f.extract_model as string)) {
			throw bad(`invalid ${where}.extract_model: must be one of ${EXTRACT_MODELS.join(', ')}`);
		}
		return { key: f.key, prompt: (f.prompt as string | undefined) || undefined, model: (f.extract_model as string | undefined) ?? undefined };
	}

	/** What the emulator “extracts” for a field the configuration does not have: shows the prompt it used. */
	const extractedValue = (key: string, prompt: string | undefined, row?: number) =>
		`${key}${row === undefined ? '' : ` ${row + 1}`} (extracted${prompt ? `: ${prompt}` : ''})`;

	/**
	 * file/extract_fields: configured fields are extracted again by the category's configuration
	 * (their prompt ignored), others with the request's prompt. Answers like file/fetch.
	 */
	function handleExtract(ctx: Ctx): Record<string, unknown> {
		const b = objectBody(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const taskId = requiredString(b.task_id, 'task_id');
		if (b.fields !== undefined && b.fields !== null && !Array.isArray(b.fields)) throw bad('invalid fields: must be an array');
		if (b.tables !== undefined && b.tables !== null && !Array.isArray(b.tables)) throw bad('invalid tables: must be an array');
		const fields = ((b.fields as unknown[] | null | undefined) ?? []).map((f, i) => extractField(f, `fields[${i}]`));
		const tables = ((b.tables as unknown[] | null | undefined) ?? []).map((table, i) => {
			if (!table || typeof table !== 'object' || Array.isArray(table)) throw bad(`invalid tables[${i}]: must be an object`);
			const tb = table as Record<string, unknown>;
			if (typeof tb.name !== 'string' || tb.name.trim() === '') throw bad(`invalid tables[${i}].name: must be a non-empty string`);
			if (tb.extract_model !== undefined && tb.extract_model !== null && !EXTRACT_MODELS.includes(tb.extract_model as string)) {
				throw bad(`invalid tables[${i}].extract_model: must be one of ${EXTRACT_MODELS.join(', ')}`);
			}
			if (!Array.isArray(tb.fields) || tb.fields.length === 0) throw bad(`invalid tables[${i}].fields: must be a non-empty array`);
			return {
				name: tb.name,
				model: (tb.extract_model as string | undefined) ?? undefined,
				fields: tb.fields.map((f, j) => extractField(f, `tables[${i}].fields[${j}]`)),
			};
		});
		if (fields.length === 0 && tables.length === 0) throw bad('fields or tables is required');
		const t = taskIn(ws, taskId);
		if (t.taskType === 2) throw new BizError(40004, RESULT_MSG.PARENT_EXTRACT);
		const status = store.status(t);
		if (status !== STATUS.SUCCESS && status !== STATUS.FAILED) throw new BizError(40006, RESULT_MSG.EXTRACT_NOT_DONE);

		const data = currentData(t);
		const configured = configuredData(t);
		const configuredFields = new Map(((configured.fields as Cell[] | undefined) ?? []).map((f) => [String(f.key), f]));
		const nextFields = [...((data.fields as Cell[] | undefined) ?? [])];
		for (const { key, prompt, model } of fields) {
			const config = configuredFields.get(key);
			const extracted: Cell = config
				? structuredClone(config)
				: { key, value: extractedValue(key, prompt), position: [], confidence: 0.9, extractModel: model ?? 'Acgpt', configModel: model ?? 'Acgpt' };
			const at = nextFields.findIndex((f) => f.key === key);
			if (at >= 0) nextFields[at] = extracted;
			else nextFields.push(extracted);
		}
		const nextTables = ((data.tables as TableShape[] | undefined) ?? []).map((table) => structuredClone(table));
		const configuredTables = (configured.tables as TableShape[] | undefined) ?? [];
		for (const request of tables) {
			const table = nextTables.find((x) => x.tableName === request.name);
			if (!table) throw bad(`table does not exist: ${request.name}`);
			const original = configuredTables.find((x) => x.tableName === request.name);
			const rows = table.items ?? [];
			for (const { key, prompt } of request.fields) {
				rows.forEach((row, r) => {
					const config = original?.items?.[r]?.find((cell) => cell.key === key);
					const cell: Cell = config ? structuredClone(config) : { key, value: extractedValue(key, prompt, r), position: [], index: r, confidence: 0.9 };
					const at = row.findIndex((c) => c.key === key);
					if (at >= 0) row[at] = cell;
					else row.push(cell);
				});
			}
			table.items = rows;
			table.extractModel = request.model === 'Auto' || request.model === undefined ? 'Acgpt' : request.model;
			table.configModel = request.model ?? 'Acgpt';
		}
		const main = mainTable(nextTables);
		const nextItems = main ? (main.items ?? []).map((row) => row.map((cell) => ({ key: cell.key, value: cell.value, position: cell.position }))) : data.items;
		t.dataOverride = { ...data, fields: nextFields, items: nextItems, tables: nextTables };
		store.touch(t);
		return { total: 1, page: 1, page_size: 1, files: [render(t)] };
	}

	/**
	 * file/delete: files matching ANY condition go (batch numbers, task IDs, file IDs, or the
	 * update-time range in epoch seconds), their split/crop parts with them. Irreversible.
	 */
	function handleDelete(ctx: Ctx): Record<string, unknown> {
		const b = objectBody(ctx);
		const ws = requireWorkspace(ctx, b.workspace_id);
		const batches = stringList(b.batch_number, 'batch_number');
		const taskIds = stringList(b.task_id, 'task_id');
		const fileIds = stringList(b.file_id, 'file_id');
		const start = epochSeconds(b.start_time, 'start_time');
		const end = epochSeconds(b.end_time, 'end_time');
		if (start !== undefined && end !== undefined && start > end) throw bad('invalid start_time: must not be after end_time');
		const hasRange = start !== undefined || end !== undefined;
		if (!batches?.length && !taskIds?.length && !fileIds?.length && !hasRange) {
			throw bad('at least one of batch_number, task_id, file_id, start_time, end_time is required');
		}
		const inRange = (t: TaskRec) => {
			// in DocFlow's clock, as file/fetch's start_time/end_time
			const time = store.docflowUpdateTime(t);
			return (start === undefined || time >= start * 1000) && (end === undefined || time < (end + 1) * 1000);
		};
		const doomed = store
			.all()
			.filter((t) => t.workspaceId === ws.workspace_id && !t.parentTaskId)
			.filter(
				(t) =>
					!!batches?.includes(t.batchNumber) ||
					!!taskIds?.includes(t.taskId) ||
					!!fileIds?.includes(t.fileId) ||
					(hasRange && inRange(t)),
			);
		for (const t of doomed) {
			for (const id of t.childIds) store.tasks.delete(id);
			store.tasks.delete(t.taskId);
		}
		return { deleted_count: doomed.length };
	}

	return {
		'file/retry': { method: 'POST', run: handleRetry },
		'file/update': { method: 'POST', run: handleUpdate },
		'file/amend_category': { method: 'POST', run: handleAmend },
		'file/extract_fields': { method: 'POST', run: handleExtract },
		'file/delete': { method: 'POST', run: handleDelete },
	};
}
