/**
 * Shapes of the DocFlow REST API (rest-api/openapi.bundle.yaml), as far as the node reads them.
 * Everything else a response carries is passed through untouched.
 */

export const API_PREFIX = '/api/app-api/sip/platform/v2/';

/** Every current (not deprecated) path of the spec, after API_PREFIX. */
export type Endpoint =
	| 'file/upload'
	| 'file/upload/sync'
	| 'file/fetch'
	| 'file/update'
	| 'file/delete'
	| 'file/extract_fields'
	| 'file/retry'
	| 'file/amend_category'
	| 'auth/token'
	| 'workspace/create'
	| 'workspace/list'
	| 'workspace/get'
	| 'workspace/update'
	| 'workspace/delete'
	| 'category/create'
	| 'category/list'
	| 'category/update'
	| 'category/delete'
	| 'category/fields/list'
	| 'category/fields/batch_add'
	| 'category/fields/batch_update'
	| 'category/fields/delete'
	| 'category/tables/list'
	| 'category/tables/batch_add'
	| 'category/tables/batch_update'
	| 'category/tables/delete'
	| 'category/sample/batch_upload'
	| 'category/sample/list'
	| 'category/sample/batch_download'
	| 'category/sample/delete'
	| 'review/rule_repo/create'
	| 'review/rule_repo/delete'
	| 'review/rule_repo/update'
	| 'review/rule_repo/list'
	| 'review/rule_repo/get'
	| 'review/rule_group/create'
	| 'review/rule_group/delete'
	| 'review/rule_group/update'
	| 'review/rule/create'
	| 'review/rule/update'
	| 'review/rule/delete'
	| 'review/task/submit'
	| 'review/task/delete'
	| 'review/task/result'
	| 'review/task/retry'
	| 'review/task/rule/retry';

/** Every DocFlow answer: HTTP 200 with `code` 200 for success, any other `code` is a business error. */
export interface CodeMessage {
	code: number;
	msg: string;
	result?: unknown;
}

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

export interface Workspace {
	workspace_id: string;
	name: string;
	description?: string;
}

export interface WorkspaceListResult {
	total: number;
	page: number;
	page_size: number;
	workspaces: Workspace[];
}

export interface Category {
	id: string;
	name: string;
	description?: string;
	enabled?: string;
}

export interface CategoryListResult {
	total: number;
	page: number;
	page_size: number;
	categories: Category[];
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

// ---------- Workspace (workspace/create, get, list, update, delete) ----------

/** The spec's Workspace schema in full, as workspace/get and workspace/list return it. */
export interface WorkspaceDetails extends Workspace {
	/** 0: visible only to its creator, 1: visible to the enterprise's members. */
	auth_scope?: number;
	manage_account_id?: string;
	manage_account_name?: string;
	callback_url?: string;
	callback_retry_time?: number;
	[key: string]: unknown;
}

export interface WorkspaceCreateResult {
	workspace_id: string;
}

/** auth_scope: who sees a workspace (spec: 0 only its creator, 1 the enterprise's members). */
export const WORKSPACE_AUTH_SCOPES: Record<number, string> = {
	0: 'Only Me',
	1: 'Enterprise Members',
};

/** Limits of the spec's workspace/create and workspace/update bodies. */
export const WORKSPACE_LIMITS = {
	nameMaxLength: 50,
	createDescriptionMaxLength: 200,
	updateDescriptionMaxLength: 500,
	callbackRetryMin: 1,
	callbackRetryMax: 3,
} as const;

// ---------- Category Sample (category/sample/batch_upload, list, batch_download, delete) ----------

/** The spec's CategorySample: one example document of a file category. */
export interface CategorySample {
	sample_id: string;
	file_name: string;
	[key: string]: unknown;
}

export interface CategorySampleListResult {
	total: number;
	page: number;
	page_size: number;
	samples: CategorySample[];
}

/**
 * category/sample/batch_upload's result: the category's whole sample list with
 * `with_detail=true` (the spec). The samples guide shows `sample_ids` instead; read too.
 */
export interface CategorySampleUploadResult {
	samples?: CategorySample[];
	sample_ids?: string[];
}

/**
 * Limits on samples. Per request: the spec's `maxItems: 10` for `files` (its description says
 * 20; the schema's limit is the one a server validates). Per category: 20 (category/create's
 * description and the category guides). Size and formats: the samples guide refers to the
 * upload's (MAX_FILE_BYTES, SUPPORTED_EXTENSIONS). Pages: page_size up to 100 (the guide).
 */
export const CATEGORY_SAMPLE_LIMITS = {
	filesPerUpload: 10,
	samplesPerCategory: 20,
	pageSize: 100,
} as const;

