// category/sample/… : a category's example documents, kept here (per workspace and category) and
// reset with the emulator. Limits as the spec has them: at most 10 files per batch_upload
// (`maxItems`), at most 20 samples per category (category/create's description), the upload's
// size limit and formats (the samples guide refers to them); a category keeps at least one sample
// (the samples guide's warning), so deleting the last one is refused.
import { crc32, deflateRawSync } from 'node:zlib';

import { BizError, MAX_FILE_BYTES, RawReply, SUPPORTED_FORMATS, bad, extOf, intParam } from '../params.ts';
import type { Ctx } from '../params.ts';
import { newId } from '../state.ts';
import type { EmulatorCategory, EmulatorWorkspace } from '../types.ts';
import type { RouteEnv, Routes } from './env.ts';

export const SAMPLE_LIMITS = { filesPerUpload: 10, samplesPerCategory: 20, pageSize: 100 };

export const SAMPLE_MSG = {
	CATEGORY_REQUIRED: 'category_id is required',
	CATEGORY_NOT_FOUND: '文件类别不存在',
	FILES_REQUIRED: 'files is required',
	SAMPLE_IDS_REQUIRED: 'sample_ids is required',
	KEEP_ONE: '每个文件类别至少保留一个样本',
};

interface StoredSample {
	sample_id: string;
	file_name: string;
	data: Buffer;
}

/** The sample every category has from the start (DocFlow creates a category from a sample). */
export function seedSampleOf(category: Pick<EmulatorCategory, 'id' | 'name'>): { file_name: string; data: Buffer } {
	return {
		file_name: `${category.name}-sample.pdf`,
		data: Buffer.from(`%PDF-1.4\n% sample of category ${category.id} (${category.name})\n%%EOF\n`),
	};
}

// ---------- a small ZIP writer (DocFlow's download is a ZIP; node:zlib does the deflating) ----------

const DOS_TIME = (12 << 11) | (0 << 5); // 12:00:00
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1; // 2024-01-01

export function zipOf(entries: Array<{ name: string; data: Buffer }>): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = Buffer.from(entry.name, 'utf8');
		const deflated = deflateRawSync(entry.data);
		// Stored when deflating does not pay (small or already compressed files), as zip tools do.
		const method = deflated.length < entry.data.length ? 8 : 0;
		const body = method === 8 ? deflated : entry.data;
		const crc = crc32(entry.data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6); // names in UTF-8
		local.writeUInt16LE(method, 8);
		local.writeUInt16LE(DOS_TIME, 10);
		local.writeUInt16LE(DOS_DATE, 12);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(body.length, 18);
		local.writeUInt32LE(entry.data.length, 22);
		local.writeUInt16LE(name.length, 26);
		local.writeUInt16LE(0, 28);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(method, 10);
		central.writeUInt16LE(DOS_TIME, 12);
		central.writeUInt16LE(DOS_DATE, 14);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(body.length, 20);
		central.writeUInt32LE(entry.data.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, body);
		centrals.push(central, name);
		offset += local.length + name.length + body.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directory, end]);
}

