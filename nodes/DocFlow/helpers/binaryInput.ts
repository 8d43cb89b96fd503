import type { IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { MAX_FILE_BYTES, SUPPORTED_EXTENSIONS } from '../transport/api.types';
import { itemError } from '../transport/errors';
import type { MultipartFile } from '../transport/multipart';

/** One file of an item, ready for the multipart body, with where it came from. */
export interface InputFile extends MultipartFile {
	binaryPropertyName: string;
	/** The name the file had in n8n; `fileName` is the name sent (see storableFileName). */
	originalName: string;
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

function supported(extension: string | undefined): string | undefined {
	const lower = extension?.toLowerCase().replace(/^\./, '');
	return lower && SUPPORTED_EXTENSIONS.includes(lower) ? lower : undefined;
}

/**
 * Characters that multipart parsers and file stores treat differently, so DocFlow might store
 * another name than the one sent (and an upload whose answer got lost would not be found by
 * name): path separators (a parser may keep only what follows the last one), quotes and line
 * breaks (header syntax), percent signs (some servers decode %XX), other control characters,
 * and what Windows file names cannot hold.
 */
const UNSTABLE_NAME_CHARACTERS = new Set(['\\', '/', '"', '%', ':', '*', '?', '<', '>', '|', '\u007f']);

function stableCharacters(text: string): string {
	return Array.from(text, (c) => (c < ' ' || UNSTABLE_NAME_CHARACTERS.has(c) ? '_' : c)).join('');
}

/** Long enough for any real document name, short enough for every file system (255 bytes). */
const MAX_NAME_BYTES = 200;

/**
 * The name to send for a file: one DocFlow stores exactly as sent, ending in the extension
 * DocFlow reads the format from (added when the name has none, e.g. “scan” from a PDF's MIME
 * type), and at most 200 bytes long (the stem is shortened, the extension kept).
 */
function storableFileName(name: string, extension: string, fallbackStem: string): string {
	let stem = stableCharacters(name).replace(/^[\s.]+|[\s.]+$/g, '');
	let suffix = `.${extension}`;
	const own = /\.([A-Za-z0-9]+)$/.exec(stem);
	if (own && own[1].toLowerCase() === extension) {
		suffix = own[0]; // the user's own spelling, e.g. .PDF
		stem = stem.slice(0, -own[0].length).replace(/[\s.]+$/, '');
	}
	if (stem === '') stem = stableCharacters(fallbackStem) || 'document';
	const budget = MAX_NAME_BYTES - Buffer.byteLength(suffix);
	if (Buffer.byteLength(stem) > budget) {
		const characters = Array.from(stem);
		while (Buffer.byteLength(characters.join('')) > budget) characters.pop();
		stem = characters.join('').replace(/[\s.]+$/, '');
	}
	return `${stem}${suffix}`;
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
	return itemError(ctx.getNode(), message, {
		itemIndex,
		description,
		context: fileName === undefined ? { binaryField: field } : { binaryField: field, fileName },
	});
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
	const originalName = binary.fileName?.trim() ? binary.fileName : undefined;
	const shownName = originalName ?? field;
	// The format DocFlow reads the file as: the name's own extension, else n8n's record of it,
	// else the MIME type's.
	const extension =
		supported(extensionOf(originalName ?? '')) ??
		supported(binary.fileExtension) ??
		supported(MIME_EXTENSIONS[binary.mimeType]);
	if (!extension) {
		const found = extensionOf(originalName ?? '') ?? binary.fileExtension ?? MIME_EXTENSIONS[binary.mimeType];
		throw refuse(
			ctx,
			itemIndex,
			field,
			shownName,
			`DocFlow does not read “${shownName}” in binary field “${field}”: ${found ? `.${found} files are not supported` : 'its type is unknown'}`,
			`DocFlow reads ${SUPPORTED_LIST}. Convert the file first, or filter such files out before this node.${binary.mimeType ? ` (MIME type: ${binary.mimeType})` : ''}`,
		);
	}
	const fileName = storableFileName(originalName ?? '', extension, field);
	const contentType =
		binary.mimeType && binary.mimeType !== 'application/octet-stream'
			? binary.mimeType
			: (EXTENSION_MIME[extension] ?? 'application/octet-stream');

	let size: number;
	let content: InputFile['content'];
	try {
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
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		throw refuse(
			ctx,
			itemIndex,
			field,
			shownName,
			`Could not read the file “${shownName}” in binary field “${field}” from n8n’s binary data storage`,
			`Its data is missing or unreadable on this machine${typeof code === 'string' ? ` (${code})` : ''}. Run the workflow again from the node that produced the file.`,
		);
	}
	if (size === 0) {
		throw refuse(
			ctx,
			itemIndex,
			field,
			shownName,
			`The file “${shownName}” in binary field “${field}” is empty`,
			'DocFlow cannot read an empty file. Check the node that produced it.',
		);
	}
	if (size > MAX_FILE_BYTES) {
		throw refuse(
			ctx,
			itemIndex,
			field,
			shownName,
			`The file “${shownName}” in binary field “${field}” is ${mebibytes(size)}, over DocFlow’s limit of 100 MiB`,
			'Split or compress the document, or leave it out of this run.',
		);
	}
	return { binaryPropertyName: field, originalName: shownName, fileName, contentType, size, content };
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
		throw itemError(ctx.getNode(), 'No binary field name is set', {
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
		throw itemError(node, 'File URLs is empty', {
			itemIndex,
			description: 'Enter at least one http(s) URL of a document, or map a field that holds one.',
		});
	}
	if (list.length > maxUrls) {
		throw itemError(node, `DocFlow takes at most ${maxUrls} file URLs per upload, this item has ${list.length}`, {
			itemIndex,
			description: `Split the URLs over several items (at most ${maxUrls} each); with One Batch for the Run on, they still end up in one batch.`,
		});
	}
	for (const url of list) {
		const shown = url.length > 80 ? `${url.slice(0, 77)}…` : url;
		if (!/^https?:\/\/[^\s/]+/i.test(url)) {
			throw itemError(node, `“${shown}” is not an http(s) URL`, {
				itemIndex,
				description:
					'DocFlow downloads documents only from http:// or https:// addresses that need no login. For files in n8n, choose Input “Binary Files”.',
			});
		}
		let parsed: URL | undefined;
		try {
			parsed = new URL(url);
		} catch {
			parsed = undefined;
		}
		if (!parsed?.hostname) {
			throw itemError(node, `“${shown}” is not a valid URL`, {
				itemIndex,
				description:
					'Check the address for typos: the host name, a port between 1 and 65535, and spaces or other characters that must be percent-encoded.',
			});
		}
	}
	return list;
}
