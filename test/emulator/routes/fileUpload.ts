// file/upload and file/upload/sync
import {
	MAX_FILE_BYTES,
	SUPPORTED_FORMATS,
	bad,
	boolParam,
	enumParam,
	extOf,
	nameFromUrl,
	parserParamsFromQuery,
} from '../params.ts';
import type { Ctx } from '../params.ts';
import { sha256Hex } from '../signature.ts';
import { newId } from '../state.ts';
import type { TaskRec } from '../state.ts';
import type { UploadOptions } from '../types.ts';
import type { RouteEnv, Routes } from './env.ts';

/**
 * DocFlow's answer lists "the successfully uploaded files" (01-upload/quickstart.mdx): a file it
 * cannot take is left out of the list and not stored, the others are. The emulator does that to
 * a multipart file whose name contains "unaccepted" (a whole request of such files: 40004).
 */
const UNACCEPTED = /unaccepted/i;
/** A file whose name contains "corrupt": DocFlow refuses the whole request (HTTP 200, code 40004, naming it). */
const CORRUPT = /corrupt/i;
/** How often a held file/upload/sync looks whether its files are done (virtual time moves with emu.advance too). */
const SYNC_CHECK_MS = 20;

export function fileUploadRoutes({ store, requireWorkspace, baseUrl: emulatorUrl, sleep }: RouteEnv): Routes {
	/**
	 * file/upload/sync answers only once every file of the request is processed: the connection
	 * is held for the virtual processing time (steps × stepMs from the upload; emu.advance() and
	 * emu.finishAll() shorten it), as DocFlow holds it.
	 */
	async function whenProcessed(created: TaskRec[]): Promise<void> {
		for (;;) {
			store.materialize();
			if (created.every((t) => store.isFinal(t))) return;
			await sleep(SYNC_CHECK_MS);
		}
	}

	function handleUpload(ctx: Ctx, sync: boolean): Record<string, unknown> | Promise<Record<string, unknown>> {
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
				if (CORRUPT.test(fn)) throw bad(`file is corrupt and cannot be read: ${fn}`);
				files.push({ name: fn, format: ext, size: p.data.length, sha256: sha256Hex(p.data), source: 'multipart' });
			}
			const unaccepted = files.filter((f) => UNACCEPTED.test(f.name));
			if (unaccepted.length === files.length) throw bad(`file upload failed: ${unaccepted.map((f) => f.name).join(', ')}`);
			files.splice(0, files.length, ...files.filter((f) => !UNACCEPTED.test(f.name)));
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
		return whenProcessed(created).then(() => ({
			total: created.length,
			page: 1,
			page_size: created.length,
			files: created.map((t) => store.render(t, { withDocument: false, withTaskDetailUrl: !!opts.with_task_detail_url, baseUrl: emulatorUrl() })),
		}));
	}

	return {
		'file/upload': { method: 'POST', run: (c) => handleUpload(c, false) },
		'file/upload/sync': { method: 'POST', run: (c) => handleUpload(c, true) },
	};
}