export function categorySampleRoutes({ requireWorkspace, onReset, maxPageSize }: RouteEnv): Routes {
	/** workspace id + category id → its samples, in upload order. */
	const samples = new Map<string, StoredSample[]>();
	onReset(() => samples.clear());

	function requireCategory(ws: EmulatorWorkspace, id: unknown): EmulatorCategory {
		if (id === undefined || id === null || id === '') throw bad(SAMPLE_MSG.CATEGORY_REQUIRED);
		const category = ws.categories.find((c) => c.id === String(id));
		if (!category) throw new BizError(40004, SAMPLE_MSG.CATEGORY_NOT_FOUND);
		return category;
	}

	/**
	 * A category's samples. A category seen for the first time starts with the sample files it was
	 * created with, when a route put them on it (`sample_files`, e.g. category/create), else with
	 * its seed sample.
	 */
	function samplesOf(ws: EmulatorWorkspace, category: EmulatorCategory): StoredSample[] {
		const key = `${ws.workspace_id}/${category.id}`;
		let list = samples.get(key);
		if (!list) {
			const created = (category as { sample_files?: Array<{ file_name: string; data: Buffer }> }).sample_files;
			const initial = Array.isArray(created) && created.length > 0 ? created : [seedSampleOf(category)];
			list = initial.map((file) => ({ sample_id: newId(), file_name: file.file_name, data: Buffer.from(file.data) }));
			samples.set(key, list);
		}
		return list;
	}

	const shown = (s: StoredSample) => ({ sample_id: s.sample_id, file_name: s.file_name });

	/** sample_ids of a JSON body: a non-empty list of known sample IDs (strings, as the spec has them). */
	function sampleIdsOf(value: unknown, list: StoredSample[], required: boolean): StoredSample[] | undefined {
		if (value === undefined || value === null) {
			if (required) throw bad(SAMPLE_MSG.SAMPLE_IDS_REQUIRED);
			return undefined;
		}
		if (!Array.isArray(value) || value.length === 0) throw bad('sample_ids must be a non-empty array');
		const chosen: StoredSample[] = [];
		for (const id of value) {
			if (typeof id !== 'string') throw bad(`invalid sample_ids: ${JSON.stringify(id)} is not a string`);
			const sample = list.find((s) => s.sample_id === id);
			if (!sample) throw bad(`sample does not exist: ${id}`);
			if (!chosen.includes(sample)) chosen.push(sample);
		}
		return chosen;
	}

	function jsonBody(ctx: Ctx): Record<string, unknown> {
		if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
		if (typeof ctx.json !== 'object' || ctx.json === null || Array.isArray(ctx.json)) throw bad('invalid JSON body: must be an object');
		return ctx.json as Record<string, unknown>;
	}

	function handleUpload(ctx: Ctx): Record<string, unknown> {
		if (ctx.overflow) throw bad('request body too large');
		if (!(ctx.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) throw bad(SAMPLE_MSG.FILES_REQUIRED);
		if (ctx.multipartError) throw bad(`invalid multipart body: ${ctx.multipartError}`);
		const parts = ctx.parts ?? [];
		// The spec's form fields: text parts (no filename).
		const field = (name: string) => parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8');
		const ws = requireWorkspace(ctx, field('workspace_id'));
		const category = requireCategory(ws, field('category_id'));
		const withDetail = field('with_detail');
		if (withDetail !== undefined && withDetail !== 'true' && withDetail !== 'false') throw bad('invalid with_detail: must be true or false');
		const files = parts.filter((p) => p.name === 'files' && p.filename !== undefined);
		if (files.length === 0) throw bad(SAMPLE_MSG.FILES_REQUIRED);
		if (files.length > SAMPLE_LIMITS.filesPerUpload) {
			throw bad(`too many files: ${files.length} (at most ${SAMPLE_LIMITS.filesPerUpload} per upload)`);
		}
		const list = samplesOf(ws, category);
		const added: StoredSample[] = [];
		for (const p of files) {
			// As many servers' multipart handling does: only what follows the last / or \ is kept.
			const name = p.filename!.slice(Math.max(p.filename!.lastIndexOf('/'), p.filename!.lastIndexOf('\\')) + 1);
			if (name === '') throw bad('file part has no filename');
			if (p.data.length === 0) throw bad(`file is empty: ${name}`);
			if (p.data.length > MAX_FILE_BYTES) throw bad(`file too large: ${name} (${p.data.length} bytes, max 100MB)`);
			if (!SUPPORTED_FORMATS.includes(extOf(name))) {
				throw bad(`unsupported file format: ${name} (supported: ${SUPPORTED_FORMATS.join(', ')})`);
			}
			added.push({ sample_id: newId(), file_name: name, data: Buffer.from(p.data) });
		}
		if (list.length + added.length > SAMPLE_LIMITS.samplesPerCategory) {
			throw bad(
				`too many samples: category ${category.name} has ${list.length}, at most ${SAMPLE_LIMITS.samplesPerCategory} per category`,
			);
		}
		list.push(...added);
		return withDetail === 'true' ? { samples: list.map(shown) } : {};
	}

	function handleList(ctx: Ctx): Record<string, unknown> {
		const ws = requireWorkspace(ctx, ctx.query.workspace_id);
		const category = requireCategory(ws, ctx.query.category_id);
		const page = intParam(ctx.query, 'page', 1, 1, 1_000_000);
		// The emulator's page cap (emu.setMaxPageSize) applies here too: a server may give fewer than asked.
		const pageSize = Math.min(intParam(ctx.query, 'page_size', 20, 1, SAMPLE_LIMITS.pageSize), maxPageSize() ?? Infinity);
		const list = samplesOf(ws, category);
		return {
			total: list.length,
			page,
			page_size: pageSize,
			samples: list.slice((page - 1) * pageSize, page * pageSize).map(shown),
		};
	}

	function handleDownload(ctx: Ctx): RawReply {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const category = requireCategory(ws, body.category_id);
		const list = samplesOf(ws, category);
		const chosen = sampleIdsOf(body.sample_ids, list, false) ?? list;
		const zip = zipOf(chosen.map((s) => ({ name: s.file_name, data: s.data })));
		return new RawReply({
			status: 200,
			contentType: 'application/zip',
			body: zip,
			headers: {
				'content-disposition': `attachment; filename="category-${category.id}-samples.zip"; filename*=UTF-8''${encodeURIComponent(`${category.name}_samples.zip`)}`,
			},
		});
	}

	function handleDelete(ctx: Ctx): undefined {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const category = requireCategory(ws, body.category_id);
		const list = samplesOf(ws, category);
		const doomed = sampleIdsOf(body.sample_ids, list, true)!;
		if (doomed.length >= list.length) throw bad(SAMPLE_MSG.KEEP_ONE);
		for (const sample of doomed) list.splice(list.indexOf(sample), 1);
		return undefined;
	}

	return {
		'category/sample/batch_upload': { method: 'POST', run: handleUpload },
		'category/sample/list': { method: 'GET', run: handleList },
		'category/sample/batch_download': { method: 'POST', run: handleDownload },
		'category/sample/delete': { method: 'POST', run: handleDelete },
	};
}
