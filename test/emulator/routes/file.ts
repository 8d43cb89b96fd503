// file/…
import {
	BizError,
	MAX_FILE_BYTES,
	MSG,
	SUPPORTED_FORMATS,
	bad,
	boolParam,
	enumParam,
	extOf,
	intParam,
	nameFromUrl,
	parserParamsFromJson,
	parserParamsFromQuery,
	timeParam,
} from '../params.ts';
import type { Ctx } from '../params.ts';
import { sha256Hex } from '../signature.ts';
import { FINAL_STATUSES, newId } from '../state.ts';
import type { TaskRec } from '../state.ts';
import type { UploadOptions } from '../types.ts';
import type { RouteEnv, Routes } from './env.ts';

export function fileRoutes({ store, requireWorkspace, baseUrl: emulatorUrl, maxPageSize: pageCap }: RouteEnv): Routes {
	function handleUpload(ctx: Ctx, sync: boolean): Record<string, unknown> {
		const q = ctx.query;
		const ws = requireWorkspace(ctx, q.workspace_id);
		const opts: UploadOptions = {};
		const avv = boolParam(q, 'auto_verify_vat');
		if (avv !== undefined) opts.auto_verify_vat = avv;
		const split = boolParam(q, 'split_flag');
		if (split !== undefined) opts.split_flag = split;
		const crop = boolParam(q, 'crop_flag');
		if (crop !== undefined) opts.crop_flag = crop;
		const tp = enumParam(q, 'target_process', ['classify', 'extract']);
		if (tp) opts.target_process = tp as 'classify' | 'extract';
		if (sync) {
			const w = boolParam(q, 'with_task_detail_url');
			if (w !== undefined) opts.with_task_detail_url = w;
		}
		const parserParams = parserParamsFromQuery(q);
		if (q.category !== undefined && q.category !== '') {
			if (!ws.categories.some((c) => c.name === q.category && c.enabled === '1')) throw bad(`category does not exist: ${q.category}`);
			opts.category = q.category;
		}
		if (ctx.overflow) throw bad('request body too large');

		const ct = (ctx.headers['content-type'] ?? '').toLowerCase();
		const files: Array<{ name: string; format: string; size: number; sha256?: string; url?: string; source: 'multipart' | 'url' }> = [];
		if (ct.startsWith('multipart/form-data')) {
			if (ctx.multipartError) throw bad(`invalid multipart body: ${ctx.multipartError}`);
			const parts = (ctx.parts ?? []).filter((p) => p.name === 'file');
			if (parts.length === 0) throw bad('file is required');
			for (const p of parts) {
				// As many servers' multipart handling does: only what follows the last / or \ is kept.
				const fn = p.filename?.slice(Math.max(p.filename.lastIndexOf('/'), p.filename.lastIndexOf('\\')) + 1);
				if (fn === undefined || fn === '') throw bad('file part has no filename');
				const ext = extOf(fn);
				if (p.data.length === 0) throw bad(`file is empty: ${fn}`);
				if (p.data.length > MAX_FILE_BYTES) throw bad(`file too large: ${fn} (${p.data.length} bytes, max 100MB)`);
				if (!SUPPORTED_FORMATS.includes(ext)) throw bad(`unsupported file format: ${fn} (supported: ${SUPPORTED_FORMATS.join(', ')})`);
				files.push({ name: fn, format: ext, size: p.data.length, sha256: sha256Hex(p.data), source: 'multipart' });
			}
		} else if (ct.includes('json')) {
			if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
			const urls = (ctx.json as { urls?: unknown } | undefined)?.urls;
			if (!Array.isArray(urls) || urls.length === 0) throw bad('urls is required');
			if (urls.length > 10) throw bad(`too many urls: ${urls.length} (at most 10 per upload)`);
			for (const u of urls) {
				if (typeof u !== 'string' || !/^https?:\/\/.+/i.test(u))
					throw bad(`invalid url: ${String(u)} (must start with http:// or https://)`);
				const name = nameFromUrl(u);
				const ext = extOf(name);
				if (!SUPPORTED_FORMATS.includes(ext))
					throw bad(`unsupported file format: ${name || u} (supported: ${SUPPORTED_FORMATS.join(', ')})`);
				files.push({ name, format: ext, size: 0, url: u, source: 'url' });
			}
		} else {
			throw bad('file is required');
		}

		const batch = q.batch_number ? q.batch_number : newId();
		const created: TaskRec[] = files.map((f) =>
			store.add({
				taskId: newId(),
				fileId: newId(),
				batchNumber: batch,
				workspaceId: ws.workspace_id,
				enterpriseId: ctx.enterpriseHeader,
				name: f.name,
				format: f.format,
				size: f.size,
				sha256: f.sha256,
				url: f.url,
				source: f.source,
				uploadQuery: { ...q },
				options: opts,
				parserParams: { ...parserParams },
				taskType: opts.split_flag || opts.crop_flag ? 2 : 1,
			}),
		);
		if (!sync) {
			return { batch_number: batch, files: created.map((t) => ({ id: t.fileId, task_id: t.taskId, name: t.name, format: t.format })) };
		}
		for (const t of created) store.forceFinal(t);
		store.materialize();
		return {
			total: created.length,
			page: 1,
			page_size: created.length,
			files: created.map((t) => store.render(t, { withDocument: false, withTaskDetailUrl: !!opts.with_task_detail_url, baseUrl: emulatorUrl() })),
		};
	}

	function handleFetch(ctx: Ctx): Record<string, unknown> {
		const q = ctx.query;
		const ws = requireWorkspace(ctx, q.workspace_id);
		const page = intParam(q, 'page', 1, 1, 1_000_000_000);
		// A server may hand out fewer files per page than asked for (maxPageSize); page_size says how many it did.
		const pageSize = Math.min(intParam(q, 'page_size', 1000, 1, 1000), pageCap() ?? 1000);
		const rs = enumParam(q, 'recognition_status', ['0', '1', '2', '3', '4', '5', '6', '7', '10', '20']);
		const vs = enumParam(q, 'verification_status', ['0', '2', '3', '4', '5']);
		const start = timeParam(q, 'start_time');
		const end = timeParam(q, 'end_time');
		const withDocument = !!boolParam(q, 'with_document');
		const withUrl = !!boolParam(q, 'with_task_detail_url');
		const render = { withDocument, withTaskDetailUrl: withUrl, baseUrl: emulatorUrl() };

		const matches = (t: TaskRec) => {
			if (q.batch_number && t.batchNumber !== q.batch_number) return false;
			if (q.file_id && t.fileId !== q.file_id) return false;
			if (q.task_id && t.taskId !== q.task_id) return false;
			if (q.category && store.category(t) !== q.category) return false;
			if (rs !== undefined && store.status(t) !== Number(rs)) return false;
			if (vs !== undefined && Number(vs) !== 0) return false;
			const ut = store.updateTime(t);
			if (start !== undefined && ut < start) return false;
			if (end !== undefined && ut > end) return false;
			return true;
		};
		const inWs = store.all().filter((t) => t.workspaceId === ws.workspace_id);
		let list: TaskRec[];
		const child = inWs.find((t) => t.parentTaskId && ((q.task_id && t.taskId === q.task_id) || (q.file_id && t.fileId === q.file_id)));
		if (child) list = [child].filter(matches);
		else list = inWs.filter((t) => !t.parentTaskId).filter(matches);
		return {
			total: list.length,
			page,
			page_size: pageSize,
			files: list.slice((page - 1) * pageSize, page * pageSize).map((t) => store.render(t, render)),
		};
	}

	function handleRetry(ctx: Ctx): undefined {
		if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
		const body = ctx.json;
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('workspace_id is required');
		const b = body as Record<string, unknown>;
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

	return {
		'file/upload': { method: 'POST', run: (c) => handleUpload(c, false) },
		'file/upload/sync': { method: 'POST', run: (c) => handleUpload(c, true) },
		'file/fetch': { method: 'GET', run: handleFetch },
		'file/retry': { method: 'POST', run: handleRetry },
	};
}
