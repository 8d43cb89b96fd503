// A test-side ZIP reader (independent of the emulator's writer and the node's directory reader):
// every entry's name and bytes, by the local headers, CRC-checked.
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
	name: string;
	data: Buffer;
}

export function unzip(zip: Buffer): ZipEntry[] {
	const entries: ZipEntry[] = [];
	let at = 0;
	while (at + 4 <= zip.length && zip.readUInt32LE(at) === 0x04034b50) {
		const flags = zip.readUInt16LE(at + 6);
		const method = zip.readUInt16LE(at + 8);
		const crc = zip.readUInt32LE(at + 14);
		const compressed = zip.readUInt32LE(at + 18);
		const size = zip.readUInt32LE(at + 22);
		const nameLength = zip.readUInt16LE(at + 26);
		const extraLength = zip.readUInt16LE(at + 28);
		if (flags & 0x0008) throw new Error('data descriptors are not supported by this reader');
		const name = zip.subarray(at + 30, at + 30 + nameLength).toString(flags & 0x0800 ? 'utf8' : 'latin1');
		const start = at + 30 + nameLength + extraLength;
		const body = zip.subarray(start, start + compressed);
		const data = method === 8 ? inflateRawSync(body) : method === 0 ? Buffer.from(body) : undefined;
		if (!data) throw new Error(`unsupported method ${method}`);
		if (data.length !== size) throw new Error(`${name}: size ${data.length} ≠ ${size}`);
		if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
		entries.push({ name, data });
		at = start + compressed;
	}
	if (at + 4 > zip.length || zip.readUInt32LE(at) !== 0x02014b50 && zip.readUInt32LE(at) !== 0x06054b50) {
		throw new Error('no central directory after the entries');
	}
	return entries;
}
