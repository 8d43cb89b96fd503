import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { MultipartBody } from '../../../../nodes/DocFlow/transport/multipart';
import { parseMultipart } from '../../../emulator/multipart.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// Content that looks like multipart syntax must survive byte for byte.
const tricky = Buffer.concat([
	Buffer.from('%PDF-1.4\r\n--\r\n------n8nDocFlowBoundary\r\n'),
	Buffer.from([0, 255, 13, 10, 45, 45, 13, 10]),
]);

describe('multipart builder', () => {
	test('files in memory: exact bytes, names and types, parsed back by an independent parser', async () => {
		const body = new MultipartBody([
			{ fileName: '发票 "Q1".pdf', contentType: 'application/pdf', size: tricky.length, content: tricky },
			{ fileName: 'line\r\nbreak.png', contentType: 'image/png\r\nX-Evil: 1', size: 3, content: Buffer.from('png') },
		]);
		const bytes = await body.toBuffer();
		expect(bytes.length).toBe(body.size);
		expect(body.type).toBe(`multipart/form-data; boundary=${body.boundary}`);
		const parts = parseMultipart(bytes, body.boundary);
		expect(parts.map((p) => [p.name, p.filename, p.contentType, sha(p.data)])).toEqual([
			['file', '发票 %22Q1%22.pdf', 'application/pdf', sha(tricky)],
			['file', 'line%0D%0Abreak.png', 'image/pngX-Evil: 1', sha(Buffer.from('png'))],
		]);
		expect(await body.sha256()).toBe(sha(bytes));
	});

	test('streamed files are opened only when read, and can be read again', async () => {
		let opened = 0;
		const chunks = [Buffer.from('first chunk '), Buffer.from('second chunk')];
		const whole = Buffer.concat(chunks);
		const body = new MultipartBody([
			{
				fileName: 'big.pdf',
				contentType: 'application/pdf',
				size: whole.length,
				content: async () => {
					opened++;
					return Readable.from(chunks);
				},
			},
		]);
		expect(opened).toBe(0);
		const hash = await body.sha256();
		const bytes = await body.toBuffer();
		expect(opened).toBe(2);
		expect(hash).toBe(sha(bytes));
		expect(bytes.length).toBe(body.size);
		const [part] = parseMultipart(bytes, body.boundary);
		expect(part.data.equals(whole)).toBe(true);
	});

	test('it presents itself as a Blob, so the HTTP client streams it with a Content-Length', () => {
		const body = new MultipartBody([
			{ fileName: 'a.txt', contentType: 'text/plain', size: 1, content: Buffer.from('a') },
		]);
		expect(Object.prototype.toString.call(body)).toBe('[object Blob]');
		expect(typeof body.stream).toBe('function');
		expect(body.size).toBeGreaterThan(1);
	});

	test('every boundary is new', () => {
		const a = new MultipartBody([]);
		const b = new MultipartBody([]);
		expect(a.boundary).not.toBe(b.boundary);
	});
});
