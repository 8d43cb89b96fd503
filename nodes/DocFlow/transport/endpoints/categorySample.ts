import { CATEGORY_SAMPLE_LIMITS } from '../api.types';
import type { CategorySample, CategorySampleListResult, CategorySampleUploadResult } from '../api.types';
import type { DownloadedFile } from '../answers';
import { MultipartBody } from '../multipart';
import type { MultipartFile } from '../multipart';
import { docflowRequest } from '../request';
import type { DocflowContext, RetrySettings } from '../request';
import { sendVerified } from '../sendVerified';
import type { VerifiedSend } from '../sendVerified';

/** The typed calls of DocFlow's category/sample/… endpoints. */

export interface CategoryRef {
	workspaceId: string;
	categoryId: string;
}

/** One page of a category's samples (the pickers page through it themselves). */
export async function listCategorySamplesPage(
	ctx: DocflowContext,
	query: CategoryRef & { page: number; pageSize: number },
	options: { itemIndex?: number; retry?: Partial<RetrySettings> } = {},
): Promise<Partial<CategorySampleListResult> | undefined> {
	return (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'category/sample/list',
		qs: {
			workspace_id: query.workspaceId,
			category_id: query.categoryId,
			page: query.page,
			page_size: query.pageSize,
		},
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	})) as Partial<CategorySampleListResult> | undefined;
}

/**
 * A category's samples, following page/page_size until DocFlow has no more (or `limit` is
 * reached). A short page ends the list only when DocFlow gives no total: a server may cap
 * page_size below what was asked.
 */
export async function listCategorySamples(
	ctx: DocflowContext,
	category: CategoryRef,
	options: { itemIndex?: number; limit?: number; retry?: Partial<RetrySettings> } = {},
): Promise<CategorySample[]> {
	const pageSize = Math.min(options.limit ?? CATEGORY_SAMPLE_LIMITS.pageSize, CATEGORY_SAMPLE_LIMITS.pageSize);
	const samples: CategorySample[] = [];
	for (let page = 1; ; page++) {
		const result = await listCategorySamplesPage(ctx, { ...category, page, pageSize }, options);
		const pageSamples = Array.isArray(result?.samples)
			? result.samples.filter((sample) => typeof sample === 'object' && sample !== null)
			: [];
		samples.push(...pageSamples);
		const limitReached = options.limit !== undefined && samples.length >= options.limit;
		const lastPage =
			typeof result?.total === 'number' ? samples.length >= result.total : pageSamples.length < pageSize;
		if (limitReached || lastPage || pageSamples.length === 0) break;
	}
	return options.limit !== undefined ? samples.slice(0, options.limit) : samples;
}

export interface SampleUploadRequest extends CategoryRef {
	files: MultipartFile[];
	itemIndex: number;
	retry: Partial<RetrySettings>;
}

/**
 * category/sample/batch_upload, never carried out twice (see sendVerified): `build` is called
 * before every send, so a resend after a lost answer carries only the files DocFlow does not
 * have. The spec takes workspace_id and category_id as form fields, beside the `files` parts;
 * `with_detail` makes DocFlow answer with the category's samples, so the new ones' IDs are known.
 * Resolves with DocFlow's answer, or undefined when `verify` found every file in DocFlow.
 */
export async function uploadCategorySamples(
	ctx: DocflowContext,
	build: () => SampleUploadRequest,
	check: Omit<VerifiedSend, 'request'>,
): Promise<CategorySampleUploadResult | undefined> {
	return await sendVerified<CategorySampleUploadResult>(ctx, {
		...check,
		request: () => {
			const upload = build();
			return {
				method: 'POST',
				endpoint: 'category/sample/batch_upload',
				multipart: new MultipartBody(upload.files, 'files', undefined, {
					workspace_id: upload.workspaceId,
					category_id: upload.categoryId,
					with_detail: 'true',
				}),
				itemIndex: upload.itemIndex,
				retry: upload.retry,
			};
		},
	});
}

/** category/sample/delete, never carried out twice (see sendVerified). */
export async function deleteCategorySamples(
	ctx: DocflowContext,
	build: () => CategoryRef & { sampleIds: string[]; itemIndex: number; retry: Partial<RetrySettings> },
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => {
			const request = build();
			return {
				method: 'POST',
				endpoint: 'category/sample/delete',
				json: {
					workspace_id: request.workspaceId,
					category_id: request.categoryId,
					sample_ids: request.sampleIds,
				},
				itemIndex: request.itemIndex,
				retry: request.retry,
			};
		},
		verify,
	});
}

