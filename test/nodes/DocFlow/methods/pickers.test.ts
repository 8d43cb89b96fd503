import { loadOptionsContext } from '../../../harness/engine.ts';
import { ENTERPRISE_ID, credentialFor, useEmulator, workspace } from '../../../harness/fixtures.ts';

const env = useEmulator();

describe('Workspace and Category pickers', () => {
	test('Workspace “From List” lists the enterprise’s workspaces via workspace/list', async () => {
		const { context, nodeType } = await loadOptionsContext(
			{ resource: 'file', operation: 'upload' },
			credentialFor(env.emulator, { enterpriseId: ENTERPRISE_ID }),
		);
		const result = await nodeType.methods.listSearch.searchWorkspaces.call(context);
		expect(result.results.map((r) => [r.name, r.value])).toEqual([
			['Invoices', '1234567890'],
			['Contracts', '2234567890'],
		]);
		const [request] = env.emulator.requests;
		expect(request.path).toBe('/api/app-api/sip/platform/v2/workspace/list');
		expect(request.query).toEqual({ enterprise_id: ENTERPRISE_ID, page: '1', page_size: '50' });
		expect(request.headers['x-ti-enterprise-id']).toBe(ENTERPRISE_ID);

		const filtered = await nodeType.methods.listSearch.searchWorkspaces.call(context, 'contr');
		expect(filtered.results.map((r) => r.value)).toEqual(['2234567890']);
	});

	test('without an Enterprise ID the picker says what to set', async () => {
		const { context, nodeType } = await loadOptionsContext(
			{ resource: 'file', operation: 'upload' },
			credentialFor(env.emulator),
		);
		await expect(nodeType.methods.listSearch.searchWorkspaces.call(context)).rejects.toThrow(
			'Set Enterprise ID in the DocFlow credential to list workspaces',
		);
		expect(env.emulator.requests).toHaveLength(0);
	});

	test('Category lists the enabled categories of the chosen workspace via category/list', async () => {
		const { context, nodeType } = await loadOptionsContext(
			{ resource: 'file', operation: 'upload', workspace: workspace('2234567890') },
			credentialFor(env.emulator),
			'parameters.options.category',
		);
		const options = await nodeType.methods.loadOptions.getCategories.call(context);
		expect(options.map((o) => o.value)).toEqual(['', 'contract', 'invoice']);
		expect(env.emulator.requests[0].query).toMatchObject({ workspace_id: '2234567890', enabled: '1' });
	});

	test('Category without a workspace asks for one', async () => {
		const { context, nodeType } = await loadOptionsContext(
			{ resource: 'file', operation: 'upload', workspace: workspace('') },
			credentialFor(env.emulator),
			'parameters.options.category',
		);
		await expect(nodeType.methods.loadOptions.getCategories.call(context)).rejects.toThrow(
			'Choose a workspace first to list its categories',
		);
	});
});
