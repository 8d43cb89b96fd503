/**
 * The ZIP file a download brings (category/sample/batch_download): whether it is whole, the
 * names of the files in it, and the name DocFlow gives it in Content-Disposition.
 */

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
