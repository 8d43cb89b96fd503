// Minimal, robust multipart/form-data parser over a complete body buffer.
// Own implementation (the emulator must not share code with the node under test).

export interface MultipartPart {
	name: string;
	filename?: string;
	contentType?: string;
	headers: Record<string, string>;
	data: Buffer;
}

export class MultipartError extends Error {}

/** Extracts the boundary from a Content-Type header value (quoted or not). */
export function getBoundary(contentType: string | undefined): string | undefined {
	if (!contentType) return undefined;
	if (!/^\s*multipart\/form-data\b/i.test(contentType)) return undefined;
	const params = parseHeaderParams(contentType);
	const b = params.boundary;
	return b && b.length > 0 && b.length <= 200 ? b : undefined;
}

/**
 * Parses `; key=value; key="quoted \" value"` style parameters. Keys are lower-cased.
 * The first (non key=value) token is skipped.
 */
export function parseHeaderParams(value: string): Record<string, string> {
	const out: Record<string, string> = {};
	let i = value.indexOf(';');
	if (i < 0) return out;
	const n = value.length;
	while (i < n) {
		// skip ';' and whitespace
		while (i < n && (value[i] === ';' || value[i] === ' ' || value[i] === '\t')) i++;
		let key = '';
		while (i < n && value[i] !== '=' && value[i] !== ';') key += value[i++];
		key = key.trim().toLowerCase();
		if (i >= n || value[i] === ';') {
			if (key) out[key] = '';
			continue;
		}
		i++; // '='
		while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
		let val = '';
		if (value[i] === '"') {
			i++;
			while (i < n && value[i] !== '"') {
				if (value[i] === '\\' && i + 1 < n) i++;
				val += value[i++];
			}
			i++; // closing quote
			while (i < n && value[i] !== ';') i++;
		} else {
			while (i < n && value[i] !== ';') val += value[i++];
			val = val.trim();
		}
		if (key && !(key in out)) out[key] = val;
	}
	return out;
}

/** Decodes an RFC 5987/8187 ext-value such as `UTF-8''%E5%8F%91.pdf`. */
export function decodeExtValue(v: string): string | undefined {
	const m = /^([^']*)'[^']*'(.*)$/.exec(v);
	if (!m) return undefined;
	const charset = m[1].toLowerCase();
	const bytes: number[] = [];
	const s = m[2];
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
			bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			const b = Buffer.from(s[i], 'utf8');
			for (const x of b) bytes.push(x);
		}
	}
	const buf = Buffer.from(bytes);
	if (charset === 'utf-8' || charset === 'utf8' || charset === '') return buf.toString('utf8');
	if (charset === 'iso-8859-1' || charset === 'latin1') return buf.toString('latin1');
	return undefined;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
	const dash = Buffer.from('--' + boundary);
	const delim = Buffer.from('\r\n--' + boundary);
	const parts: MultipartPart[] = [];

	// First delimiter: at offset 0, or after a preamble ending in CRLF.
	let pos: number;
	if (body.subarray(0, dash.length).equals(dash)) {
		pos = dash.length;
	} else {
		const i = body.indexOf(delim);
		if (i < 0) throw new MultipartError('multipart boundary not found');
		pos = i + delim.length;
	}

	for (;;) {
		// after a delimiter: '--' closes, else optional whitespace then CRLF
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
		if (!(body[pos] === 0x0d && body[pos + 1] === 0x0a)) {
			throw new MultipartError('malformed multipart delimiter line');
		}
		pos += 2;
		let headerEnd: number;
		let headerText: string;
		if (body[pos] === 0x0d && body[pos + 1] === 0x0a) {
			// no headers at all
			headerEnd = pos;
			headerText = '';
			pos += 2;
		} else {
			headerEnd = body.indexOf(HEADER_END, pos);
			if (headerEnd < 0) throw new MultipartError('multipart part headers not terminated');
			headerText = body.subarray(pos, headerEnd).toString('utf8');
			pos = headerEnd + HEADER_END.length;
		}
		const next = body.indexOf(delim, pos);
		if (next < 0) throw new MultipartError('multipart closing boundary not found');
		const data = body.subarray(pos, next);
		pos = next + delim.length;

		const headers: Record<string, string> = {};
		for (const line of headerText.split(CRLF.toString())) {
			if (!line) continue;
			const c = line.indexOf(':');
			if (c <= 0) continue;
			headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
		}
		const cd = headers['content-disposition'];
		if (!cd) throw new MultipartError('multipart part without Content-Disposition');
		const p = parseHeaderParams(cd);
		let filename: string | undefined = p.filename;
		if (p['filename*'] !== undefined) {
			const ext = decodeExtValue(p['filename*']);
			if (ext !== undefined) filename = ext;
		}
		parts.push({
			name: p.name ?? '',
			filename,
			contentType: headers['content-type'],
			headers,
			data,
		});
	}
}
