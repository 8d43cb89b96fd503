import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator } from '../../../../harness/fixtures.ts';
import { SAMPLE_MSG } from '../../../../emulator/routes/categorySample.ts';
import {
	INVOICE,
	byId,
	endpointsCalled,
	fromList,
	listSamples,
	pdfBytes,
	requestsTo,
	sampleParameters,
	seedSamples,
} from './fixtures.ts';

const env = useEmulator();
const deletes = () => requestsTo(env.emulator, 'category/sample/delete');

async function threeSamples(): Promise<Array<{ sample_id: string; file_name: string }>> {
	await seedSamples(env.emulator, [
		{ name: 'a.pdf', data: pdfBytes('a') },
		{ name: 'b.pdf', data: pdfBytes('b') },
	]);
	const samples = await listSamples(env.emulator);
	env.emulator.clearRequests();
	return samples;
}

describe('Category Sample → Delete', () => {
	test('by ID: looked up, deleted with its workspace and category in the body, gone from the list', async () => {
		const samples = await threeSamples();
		const result = await runDocflow({
			parameters: sampleParameters('delete', { sampleId: byId(samples[1].sample_id) }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(endpointsCalled(env.emulator)).toEqual(['category/sample/list', 'category/sample/delete']);
		expect(deletes()[0]).toMatchObject({
			method: 'POST',
			query: {},
			headers: expect.objectContaining({ 'content-type': 'application/json' }),
			json: { workspace_id: WORKSPACE_ID, category_id: INVOICE.id, sample_ids: [samples[1].sample_id] },
			code: 200,
		});
		expect(result.items).toEqual([
			{
				json: { workspace_id: WORKSPACE_ID, category_id: INVOICE.id, sample_id: samples[1].sample_id, deleted: true },
				pairedItem: { item: 0 },
			},
		]);
		expect((await listSamples(env.emulator)).map((s) => s.file_name)).toEqual(['发票-sample.pdf', 'b.pdf']);
	});

	test('From List, and one item per sample mapped from Get Many (by expression): each deleted once, paired', async () => {
		const samples = await threeSamples();
		const picked = await runDocflow({
			parameters: sampleParameters('delete', { sampleId: fromList(samples[2].sample_id) }),
			credentials: credentialFor(env.emulator),
		});
		expect(picked.items[0].json).toMatchObject({ sample_id: samples[2].sample_id, deleted: true });

		env.emulator.clearRequests();
		const mapped = await runDocflow({
			parameters: sampleParameters('delete', { sampleId: byId('={{ $json.sample_id }}') }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { sample_id: samples[1].sample_id } }],
		});
		expect(mapped.items.map((i) => [i.json.sample_id, i.json.deleted, i.pairedItem])).toEqual([[samples[1].sample_id, true, { item: 0 }]]);
		expect(deletes()).toHaveLength(1);
		expect((await listSamples(env.emulator)).map((s) => s.file_name)).toEqual(['发票-sample.pdf']);
	});

	test('a sample that is not there: the node says so and sends no delete', async () => {
		await threeSamples();
		const result = await runDocflow({
			parameters: sampleParameters('delete', { sampleId: byId('1900000000000000999') }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toBe('Category 1900000000000000001 has no sample 1900000000000000999 [item 0]');
		expect(result.error?.description).toMatch(/deleted already.*Get Many lists the category’s samples/);
		expect(deletes()).toHaveLength(0);
	});

	test('the category’s last sample: DocFlow’s refusal, with its code and message', async () => {
		const [only] = await listSamples(env.emulator);
		const result = await runDocflow({
			parameters: sampleParameters('delete', { sampleId: byId(only.sample_id) }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(
			new RegExp(`^DocFlow refused the samples of category ${INVOICE.id} \\(DocFlow code 40004, “${SAMPLE_MSG.KEEP_ONE}”, HTTP 200, trace ID [0-9a-f]{32}\\) \\[item 0\\]$`),
		);
		expect(await listSamples(env.emulator)).toHaveLength(1);
	});

	test('an answer lost after DocFlow deleted: the look-up finds it gone, so it is done and not sent again', async () => {
		const samples = await threeSamples();
		env.emulator.injectFault({ path: 'category/sample/delete', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: sampleParameters('delete', { sampleId: byId(samples[1].sample_id) }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(endpointsCalled(env.emulator)).toEqual(['category/sample/list', 'category/sample/delete', 'category/sample/list']);
		expect(result.items[0].json).toMatchObject({ sample_id: samples[1].sample_id, deleted: true });
		expect((await listSamples(env.emulator)).map((s) => s.sample_id)).not.toContain(samples[1].sample_id);
	});

	test('an answer lost before DocFlow deleted (HTTP 504): the look-up finds it still there, so it is sent once more', async () => {
		const samples = await threeSamples();
		env.emulator.injectFault({ path: 'category/sample/delete', kind: 'status', status: 504 });
		const result = await runDocflow({
			parameters: sampleParameters('delete', { sampleId: byId(samples[1].sample_id) }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(endpointsCalled(env.emulator)).toEqual([
			'category/sample/list',
			'category/sample/delete',
			'category/sample/list',
			'category/sample/delete',
		]);
		expect(deletes().map((r) => r.status)).toEqual([504, 200]);
		expect((await listSamples(env.emulator)).map((s) => s.file_name)).toEqual(['发票-sample.pdf', 'b.pdf']);
	});

	test('an answer lost and the look-up failing too: “may have been deleted — check …”', async () => {
		const samples = await threeSamples();
		env.emulator.injectFault({ path: 'category/sample/delete', kind: 'reset-after' });
		env.emulator.injectFault({ path: 'category/sample/list', kind: 'delay', ms: 0 });
		env.emulator.injectFault({ path: 'category/sample/list', kind: 'status', status: 503, times: 1 });
		const result = await runDocflow({
			parameters: sampleParameters('delete', { sampleId: byId(samples[1].sample_id), options: { maxRetries: 0 } }),
			credentials: credentialFor(env.emulator),
			onError: 'continueErrorOutput',
		});
		expect(result.items).toEqual([]);
		expect(result.errorItems).toEqual([
			{
				json: {
					error: {
						message: `Sample ${samples[1].sample_id} may have been deleted — check category ${INVOICE.id} [item 0]`,
						workspace_id: WORKSPACE_ID,
						category_id: INVOICE.id,
						sample_id: samples[1].sample_id,
						description: expect.stringMatching(/answer to the delete got lost.*listing the category’s samples to check failed as well/),
					},
					// n8n adds the input item's own fields on the error output.
					sourceIndex: 0,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(deletes()).toHaveLength(1);
	});
});
