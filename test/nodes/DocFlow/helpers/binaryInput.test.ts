/**
 * File names DocFlow may store differently from what was sent (a multipart parser keeps only
 * what follows the last / or \, header syntax, length, a missing extension). The node sends a
 * name that is stored exactly as sent, so an upload whose answer got lost is found in the batch
 * by that name and never stored twice. Through the engine, against the emulator, which stores
 * names the way such a server does.
 */
import { runDocflow } from '../../../harness/engine.ts';
import { credentialFor, sample, sha256, useEmulator, workspace } from '../../../harness/fixtures.ts';

const env = useEmulator();

const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));

const names: Array<[label: string, given: string, sent: string]> = [
	// (n8n's prepareBinaryData keeps a name's last /-part itself; a backslash reaches the node.)
	['a backslash and a quote', 'dir\\back"slash.pdf', 'dir_back_slash.pdf'],
	['quotes', '"Q1" report.pdf', '_Q1_ report.pdf'],
	['CR/LF', 'line\r\nbreak.pdf', 'line__break.pdf'],
	['300 characters', `${'x'.repeat(296)}.pdf`, `${'x'.repeat(196)}.pdf`],
	// 300 characters, 892 bytes: shortened by bytes (200 at most), never inside a character.
	['300 non-ASCII characters', `${'发票'.repeat(148)}.pdf`, `${'发票'.repeat(32)}发.pdf`],
	['no extension (a PDF by its MIME type)', 'scan', 'scan.pdf'],
];

describe('File names DocFlow may store differently: sent as DocFlow stores them, found after a lost answer', () => {
	test.each(names)(
		'%s: the name sent is the name stored, the file is stored exactly once, and the output shows that name',
		async (_label, given, sent) => {
			expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(200);
			const pdf = Buffer.concat([sample('simple.pdf'), Buffer.from(given)]);
			env.emulator.injectFault({ path: 'file/upload', kind: 'reset-after' });
			const result = await runDocflow({
				parameters: { resource: 'file', operation: 'upload', workspace: workspace() },
				credentials: credentialFor(env.emulator),
				items: [{ binary: { data: { data: pdf, fileName: given, mimeType: 'application/pdf' } } }],
			});
			expect(result.error).toBeUndefined();
			// Sent once, with that exact name on the wire; the lost answer was settled by a look-up.
			expect(uploads()).toHaveLength(1);
			expect(uploads()[0].fault).toBe('reset-after');
			expect(uploads()[0].parts).toEqual([
				{ name: 'file', filename: sent, contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) },
			]);
			const stored = env.emulator.tasks();
			expect(stored.map((t) => [t.name, t.sha256])).toEqual([[sent, sha256(pdf)]]);
			expect(result.items).toEqual([
				{
					json: expect.objectContaining({ name: sent, file_id: stored[0].fileId, task_id: stored[0].taskId, format: 'pdf' }),
					pairedItem: { item: 0 },
				},
			]);
		},
	);
});
