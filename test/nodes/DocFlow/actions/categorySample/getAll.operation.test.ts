import { loadOptionsContext, runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { INVOICE, RECEIPT, byId, listSamples, pdfBytes, requestsTo, sampleParameters, seedSamples } from './fixtures.ts';

const env = useEmulator();
const lists = () => requestsTo(env.emulator, 'category/sample/list');

async function sevenSamples(): Promise<void> {
	await seedSamples(env.emulator, Array.from({ length: 6 }, (_, i) => ({ name: `s${i}.pdf`, data: pdfBytes(`s${i}`) })));
	env.emulator.clearRequests();
}

describe('Category Sample → Get Many', () => {
	test('Limit (default 50): one request, one item per sample as DocFlow lists it, with its workspace and category', async () => {
		await sevenSamples();
		const result = await runDocflow({ parameters: sampleParameters('getAll'), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(lists().map((r) => [r.method, r.query])).toEqual([
			['GET', { workspace_id: WORKSPACE_ID, category_id: INVOICE.id, page: '1', page_size: '50' }],
		]);
		const listed = await listSamples(env.emulator);
		expect(result.items).toEqual(
			listed.map((s) => ({
				json: { sample_id: s.sample_id, file_name: s.file_name, workspace_id: WORKSPACE_ID, category_id: INVOICE.id },
				pairedItem: { item: 0 },
			})),
		);
		expect(result.items.map((i) => i.json.file_name)).toEqual(['发票-sample.pdf', 's0.pdf', 's1.pdf', 's2.pdf', 's3.pdf', 's4.pdf', 's5.pdf']);
	});

	test('Return All follows page/page_size to the end, also when DocFlow gives fewer per page than asked', async () => {
		await sevenSamples();
		env.emulator.setMaxPageSize(3);
		const result = await runDocflow({
			parameters: sampleParameters('getAll', { returnAll: true }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(lists().map((r) => [r.query.page, r.query.page_size])).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
		]);
		expect(result.items).toHaveLength(7);
		expect(new Set(result.items.map((i) => i.json.sample_id)).size).toBe(7);
	});

	test('Limit smaller than a page: page_size is the limit; over several short pages it stops at the limit', async () => {
		await sevenSamples();
		const two = await runDocflow({ parameters: sampleParameters('getAll', { limit: 2 }), credentials: credentialFor(env.emulator) });
		expect(lists().map((r) => r.query.page_size)).toEqual(['2']);
		expect(two.items.map((i) => i.json.file_name)).toEqual(['发票-sample.pdf', 's0.pdf']);

		env.emulator.clearRequests();
		env.emulator.setMaxPageSize(2);
		const five = await runDocflow({ parameters: sampleParameters('getAll', { limit: 5 }), credentials: credentialFor(env.emulator) });
		expect(lists().map((r) => r.query.page)).toEqual(['1', '2', '3']);
		expect(five.items.map((i) => i.json.file_name)).toEqual(['发票-sample.pdf', 's0.pdf', 's1.pdf', 's2.pdf', 's3.pdf']);
	});

	test('one list per input item, each with its own category (mapped by expression), paired', async () => {
		const result = await runDocflow({
			parameters: sampleParameters('getAll', { categoryId: byId('={{ $json.c }}'), returnAll: true }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { c: RECEIPT.id } }, { json: { c: INVOICE.id } }],
		});
		expect(result.items.map((i) => [i.json.file_name, i.json.category_id, i.pairedItem])).toEqual([
			['receipt-sample.pdf', RECEIPT.id, { item: 0 }],
			['发票-sample.pdf', INVOICE.id, { item: 1 }],
		]);
	});

	test('a page lost to a reset connection is read again (a read resends freely)', async () => {
		await sevenSamples();
		env.emulator.injectFault({ path: 'category/sample/list', kind: 'reset-after' });
		const result = await runDocflow({ parameters: sampleParameters('getAll'), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(lists()).toHaveLength(2);
		expect(result.items).toHaveLength(7);
	});

	test('Request Timeout, Max Retries and Max Retry Time apply to the list', async () => {
		env.emulator.injectFault({ path: 'category/sample/list', kind: 'hang-after' });
		const timedOut = await runDocflow({
			parameters: sampleParameters('getAll', { options: { requestTimeoutSeconds: 1, maxRetries: 0 } }),
			credentials: credentialFor(env.emulator),
		});
		expect(timedOut.error?.message).toBe('DocFlow did not answer in time [item 0]');
		expect(lists()).toHaveLength(1);

		env.emulator.reset();
		env.emulator.injectFault({ path: 'category/sample/list', kind: 'status', status: 503, times: 3 });
		const noTime = await runDocflow({
			parameters: sampleParameters('getAll', { options: { maxRetrySeconds: 0 } }),
			credentials: credentialFor(env.emulator),
		});
		expect(noTime.error?.message).toMatch(/^DocFlow is not available right now \(DocFlow code 503, “Service Unavailable”, HTTP 503, trace ID [0-9a-f]{32}\) \[item 0\]$/);
		expect(lists()).toHaveLength(1);

		env.emulator.reset();
		env.emulator.injectFault({ path: 'category/sample/list', kind: 'status', status: 503, times: 2 });
		const retried = await runDocflow({
			parameters: sampleParameters('getAll', { options: { maxRetries: 2 } }),
			credentials: credentialFor(env.emulator),
		});
		expect(retried.error).toBeUndefined();
		expect(lists().map((r) => r.status)).toEqual([503, 503, 200]);
	});
});

describe('Category Sample pickers', () => {
	test('Sample “From List” lists the chosen category’s samples, searchable by name or ID', async () => {
		await sevenSamples();
		const { context, nodeType } = await loadOptionsContext(
			sampleParameters('delete', { categoryId: { __rl: true, mode: 'list', value: INVOICE.id } }),
			credentialFor(env.emulator),
			'parameters.sampleId',
		);
		const all = await nodeType.methods.listSearch.searchCategorySamples.call(context);
		const listed = await listSamples(env.emulator);
		expect(all).toEqual({ results: listed.map((s) => ({ name: s.file_name, value: s.sample_id })) });
		expect(lists()[0].query).toEqual({ workspace_id: WORKSPACE_ID, category_id: INVOICE.id, page: '1', page_size: '100' });

		expect((await nodeType.methods.listSearch.searchCategorySamples.call(context, 'S3')).results.map((r) => r.name)).toEqual(['s3.pdf']);
		expect((await nodeType.methods.listSearch.searchCategorySamples.call(context, listed[2].sample_id)).results.map((r) => r.name)).toEqual([
			's1.pdf',
		]);
	});

	test('Sample “From List” reads every page, also when DocFlow gives fewer per page than asked', async () => {
		await sevenSamples();
		env.emulator.setMaxPageSize(3);
		const { context, nodeType } = await loadOptionsContext(sampleParameters('delete'), credentialFor(env.emulator), 'parameters.sampleId');
		const all = await nodeType.methods.listSearch.searchCategorySamples.call(context);
		expect(all.results).toHaveLength(7);
		expect(all.paginationToken).toBeUndefined();
		expect(lists().map((r) => r.query.page)).toEqual(['1', '2', '3']);
	});

	test('Download’s Sample Names or IDs lists every sample of the category (all pages)', async () => {
		await sevenSamples();
		const listed = await listSamples(env.emulator);
		env.emulator.clearRequests();
		env.emulator.setMaxPageSize(3);
		const { context, nodeType } = await loadOptionsContext(
			sampleParameters('download', { samples: 'chosen' }),
			credentialFor(env.emulator),
			'parameters.sampleIds',
		);
		const options = await nodeType.methods.loadOptions.getCategorySamples.call(context);
		expect(options).toEqual(listed.map((s) => ({ name: s.file_name, value: s.sample_id, description: `ID ${s.sample_id}` })));
		expect(lists().map((r) => r.query.page)).toEqual(['1', '2', '3']);
	});

	test('without a workspace or category the pickers say what to choose, and ask DocFlow nothing', async () => {
		for (const parameters of [
			sampleParameters('delete', { categoryId: byId('') }),
			sampleParameters('delete', { workspace: workspace('') }),
			sampleParameters('delete', { categoryId: byId('={{ $json.c }}') }),
		]) {
			const { context, nodeType } = await loadOptionsContext(parameters, credentialFor(env.emulator), 'parameters.sampleId');
			await expect(nodeType.methods.listSearch.searchCategorySamples.call(context)).rejects.toThrow(
				'Choose a workspace and a category first to list their samples',
			);
			await expect(nodeType.methods.loadOptions.getCategorySamples.call(context)).rejects.toThrow(
				'Choose a workspace and a category first to list their samples',
			);
		}
		expect(env.emulator.requests).toHaveLength(0);
	});

	test('the Category locator of these operations lists every category of the workspace (searchCategories)', async () => {
		const { context, nodeType } = await loadOptionsContext(sampleParameters('upload'), credentialFor(env.emulator), 'parameters.categoryId');
		const result = await nodeType.methods.listSearch.searchCategories.call(context);
		expect(result.results.map((r) => [r.name, r.value])).toEqual([
			['发票', '1900000000000000001'],
			['receipt', '1900000000000000002'],
			['contract', '1900000000000000003'],
			['old form', '1900000000000000004'],
		]);
	});
});