// ---------- the ZIP DocFlow sends ----------

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_BYTES = 22;

/** Where the ZIP's end-of-central-directory record starts, or -1 when it has none. */
function endOfCentralDirectory(data: Buffer): number {
	const lowest = Math.max(0, data.length - EOCD_BYTES - 0xffff);
	for (let at = data.length - EOCD_BYTES; at >= lowest; at--) {
		if (data.readUInt32LE(at) === EOCD_SIGNATURE && at + EOCD_BYTES + data.readUInt16LE(at + 20) === data.length) {
			return at;
		}
	}
	return -1;
}

/**
 * What is wrong with a ZIP, if anything: a ZIP ends with its directory, so one cut off
 * (a connection that broke, a proxy's limit) is told from a whole one without unpacking it.
 */
export function zipProblem(data: Buffer): string | undefined {
	const start = data.length >= 4 ? data.readUInt32LE(0) : 0;
	if (data.length < EOCD_BYTES || (start !== 0x04034b50 && start !== EOCD_SIGNATURE)) {
		return 'a file that is not a ZIP';
	}
	const eocd = endOfCentralDirectory(data);
	if (eocd < 0) return 'a ZIP file that breaks off (truncated)';
	const size = data.readUInt32LE(eocd + 12);
	const offset = data.readUInt32LE(eocd + 16);
	// ZIP64 (over 4 GiB) keeps the real values elsewhere: nothing to check here.
	if (size === 0xffffffff || offset === 0xffffffff) return undefined;
	if (offset + size > eocd) return 'a ZIP file whose directory is damaged';
	return undefined;
}

function entryName(raw: Buffer, utf8Flag: boolean): string {
	if (utf8Flag) return raw.toString('utf8');
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(raw);
	} catch {
		return raw.toString('latin1');
	}
}

/** The names of the files in a (whole) ZIP, in its directory's order; folders left out. */
export function zipEntryNames(data: Buffer): string[] {
	const eocd = endOfCentralDirectory(data);
	if (eocd < 0) return [];
	const count = data.readUInt16LE(eocd + 10);
	let at = data.readUInt32LE(eocd + 16);
	const names: string[] = [];
	for (let i = 0; i < count && at + 46 <= eocd; i++) {
		if (data.readUInt32LE(at) !== CENTRAL_SIGNATURE) break;
		const flags = data.readUInt16LE(at + 8);
		const nameLength = data.readUInt16LE(at + 28);
		const extraLength = data.readUInt16LE(at + 30);
		const commentLength = data.readUInt16LE(at + 32);
		const name = entryName(data.subarray(at + 46, at + 46 + nameLength), (flags & 0x0800) !== 0);
		if (!name.endsWith('/')) names.push(name);
		at += 46 + nameLength + extraLength + commentLength;
	}
	return names;
}

/** The file name a Content-Disposition header gives (RFC 6266: filename* before filename). */
export function fileNameFromDisposition(header: string | undefined): string | undefined {
	if (!header) return undefined;
	const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
	let name: string | undefined;
	if (extended) {
		try {
			name = decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
		} catch {
			name = undefined;
		}
	}
	if (!name) {
		const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
		name = plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2]?.trim()) : undefined;
	}
	// Only the name: a path in it must not decide where a later node writes the file.
	const base = name?.split(/[\\/]/).pop()?.trim();
	return base ? base : undefined;
}

/**
 * category/sample/batch_download: a ZIP of the chosen samples (all of them when `sampleIds`
 * is absent), checked to be whole. A read: sent again freely after a lost or cut-off answer.
 */
export async function downloadCategorySamples(
	ctx: DocflowContext,
	request: CategoryRef & { sampleIds?: string[]; itemIndex: number; retry: Partial<RetrySettings> },
): Promise<DownloadedFile> {
	const body: Record<string, unknown> = { workspace_id: request.workspaceId, category_id: request.categoryId };
	if (request.sampleIds) body.sample_ids = request.sampleIds;
	return (await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'category/sample/batch_download',
		json: body,
		itemIndex: request.itemIndex,
		resend: 'always',
		retry: request.retry,
		// The spec answers application/zip, the samples guide application/octet-stream; JSON for errors.
		download: { accept: 'application/zip, application/octet-stream, application/json', check: zipProblem },
	})) as DownloadedFile;
}
