import type { IDataObject } from 'n8n-workflow';

import { TASK_TYPES, VERIFICATION_STATUS, entryOf, recognitionStatus } from '../transport/api.types';
import type { DocflowFile, KeyValue } from '../transport/api.types';

/** recognition_status as one word a user can filter on in an IF node. */
export function statusWord(code: unknown): string {
	return recognitionStatus(code)?.word ?? 'unknown';
}

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Adds a key to an object without ever losing a value or using an empty name:
 * a second "Amount" becomes "Amount (2)", a nameless field "Field 3".
 */
function putUnique(target: IDataObject, rawKey: unknown, fallback: string, value: unknown): void {
	const base = text(rawKey).trim() || fallback;
	let key = base;
	for (let n = 2; Object.prototype.hasOwnProperty.call(target, key); n++) key = `${base} (${n})`;
	target[key] = value as IDataObject[string];
}

function asArray<T>(value: unknown): T[] {
	return Array.isArray(value) ? (value as T[]) : [];
}

/** Rows of key/value cells as row objects keyed by column name. */
function rowsOf(rows: unknown): IDataObject[] {
	return asArray<unknown>(rows).map((row) => {
		const out: IDataObject = {};
		asArray<KeyValue>(row).forEach((cell, index) => {
			if (cell && typeof cell === 'object') putUnique(out, cell.key, `Column ${index + 1}`, text(cell.value));
		});
		return out;
	});
}

function pageText(document: unknown): string | undefined {
	const pages = asArray<{ lines?: Array<{ text?: unknown }> }>(
		(document as { pages?: unknown } | undefined)?.pages,
	);
	if (pages.length === 0) return undefined;
	return pages
		.map((page) =>
			asArray<{ text?: unknown }>(page?.lines)
				.map((line) => text(line?.text))
				.join('\n'),
		)
		.join('\n\n');
}

/**
 * One DocFlow file as a flat object a user maps straight into a sheet: fields as
 * { "Invoice Number": "28737000" }, tables as rows keyed by column, stamps and handwriting
 * as short lists, the status as a word and its code.
 */
export function simplifyFile(file: DocflowFile, parent?: DocflowFile): IDataObject {
	const data = (file && typeof file.data === 'object' && file.data !== null ? file.data : {}) as NonNullable<
		DocflowFile['data']
	>;
	const out: IDataObject = {
		file_id: text(file?.id),
		task_id: text(file?.task_id),
		batch_number: text(file?.batch_number ?? parent?.batch_number),
		file_name: text(file?.name),
		format: text(file?.format),
		category: text(file?.category),
		status: statusWord(file?.recognition_status),
		status_code: typeof file?.recognition_status === 'number' ? file.recognition_status : null,
		status_name: recognitionStatus(file?.recognition_status)?.name ?? 'Unknown',
		verification_status: entryOf(VERIFICATION_STATUS, file?.verification_status) ?? null,
		task_type: entryOf(TASK_TYPES, file?.task_type ?? 1)?.word ?? 'unknown',
	};
	if (file?.failure_causes) out.failure_causes = text(file.failure_causes);

	const fields: IDataObject = {};
	asArray<KeyValue>(data.fields).forEach((field, index) => {
		if (field && typeof field === 'object') putUnique(fields, field.key, `Field ${index + 1}`, text(field.value));
	});
	out.fields = fields;

	const tables: IDataObject = {};
	const fullTables = asArray<{ tableName?: unknown; items?: unknown }>(data.tables);
	fullTables.forEach((table, index) => {
		if (table && typeof table === 'object')
			putUnique(tables, table.tableName, `Table ${index + 1}`, rowsOf(table.items));
	});
	// Older results carry only the flat `items` table.
	if (fullTables.length === 0 && asArray(data.items).length > 0) tables.items = rowsOf(data.items);
	out.tables = tables;

	out.stamps = asArray<{ text?: unknown }>(data.stamps)
		.map((stamp) => text(stamp?.text))
		.filter((s) => s !== '');
	out.handwritings = asArray<{ text?: unknown }>(data.handwritings)
		.map((hw) => text(hw?.text))
		.filter((s) => s !== '');

	const verify = data.invoiceVerifyResult as IDataObject | undefined;
	if (verify && typeof verify === 'object') {
		out.invoice_verified =
			verify.invoiceVerifyStatus === 1 ? true : verify.invoiceVerifyStatus === 0 ? false : null;
		if (verify.invoiceVerifyFailMsg) out.invoice_verify_message = text(verify.invoiceVerifyFailMsg);
	}
	if (typeof file?.total_page_num === 'number') out.page_count = file.total_page_num;
	if (typeof file?.duration_ms === 'number') out.duration_ms = file.duration_ms;
	if (file?.task_detail_url) out.task_detail_url = text(file.task_detail_url);
	const documentText = pageText(file?.document);
	if (documentText !== undefined) out.text = documentText;

	if (parent) {
		out.parent_task_id = text(file.parent_task_id || parent.task_id);
		out.parent_file_id = text(parent.id);
	}
	const children = asArray<DocflowFile>(file?.child_files);
	if (children.length > 0) out.child_task_ids = children.map((c) => text(c?.task_id));
	return out;
}

/** A file and its split/crop children, each as its own flat object, parent first. */
export function simplifyWithChildren(file: DocflowFile): IDataObject[] {
	return [
		simplifyFile(file),
		...asArray<DocflowFile>(file?.child_files)
			.filter((child) => child && typeof child === 'object')
			.map((child) => simplifyFile(child, file)),
	];
}
