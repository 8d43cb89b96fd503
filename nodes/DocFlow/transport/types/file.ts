/** The File resource's shapes: uploads, results, statuses, and what DocFlow accepts. */
import type { ExtractModel } from './category';

export interface UploadedFile {
	id: string;
	task_id?: string;
	name: string;
	format: string;
}

export interface UploadResult {
	batch_number: string;
	files: UploadedFile[];
}

export interface Position {
	page?: number;
	vertices?: number[];
}

export interface KeyValue {
	key?: string;
	identifier?: string;
	value?: string;
	position?: Position[];
	confidence?: number;
	extractModel?: string;
	configModel?: string;
	index?: number;
}

export interface TableData {
	tableName?: string;
	tableType?: string;
	extractModel?: string;
	configModel?: string;
	items?: KeyValue[][];
}

export interface StampValue {
	angel?: number;
	page?: number;
	text?: string;
	type?: string;
	color?: string;
	shape?: string;
	position?: number[];
}

export interface HandwritingValue {
	angel?: number;
	page?: number;
	text?: string;
	position?: Position[];
}

export interface ExtractedData {
	fields?: KeyValue[];
	items?: KeyValue[][];
	tables?: TableData[];
	stamps?: StampValue[];
	handwritings?: HandwritingValue[];
	invoiceVerifyResult?: Record<string, unknown>;
}

/** Task type, see TASK_TYPES. */
export type TaskType = 0 | 1 | 2 | 3;

export interface DocflowFile {
	id: string;
	task_id?: string;
	task_type?: TaskType;
	parent_task_id?: string;
	task_detail_url?: string;
	batch_number?: string;
	name: string;
	format: string;
	recognition_status: number;
	failure_causes?: string;
	verification_status: number;
	category: string;
	pages?: unknown[];
	data?: ExtractedData;
	document?: unknown;
	child_files?: DocflowFile[];
	duration_ms?: number;
	total_page_num?: number;
	parser_params?: Record<string, unknown>;
	crop_info?: Record<string, unknown>;
	from_parent_position_list?: number[];
	[key: string]: unknown;
}

export interface FetchResult {
	total: number;
	page: number;
	page_size: number;
	files: DocflowFile[];
}


/** DocumentParserParam: the parser options, as `parser_params` in a retry body. */
export interface ParserParams {
	remove_watermark?: number;
	crop_dewarp?: number;
	apply_merge?: number;
	formula_level?: number;
	table_text_split_mode?: number;
	dpi?: number;
	parse_mode?: string;
	pdf_pwd?: string;
}

/**
 * recognition_status: DocFlow's own name, one word a user can filter on in an IF node, and
 * whether DocFlow is done with the task (until it is retried). The one table of statuses.
 */
export const RECOGNITION_STATUSES: Record<number, { name: string; word: string; final: boolean }> = {
	0: { name: 'Pending Recognition', word: 'pending', final: false },
	1: { name: 'Recognition Success', word: 'success', final: true },
	2: { name: 'Recognition Failed', word: 'failed', final: true },
	3: { name: 'Classifying', word: 'classifying', final: false },
	4: { name: 'Extracting', word: 'extracting', final: false },
	5: { name: 'Preparing', word: 'preparing', final: false },
	6: { name: 'File Splitting', word: 'splitting', final: false },
	7: { name: 'Image Cropping', word: 'cropping', final: false },
	10: { name: 'Classification Complete', word: 'classified', final: true },
	20: { name: 'Parsing', word: 'parsing', final: false },
};

export const STATUS_SUCCESS = 1;
export const STATUS_FAILED = 2;
export const STATUS_CLASSIFIED = 10;

/** A code's entry in one of the tables here; undefined for anything DocFlow does not define. */
export function entryOf<T>(table: Record<number, T>, code: unknown): T | undefined {
	return typeof code === 'number' && Object.hasOwn(table, code) ? table[code] : undefined;
}

export function recognitionStatus(code: unknown): (typeof RECOGNITION_STATUSES)[number] | undefined {
	return entryOf(RECOGNITION_STATUSES, code);
}

export function isFinalStatus(code: unknown): boolean {
	return recognitionStatus(code)?.final === true;
}

