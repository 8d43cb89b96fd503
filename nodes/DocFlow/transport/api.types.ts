/**
 * Shapes of the DocFlow REST API (rest-api/openapi.bundle.yaml), as far as the node reads them.
 * Everything else a response carries is passed through untouched.
 */

export const API_PREFIX = '/api/app-api/sip/platform/v2/';

export type Endpoint =
	| 'file/upload'
	| 'file/fetch'
	| 'file/retry'
	| 'auth/token'
	| 'workspace/list'
	| 'category/list';

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

/**
 * Task type: 0 split child, 1 regular, 2 parent (split or crop switched on), 3 crop child.
 * Only regular and parent tasks can be retried.
 */
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

/** recognition_status values and their names in DocFlow's own words. */
export const RECOGNITION_STATUS: Record<number, string> = {
	0: 'Pending Recognition',
	1: 'Recognition Success',
	2: 'Recognition Failed',
	3: 'Classifying',
	4: 'Extracting',
	5: 'Preparing',
	6: 'File Splitting',
	7: 'Image Cropping',
	10: 'Classification Complete',
	20: 'Parsing',
};

export const VERIFICATION_STATUS: Record<number, string> = {
	0: 'Pending Verification',
	2: 'Confirmed',
	3: 'Rejected',
	4: 'Deleted',
	5: 'Deferred Processing',
};

export const STATUS_SUCCESS = 1;
export const STATUS_FAILED = 2;
export const STATUS_CLASSIFIED = 10;

/** Statuses after which DocFlow does nothing more with a task (until it is retried). */
export const FINAL_STATUSES: ReadonlySet<number> = new Set([STATUS_SUCCESS, STATUS_FAILED, STATUS_CLASSIFIED]);

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
