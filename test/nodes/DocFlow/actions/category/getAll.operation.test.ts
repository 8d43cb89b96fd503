import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { INVOICE, OLD_FORM, expectItemError, hits } from './helpers.ts';

const env = useEmulator();

const getMany = (extra: Record<string, unknown> = {}) => ({
	resource: 'category',
	operation: 'getAll',
	workspace: workspace(),
	...extra,
});

describe('Category → Get Many', () => {
	test('lists every category of the workspace, whatever its state, one item each', async () => {
		const result = await runDocflow({ parameters: getMany(), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		const [request] = hits(env.emulator, 'category/list');
		expect(request.method).toBe('GET');
		expect(request.query).toEqual({ workspace_id: WORKSPACE_ID, page: '1', page_size: '100', enabled: 'all' });
		expect(result.items.map((i) => [i.json.name, i.json.enabled, i.pairedItem])).toEqual([
			['发票', 1, { item: 0 }],
			['receipt', 1, { item: 0 }],
			['contract', 1, { item: 0 }],
			['old form', 0, { item: 0 }],
		]);
		expect(result.items[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			id: INVOICE,
			name: '发票',
			description: 'VAT invoice',
			category_prompt: 'VAT invoice',
			extract_model: 'Acgpt',
			enabled: 1,
		});
	});

	test.each([
		['1', ['发票', 'receipt', 'contract']],
		['0', ['old form']],
		['2', []],
	])('Status filter %s is sent as enabled', async (status, names) => {
		const result = await runDocflow({
			parameters: getMany({ filters: { status } }),
			credentials: credentialFor(env.emulator),
		});
		expect(hits(env.emulator, 'category/list')[0].query.enabled).toBe(status);
		expect(result.items.map((i) => i.json.name)).toEqual(names);
	});

	test('Return All follows page/page_size to the end; Limit asks for no more than it needs', async () => {
		const extra = Array.from({ length: 226 }, (_, i) => ({
			id: String(2_000_000_000_000_000_000n + BigInt(i)),
			name: `Form ${i}`,
			enabled: '1' as const,
		}));
		env.emulator.workspaces[0].categories.push(...extra);
		let result = await runDocflow({ parameters: getMany(), credentials: credentialFor(env.emulator) });
		expect(result.items).toHaveLength(230);
		expect(new Set(result.items.map((i) => i.json.id)).size).toBe(230);
		expect(hits(env.emulator, 'category/list').map((r) => [r.query.page, r.query.page_size])).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
		]);
		expect(result.items[229].json).toMatchObject({ name: 'Form 225', id: '2000000000000000225' });

		env.emulator.clearRequests();
		result = await runDocflow({ parameters: getMany({ returnAll: false, limit: 7 }), credentials: credentialFor(env.emulator) });
		expect(result.items.map((i) => i.json.name)).toEqual(['发票', 'receipt', 'contract', 'old form', 'Form 0', 'Form 1', 'Form 2']);
		expect(hits(env.emulator, 'category/list').map((r) => r.query.page_size)).toEqual(['7']);
		expect(OLD_FORM).toBe(result.items[3].json.id);
	});

	test('an empty Workspace ID is refused before any request, with and without Continue On Fail', async () => {
		const { regular, errorOutput } = await expectItemError(
			env.emulator,
			{
				parameters: getMany({ workspace: workspace('={{ $json.ws }}') }),
				credentials: credentialFor(env.emulator),
				items: [{ json: { ws: WORKSPACE_ID } }, { json: { ws: '' } }],
			},
			1,
			'Workspace is empty [item 1]',
		);
		expect(regular.items.filter((i) => i.json.error === undefined).map((i) => i.pairedItem)).toEqual(
			Array(4).fill({ item: 0 }),
		);
		expect(errorOutput.items).toHaveLength(4);
		expect(errorOutput.errorItems[0].json.error).toMatchObject({
			message: 'Workspace is empty [item 1]',
			description: expect.stringContaining('Set Workspace'),
		});
	});

	test('an unknown workspace: DocFlow’s code and message, and what to check', async () => {
		const result = await runDocflow({
			parameters: getMany({ workspace: workspace('999') }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/^DocFlow does not know this workspace \(DocFlow code 40004, “工作空间不存在”, HTTP 200, trace ID [0-9a-f]{32}\) \[item 0\]$/);
	});
});
