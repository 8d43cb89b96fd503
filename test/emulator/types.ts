// Public types of the DocFlow emulator (test-only; independent of nodes/ and credentials/).

export interface EmulatorCredential {
	appId: string;
	secretCode: string;
	enterpriseIds: string[];
}

export interface EmulatorCategory {
	id: string;
	name: string;
	description?: string;
	extract_model?: string;
	enabled: '0' | '1' | '2';
	/** classification prompt (category/create, update); category/list shows `description` when absent */
	category_prompt?: string;
	/** regular fields (category/fields/…); absent: data.ts's defaultCategoryConfig, filled in on first use */
	fields?: EmulatorCategoryField[];
	/** tables with their columns (category/tables/…); absent: as `fields` */
	tables?: EmulatorCategoryTable[];
	/** the sample files category/create received; the category sample routes start from them */
	sample_files?: Array<{ sample_id?: string; file_name: string; data: Buffer }>;
}

/** A field of a category (the spec's CategoryField), regular or a table's column. */
export interface EmulatorCategoryField {
	id: string;
	name: string;
	description?: string;
	prompt?: string;
	use_prompt?: boolean;
	alias?: string[];
	identity?: string;
	multi_value?: boolean;
	duplicate_value_distinct?: boolean;
	transform_settings?: Record<string, unknown>;
	extract_model?: string;
	enabled?: number;
}

/** A table of a category (the spec's CategoryTable). */
export interface EmulatorCategoryTable {
	id: string;
	name: string;
	description?: string;
	prompt?: string;
	collect_from_multi_table?: boolean;
	extract_model?: string;
	fields: EmulatorCategoryField[];
}

export interface EmulatorWorkspace {
	workspace_id: string;
	name: string;
	enterprise_id: string;
	categories: EmulatorCategory[];
	/** workspace/get and list: default `${name} workspace (emulator)` */
	description?: string;
	/** 0 visible only to its creator, 1 to the enterprise (default 1) */
	auth_scope?: 0 | 1;
	/** default `admin_${enterprise_id}` / 'Demo Admin' */
	manage_account_id?: string;
	manage_account_name?: string;
	/** default '' and 0 (no callback) */
	callback_url?: string;
	callback_retry_time?: number;
}

export interface FailRuleInput {
	name: string;
	workspaceId: string;
	attempt: number;
}

export type FailRule = (file: FailRuleInput) => string | null;

export interface EmulatorOptions {
	/** default 0 (random free port); always bound to 127.0.0.1 */
	port?: number;
	credentials?: EmulatorCredential[];
	workspaces?: EmulatorWorkspace[];
	/** virtual time per recognition step, default 50 */
	stepMs?: number;
	failRule?: FailRule;
	/** added before every response, default 0 */
	latencyMs?: number;
	/** accepted clock skew for x-ti-timestamp, default 300 */
	signatureWindowSec?: number;
	/** file/fetch never returns more than this many files per page, whatever page_size asks (default: no cap beyond 1000) */
	maxPageSize?: number;
}

export interface RecordedPart {
	name: string;
	filename?: string;
	contentType?: string;
	size: number;
	sha256: string;
}

export interface RecordedAuth {
	mode: 'simple' | 'signature' | 'none';
	valid: boolean;
	reason?: string;
	appId?: string;
	enterpriseId?: string;
	/** true when the request carried x-ti-secret-code (also recorded for signature-mode requests) */
	secretHeader?: boolean;
}

export interface RecordedRequest {
	method: string;
	/** path without query string */
	path: string;
	rawQuery: string;
	/** decoded values (last one wins for repeated names) */
	query: Record<string, string>;
	/** lower-cased header names */
	headers: Record<string, string>;
	bodyLength: number;
	bodySha256: string;
	/** parsed JSON body when content-type is JSON and it parsed */
	json?: unknown;
	/** multipart parts */
	parts?: RecordedPart[];
	auth: RecordedAuth;
	/** HTTP status sent back (0 when the socket was destroyed / never answered) */
	status: number;
	/** DocFlow `code` sent back in a JSON body */
	code?: number;
	/** kind of the fault applied, if any */
	fault?: string;
	/** x-ti-trace-id sent back */
	traceId: string;
	/** wall-clock ms when the request was received */
	receivedAt: number;
}

