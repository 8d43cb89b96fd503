/**
 * Memory: a large upload from n8n's filesystem binary storage is streamed, never held whole.
 * An HTTP client that follows redirects keeps a copy of every byte it sends, to replay the body
 * at the new address; the node turns redirects off, so no such copy exists.
 *
 * DocFlow here is a small server of this test, not the emulator: the emulator keeps every
 * request's body in memory (to parse it), in this same process, and that copy would be counted
 * as the node's. This one reads slowly (so the upload takes a few seconds and memory is sampled
 * all along it), keeps nothing, and answers as DocFlow's file/upload does.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { runDocflow } from '../../../harness/engine.ts';
import { APP_ID, SECRET, workspace } from '../../../harness/fixtures.ts';

/**
 * Garbage collection on demand. V8 lets freed Buffers pile up to about 64 MiB before it
 * collects them on its own, as much as the file: sampled raw, what the node holds and what it
 * has let go of would look alike. So the baseline is taken after a full collection (the source
 * node's garbage from storing the file must not be freed during the upload and hide a copy), and
 * a full collection runs twice a second while sampling. Array buffers are swept at once,
 * not in the background, so a sample right after a collection counts only what is still held.
 */
setFlagsFromString('--expose-gc');
setFlagsFromString('--no-concurrent-array-buffer-sweeping');
const collectGarbage = runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;
const FILE_BYTES = 64 * MiB;

interface Received {
	path: string;
	bytes: number;
	startedAt: number;
	endedAt: number;
}

const dir = mkdtempSync(join(tmpdir(), 'docflow-memory-'));
const bigFile = join(dir, 'big.pdf');
let server: Server;
let url = '';
const received: Received[] = [];

beforeAll(async () => {
	// Written a MiB at a time, so the test itself never holds the file in memory either.
	const fd = openSync(bigFile, 'w');
	const chunk = randomBytes(MiB);
	chunk.write('%PDF-1.4\n', 0);
	for (let written = 0; written < FILE_BYTES; written += MiB) {
		chunk.writeUInt32BE(written / MiB, 16);
		writeSync(fd, chunk);
	}
	closeSync(fd);

	server = createServer((req, res) => {
		const seen: Received = { path: req.url ?? '', bytes: 0, startedAt: Date.now(), endedAt: 0 };
		let sincePause = 0;
		req.on('data', (data: Buffer) => {
			seen.bytes += data.length;
			sincePause += data.length;
			// About 25 MiB/s: 64 MiB take between two and three seconds.
			if (sincePause >= MiB) {
				sincePause = 0;
				req.pause();
				setTimeout(() => req.resume(), 40);
			}
		});
		req.on('end', () => {
			seen.endedAt = Date.now();
			received.push(seen);
			const batch = new URL(req.url ?? '/', 'http://x').searchParams.get('batch_number') ?? '1';
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					code: 200,
					msg: 'success',
					result: {
						batch_number: batch,
						files: [{ id: '1900000000000000001', task_id: '1900000000000000002', name: 'big.pdf', format: 'pdf' }],
					},
				}),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	rmSync(dir, { recursive: true, force: true });
});

test('uploading a 64 MiB file from filesystem binary mode to a slow reader holds no full copy of the body', async () => {
	let baseline: NodeJS.MemoryUsage | undefined;
	/** Peak growth over the baseline: of every sample, and of those right after a full collection (held). */
	const peak = { arrayBuffers: 0, rss: 0, heldArrayBuffers: 0 };
	let samples = 0;
	const sample = () => {
		if (!baseline) return;
		const collected = ++samples % 25 === 0;
		if (collected) collectGarbage();
		const now = process.memoryUsage();
		peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers - baseline.arrayBuffers);
		peak.rss = Math.max(peak.rss, now.rss - baseline.rss);
		if (collected) peak.heldArrayBuffers = Math.max(peak.heldArrayBuffers, now.arrayBuffers - baseline.arrayBuffers);
	};
	// Every 20 ms; every 25th sample (about every half second) after a full collection.
	const sampler = setInterval(sample, 20);
	let nodeStartedAt = 0;
	let nodeEndedAt = 0;
	try {
		const result = await runDocflow({
			parameters: { resource: 'file', operation: 'upload', workspace: workspace(), waitForCompletion: false },
			credentials: { appId: APP_ID, secretCode: SECRET, region: 'private', baseUrl: url, enterpriseId: '', authentication: 'simple' },
			binaryMode: 'filesystem',
			items: [{ binary: { data: { data: { path: bigFile }, fileName: 'big.pdf', mimeType: 'application/pdf' } } }],
			// Measured from the moment the DocFlow node starts: the source node's copy into n8n's
			// binary storage is not the node's doing.
			around: {
				before: () => {
					collectGarbage();
					nodeStartedAt = Date.now();
					baseline = process.memoryUsage();
				},
				after: () => {
					sample();
					nodeEndedAt = Date.now();
				},
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.file_id)).toEqual(['1900000000000000001']);
	} finally {
		clearInterval(sampler);
	}

	// The whole file arrived, once, and took long enough for the samples to see the send.
	expect(received).toHaveLength(1);
	expect(received[0].path).toMatch(/^\/api\/app-api\/sip\/platform\/v2\/file\/upload\?/);
	expect(received[0].bytes).toBeGreaterThan(FILE_BYTES);
	expect(received[0].endedAt - received[0].startedAt).toBeGreaterThanOrEqual(1500);
	expect(nodeEndedAt - nodeStartedAt).toBeGreaterThanOrEqual(1500);

	const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
	process.stdout.write(
		`upload of ${mib(FILE_BYTES)} in ${nodeEndedAt - nodeStartedAt} ms, ${samples} samples: peak growth arrayBuffers ${mib(peak.arrayBuffers)} (held after a collection ${mib(peak.heldArrayBuffers)}), rss ${mib(peak.rss)}\n`,
	);
	expect(samples).toBeGreaterThan(50);
	// What the node holds: a copy of the body would be all 64 MiB of it, kept until the answer.
	// Raw samples include up to half a second of garbage between collections (near 30 MiB here), so
	// they are reported, and RSS, which also depends on how much freed memory the process can
	// reuse, is only bounded by the file size.
	expect(peak.heldArrayBuffers).toBeLessThan(0.5 * FILE_BYTES);
	expect(peak.rss).toBeLessThan(FILE_BYTES);
});
