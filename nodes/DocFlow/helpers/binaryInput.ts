import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { MAX_FILE_BYTES, SUPPORTED_EXTENSIONS } from '../transport/api.types';
import type { MultipartFile } from '../transport/multipart';

/** One file of an item, ready for the multipart body, with where it came from. */
export interface InputFile extends MultipartFile {
	binaryPropertyName: string;
}

const MIME_EXTENSIONS: Record<string, string> = {
	'application/pdf': 'pdf',
	'application/ofd': 'ofd',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'text/plain': 'txt',
	'application/vnd.ms-excel': 'xls',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/tiff': 'tiff',
};

const EXTENSION_MIME: Record<string, string> = {
	...Object.fromEntries(Object.entries(MIME_EXTENSIONS).map(([mime, ext]) => [ext, mime])),
	jpeg: 'image/jpeg',
	tif: 'image/tiff',
};

const STREAM_CHUNK_BYTES = 1024 * 1024;

const SUPPORTED_LIST = SUPPORTED_EXTENSIONS.map((e) => e.toUpperCase()).join(', ');

function extensionOf(fileName: string): string | undefined {
	const match = /\.([A-Za-z0-9]+)$/.exec(fileName);
	return match ? match[1].toLowerCase() : undefined;
}

function mebibytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** "data, attachment_0" → ['data', 'attachment_0'] */
export function binaryFieldNames(value: unknown): string[] {
	const list = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
	return list.map((name) => name.trim()).filter((name) => name !== '');
}

/** A refusal of one file, tagged with the field and file so an error item can name them. */
function refuse(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	fileName: string | undefined,
	message: string,
	description: string,
): NodeOperationError {
	const error = new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, {
		itemIndex,
		description,
	});
	error.context.binaryField = field;
	if (fileName !== undefined) error.context.fileName = fileName;
	return error;
}

async function readInputFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	available: string[],
): Promise<InputFile> {
	if (!available.includes(field)) {
		throw refuse(
			ctx,
			itemIndex,
			field,
			undefined,
			`Item ${itemIndex} has no binary field “${field}”`,
			available.length > 0
				? `This item’s binary fields are: ${available.join(', ')}. Set Binary Field(s) to one of them (several separated by commas).`
				: 'This item carries no file at all. Put a node that reads or receives files (Read/Write Files from Disk, an email trigger, HTTP Request with response format File…) before DocFlow, or choose Input “File URLs”.',
		);
	}
	const binary = ctx.helpers.assertBinaryData(itemIndex, field);
	const fileName =
		binary.fileName && binary.fileName.trim() !== ''
			? binary.fileName
			: `${field}.${binary.fileExtension ?? MIME_EXTENSIONS[binary.mimeType] ?? 'bin'}`;
	const extension =
		extensionOf(fileName) ?? binary.fileExtension?.toLowerCase() ?? MIME_EXTENSIONS[binary.mimeType];
	if (!extension || !SUPPORTED_EXTENSIONS.includes(extension)) {
		throw refuse(
			ctx,
			itemIndex,
			field,
			fileName,
			`DocFlow does not read “${fileName}” in binary field “${field}”: ${extension ? `.${extension}` : 'unknown'} files are not supported`,
			`DocFlow reads ${SUPPORTED_LIST}. Convert the file first, or filter such files out before this node.`,
		);
	}
	const contentType =
		binary.mimeType && binary.mimeType !== 'application/octet-stream'
			? binary.mimeType
			: (EXTENSION_MIME[extension] ?? 'application/octet-stream');

	let size: number;
	let content: InputFile['content'];
	if (binary.id) {
		// Filesystem or object-store mode: stream it, never hold a 100 MiB file in memory.
		const id = binary.id;
		size = (await ctx.helpers.getBinaryMetadata(id)).fileSize;
		// 1 MiB reads: a sixteenth of the default's chunks for a large file, same memory bound.
		content = async () => await ctx.helpers.getBinaryStream(id, STREAM_CHUNK_BYTES);
	} else {
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
		size = buffer.length;
		content = buffer;
	}
	if (size === 0) {
		throw refuse(
			ctx,
			itemIndex,
			field,
			fileName,
			`The file “${fileName}” in binary field “${field}” is empty`,
			'DocFlow cannot read an empty file. Check the node that produced it.',
		);
	}
	if (size > MAX_FILE_BYTES) {
		throw refuse(
			ctx,
			itemIndex,
			field,
			fileName,
			`The file “${fileName}” in binary field “${field}” is ${mebibytes(size)}, over DocFlow’s limit of 100 MiB`,
			'Split or compress the document, or leave it out of this run.',
		);
	}
	return { binaryPropertyName: field, fileName, contentType, size, content };
}

/**
 * The files an item carries in the given binary fields, checked against DocFlow's limits
 * before any request: a missing field, an empty or oversized file, or a format DocFlow does
 * not read is refused here with the item and the field named.
 */
export async function readInputFiles(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fieldNames: string[],
): Promise<InputFile[]> {
	if (fieldNames.length === 0) {
		throw new NodeOperationError(ctx.getNode(), `No binary field name is set [item ${itemIndex}]`, {
			itemIndex,
			description: 'Set Binary Field(s) to the name of the field that holds the document, usually “data”.',
		});
	}
	const available = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
	const files: InputFile[] = [];
	for (const field of fieldNames) files.push(await readInputFile(ctx, itemIndex, field, available));
	return files;
}

/** File URLs from one parameter: a list, or text with one URL per line or comma. */
export function readFileUrls(ctx: IExecuteFunctions, itemIndex: number, maxUrls: number): string[] {
	const node = ctx.getNode();
	const raw: unknown = ctx.getNodeParameter('fileUrls', itemIndex, '');
	const list = (Array.isArray(raw) ? raw : String(raw ?? '').split(/[\n,]/))
		.map((url) => String(url).trim())
		.filter((url) => url !== '');
	if (list.length === 0) {
		throw new NodeOperationError(node, `File URLs is empty [item ${itemIndex}]`, {
			itemIndex,
			description: 'Enter at least one http(s) URL of a document, or map a field that holds one.',
		});
	}
	if (list.length > maxUrls) {
		throw new NodeOperationError(
			node,
			`DocFlow takes at most ${maxUrls} file URLs per upload, this item has ${list.length} [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Split the URLs over several items (at most ${maxUrls} each); with One Batch for the Run on, they still end up in one batch.`,
			},
		);
	}
	for (const url of list) {
		if (!/^https?:\/\/[^\s/]+/i.test(url)) {
			throw new NodeOperationError(
				node,
				`“${url.length > 80 ? `${url.slice(0, 77)}…` : url}” is not an http(s) URL [item ${itemIndex}]`,
				{
					itemIndex,
					description:
						'DocFlow downloads documents only from http:// or https:// addresses that need no login. For files in n8n, choose Input “Binary Files”.',
				},
			);
		}
	}
	return list;
}
