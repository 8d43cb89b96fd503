import { createHash, randomBytes } from 'node:crypto';

import type { INode, NodeOperationError } from 'n8n-workflow';

import { itemError } from './errors';

/** One file of a multipart upload. */
export interface MultipartFile {
	fileName: string;
	contentType: string;
	/** Size in bytes: the body's Content-Length is known before a byte is read. */
	size: number;
	/**
	 * The bytes in memory, or a function that opens a fresh stream of them (n8n's filesystem
	 * binary mode), so a 100 MiB file is sent without being held in memory, and can be read
	 * twice (once for the signature's body hash, once for the request) or again on a retry.
	 */
	content: Buffer | (() => Promise<AsyncIterable<Uint8Array>>);
}

const CRLF = '\r\n';

/**
 * Browsers' (WHATWG) escaping of a Content-Disposition parameter: UTF-8 stays raw, which is
 * what multipart servers decode; only the quote and line breaks would break the header.
 */
function escapeQuoted(value: string): string {
	return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function safeContentType(value: string): string {
	const cleaned = value.replace(/[\r\n]/g, '').trim();
	return cleaned === '' ? 'application/octet-stream' : cleaned;
}

function newBoundary(): string {
	return `----n8nDocFlowBoundary${randomBytes(12).toString('hex')}`;
}

/**
 * A `multipart/form-data` body with every file in one field name (DocFlow reads all `file`
 * parts of a request into one batch). Built once, read once per attempt.
 *
 * It presents itself as a Blob (size, type, stream()) because that is the one streaming body
 * the HTTP client under `httpRequestWithAuthentication` accepts without the node importing
 * `stream`, which n8n's community rules forbid: the client sends `size` as Content-Length and
 * pulls the parts one chunk at a time, so in-memory files are not copied into one buffer and
 * files in n8n's filesystem mode are never held in memory whole.
 */
export class MultipartBody {
	readonly boundary: string;

	/** The Content-Type header value, boundary included. */
	readonly type: string;

	/** Exact byte length of the whole body. */
	readonly size: number;

	private readonly segments: Array<Buffer | MultipartFile>;

	/** A file whose bytes could not be read from n8n's binary storage while sending. */
	private readFailure?: { fileName: string; code?: string };

	/**
	 * `fields`: plain text parts sent before the files, for endpoints that take their
	 * parameters in the form rather than the query (category/sample/batch_upload).
	 */
	constructor(
		files: MultipartFile[],
		fieldName = 'file',
		boundary = newBoundary(),
		fields: Record<string, string> = {},
	) {
		this.boundary = boundary;
		this.type = `multipart/form-data; boundary=${boundary}`;
		this.segments = [];
		for (const [name, value] of Object.entries(fields)) {
			this.segments.push(
				Buffer.from(
					`--${boundary}${CRLF}` +
						`Content-Disposition: form-data; name="${escapeQuoted(name)}"${CRLF}${CRLF}` +
						`${value}${CRLF}`,
					'utf8',
				),
			);
		}
		for (const file of files) {
			this.segments.push(
				Buffer.from(
					`--${boundary}${CRLF}` +
						`Content-Disposition: form-data; name="${escapeQuoted(fieldName)}"; filename="${escapeQuoted(file.fileName)}"${CRLF}` +
						`Content-Type: ${safeContentType(file.contentType)}${CRLF}${CRLF}`,
					'utf8',
				),
				file,
				Buffer.from(CRLF),
			);
		}
		this.segments.push(Buffer.from(`--${boundary}--${CRLF}`));
		this.size = this.segments.reduce(
			(sum, segment) => sum + (Buffer.isBuffer(segment) ? segment.length : segment.size),
			0,
		);
	}

	get [Symbol.toStringTag](): string {
		return 'Blob';
	}

	/** The body's bytes in order, opening each file's stream only when it is reached. */
	async *stream(): AsyncGenerator<Uint8Array> {
		for (const segment of this.segments) {
			if (Buffer.isBuffer(segment)) yield segment;
			else if (Buffer.isBuffer(segment.content)) yield segment.content;
			else yield* this.read(segment);
		}
	}

	/**
	 * A file's bytes, noting a read failure (the error itself goes on to the HTTP client, which
	 * aborts the request) so that docflowRequest reports it as what it is, not a network failure.
	 */
	private async *read(file: MultipartFile): AsyncGenerator<Uint8Array> {
		const failed = (error: unknown): never => {
			const code = (error as { code?: unknown } | undefined)?.code;
			this.readFailure = { fileName: file.fileName, code: typeof code === 'string' ? code : undefined };
			throw error;
		};
		const source = await (file.content as () => Promise<AsyncIterable<Uint8Array>>)().catch(failed);
		const chunks = source[Symbol.asyncIterator]();
		try {
			for (;;) {
				const next = await chunks.next().catch(failed);
				if (next.done) return;
				yield next.value;
			}
		} finally {
			// The request stopped reading early (aborted, timed out): close the file.
			await chunks.return?.();
		}
	}

	/**
	 * When a file could not be read while the body was being sent or hashed (its binary data
	 * was deleted, a disk error): the error to report. DocFlow got an incomplete body, so it
	 * stored nothing, and sending again cannot help.
	 */
	readError(node: INode, itemIndex?: number): NodeOperationError | undefined {
		if (!this.readFailure) return undefined;
		const { fileName, code } = this.readFailure;
		return itemError(node, `Could not read the file “${fileName}” from n8n’s binary data storage`, {
			itemIndex,
			description: `The file’s data went missing or could not be read on this machine${code ? ` (${code})` : ''} while it was being sent, so DocFlow received none of this request and nothing was sent again. Run the workflow again from the node that produced the file.`,
			context: { fileName },
		});
	}

	/** The whole body as one Buffer (tests and small bodies). */
	async toBuffer(): Promise<Buffer> {
		const chunks: Uint8Array[] = [];
		for await (const chunk of this.stream()) chunks.push(chunk);
		return Buffer.concat(chunks, this.size);
	}

	/** Lower-case hex sha256 of the exact body bytes, streaming files rather than loading them. */
	async sha256(): Promise<string> {
		const hash = createHash('sha256');
		for await (const chunk of this.stream()) hash.update(chunk);
		return hash.digest('hex');
	}
}