export const VERIFICATION_STATUS: Record<number, string> = {
	0: 'Pending Verification',
	2: 'Confirmed',
	3: 'Rejected',
	4: 'Deleted',
	5: 'Deferred Processing',
};

/**
 * task_type: 0 split part, 1 regular, 2 parent (split or crop switched on), 3 cropped image.
 * `child` marks the parts of a parent, which DocFlow cannot retry on their own.
 */
export const TASK_TYPES: Record<number, { word: string; child: boolean }> = {
	0: { word: 'split part', child: true },
	1: { word: 'regular', child: false },
	2: { word: 'parent', child: false },
	3: { word: 'cropped image', child: true },
};

/** The file formats DocFlow accepts (01-upload/support_format.mdx). */
export const SUPPORTED_EXTENSIONS = [
	'pdf',
	'ofd',
	'doc',
	'docx',
	'txt',
	'xls',
	'xlsx',
	'jpeg',
	'jpg',
	'png',
	'tiff',
	'tif',
];

export const MAX_FILE_BYTES = 100 * 1024 * 1024;
export const MAX_URLS_PER_UPLOAD = 10;
export const MAX_FETCH_PAGE_SIZE = 1000;


// ---------- Upload at scale: the synchronous upload, combined uploads ----------

/** The two upload endpoints; both take the same query and body. */
export type UploadEndpoint = 'file/upload' | 'file/upload/sync';

/**
 * file/upload/sync's answer (the spec's TaskProcessResult): the files of the request once
 * processed, shaped as file/fetch returns them.
 */
export type SyncUploadResult = FetchResult;

/**
 * Bounds of one combined upload request (several items' files in one multipart body). DocFlow
 * documents no per-request bound for multipart uploads (01-upload/quickstart.mdx only says to
 * split a batch over several requests "when the total size of multiple files is too large");
 * the only per-request count it documents is 10 URLs (upload_by_urls.mdx, the spec's
 * `maxItems: 10`), and the only size is 100 MB per file (support_format.mdx). So a combined
 * request carries at most 10 files and at most 100 MiB: never more files than DocFlow takes
 * in one URL upload, never more bytes than one single-file upload may already be.
 */
export const COMBINED_UPLOAD_DEFAULTS = { maxFiles: 10, maxBytes: MAX_FILE_BYTES } as const;

/** The guide's advice for the synchronous upload's timeout (01-upload/upload_sync.mdx: "at least 300 seconds"). */
export const SYNC_UPLOAD_TIMEOUT_MS = 300_000;

// ---------- File results: update, amend category, extract fields, delete ----------

/** One entry of file/update's body (an array): `data` REPLACES the file's whole result. */
export interface FileUpdateEntry {
	workspace_id: string;
	file_id: string;
	data: { fields: KeyValue[]; items: KeyValue[][] };
}

/** file/update's answer: the files it updated. */
export interface FileUpdateResult {
	files?: Array<{ workspace_id?: string; id?: string }>;
}

/** file/delete's answer. */
export interface FileDeleteResult {
	deleted_count?: number;
}

/** ExtractFieldReqVO: a field to extract (or extract again), with an optional prompt; models as EXTRACT_MODELS. */
export interface ExtractFieldRequest {
	key: string;
	prompt?: string;
	extract_model?: ExtractModel;
}

/** file/extract_fields' body; its answer is shaped as file/fetch's (FetchResult). */
export interface ExtractFieldsBody {
	workspace_id: string;
	task_id: string;
	fields?: ExtractFieldRequest[];
	tables?: Array<{ name: string; extract_model?: ExtractModel; fields: Array<Omit<ExtractFieldRequest, 'extract_model'>> }>;
}

/** file/amend_category's body: `category` for a regular task, `split_tasks` or `crop_tasks` for a parent. */
export interface AmendCategoryBody {
	workspace_id: string;
	task_id: string;
	category?: string;
	/** Every part of a split parent (parts left out are deleted), pages from 0. */
	split_tasks?: Array<{ category: string; pages: number[] }>;
	crop_tasks?: Array<{ crop_child_task_id: string; category: string }>;
}