export interface ParserParams {
	formula_level?: number;
	apply_merge?: number;
	table_text_split_mode?: number;
	crop_dewarp?: number;
	remove_watermark?: number;
	dpi?: number;
	parse_mode?: string;
	pdf_pwd?: string;
}

export interface UploadOptions {
	category?: string;
	auto_verify_vat?: boolean;
	split_flag?: boolean;
	crop_flag?: boolean;
	target_process?: 'classify' | 'extract';
	with_task_detail_url?: boolean;
}

export interface StoredTask {
	taskId: string;
	fileId: string;
	batchNumber: string;
	workspaceId: string;
	name: string;
	format: string;
	/** received bytes (0 for URL uploads) */
	size: number;
	/** sha256 of the received bytes (multipart uploads) */
	sha256?: string;
	/** source URL (URL uploads) */
	url?: string;
	source: 'multipart' | 'url' | 'child';
	/** the raw upload query (decoded values), as received */
	uploadQuery: Record<string, string>;
	options: UploadOptions;
	/** explicitly given parser params (upload query, merged with retry parser_params) */
	parserParams: ParserParams;
	/** 0 split child, 1 regular, 2 parent, 3 crop child */
	taskType: 0 | 1 | 2 | 3;
	parentTaskId?: string;
	childTaskIds: string[];
	attempts: number;
	/** failure cause decided for the current attempt (null = will succeed) */
	failureCause: string | null;
	/** recognition_status right now (virtual clock) */
	recognitionStatus: number;
	category: string;
	createdAt: number;
	startedAt: number;
	enterpriseId?: string;
}

export type FaultKind =
	| 'status'
	| 'business'
	| 'html'
	| 'non-json'
	| 'truncated-json'
	| 'reset-before'
	| 'reset-after'
	| 'hang-after'
	| 'delay'
	| 'redirect';

export interface FaultRule {
	method?: string;
	/** endpoint suffix, e.g. 'file/upload' (matched against the end of the request path) */
	path: string;
	/** default 1 */
	times?: number;
	kind: FaultKind;
	/** kind 'status' */
	status?: number;
	/** kind 'status': seconds for the Retry-After header */
	retryAfter?: number;
	/** kind 'status': custom body (default JSON {code: status, msg}) */
	body?: string;
	/** kind 'status': content type of the custom body */
	contentType?: string;
	/** kind 'business' */
	code?: number;
	/** kind 'business' */
	msg?: string;
	/** kind 'delay' */
	ms?: number;
	/** kind 'redirect': the Location header (the status is `status`, default 302) */
	location?: string;
}

export interface DocflowEmulator {
	readonly url: string;
	readonly port: number;
	close(): Promise<void>;
	readonly requests: RecordedRequest[];
	clearRequests(): void;
	reset(): void;
	setStepMs(ms: number): void;
	setLatency(ms: number): void;
	setFailRule(fn: FailRule | null | undefined): void;
	advance(ms: number): void;
	finishAll(): void;
	/** moves one task (a child: its parent) to its final state; throws for an unknown task id */
	finishTask(taskId: string): void;
	/** every processed file/fetch request first advances the virtual clock by ms (0 = off, the default; reset() turns it off) */
	setAdvancePerFetch(ms: number): void;
	/** caps file/fetch's page_size (undefined: back to the option's value; reset() also restores it) */
	setMaxPageSize(size: number | undefined): void;
	/** DocFlow's clock runs ms ahead of (negative: behind) the test's: update times and file/fetch's start_time/end_time are read in it (reset() sets 0) */
	setClockSkew(ms: number): void;
	/** a person sets the task's verification status in DocFlow (2 confirmed, 3 rejected, …): its update time moves; throws for an unknown task id */
	setVerification(taskId: string, status: 0 | 2 | 3 | 4 | 5): void;
	/** runs before every file/fetch is answered, with its query (undefined: none; reset() removes it) */
	beforeFetch(hook: ((query: Record<string, string>) => void) | undefined): void;
	/** file/fetch's order: 'upload' (default) or 'updated-desc' (most recently updated first; reset() restores 'upload') */
	setFetchOrder(order: 'upload' | 'updated-desc'): void;
	tasks(): StoredTask[];
	injectFault(fault: FaultRule): void;
	/** virtual now in ms (Date.now() + advance offset) */
	now(): number;
	readonly credentials: EmulatorCredential[];
	readonly workspaces: EmulatorWorkspace[];
}
