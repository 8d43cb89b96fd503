import { runDocflow } from '../../../../harness/engine.ts';
import { ENTERPRISE_ID, credentialFor, sample, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { credential, jsonOf, requestsOf, requestsTo, runBadInput, wire, workspaceParameters } from './helpers.ts';

const env = useEmulator();

const createParameters = (extra: Record<string, unknown> = {}) =>
	workspaceParameters('create', { name: 'Acme Corp', ...extra });
const creates = () => requestsTo(env.emulator, 'workspace/create');
const named = (name: string) => env.emulator.workspaces.filter((w) => w.name === name);

describe('Workspace → Create', () => {
	test('sends the spec’s body, outputs the workspace as DocFlow has it, and the new workspace takes uploads', async () => {
		const result = await runDocflow({
			parameters: createParameters({
				name: '  Acme Corp  ',
				authScope: 0,
				additionalFields: { description: 'Documents of client Acme' },
			}),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		// the names already there, the create, the workspace read back
		expect(wire(env.emulator)).toEqual(['GET workspace/list', 'POST workspace/create', 'GET workspace/get']);
		const [create] = creates();
		expect(create.headers['content-type']).toMatch(/^application\/json/);
		expect(create.auth).toMatchObject({ mode: 'simple', valid: true, enterpriseId: ENTERPRISE_ID });
		// the name trimmed; enterprise_id a JSON integer (the spec's int64)
		expect(create.json).toEqual({
			name: 'Acme Corp',
			description: 'Documents of client Acme',
			enterprise_id: 1001,
			auth_scope: 0,
		});
		expect(create.code).toBe(200);
		expect(env.emulator.requests[0].query).toEqual({ enterprise_id: ENTERPRISE_ID, page: '1', page_size: '100' });

		const [stored] = named('Acme Corp');
		expect(result.items).toEqual([
			{
				json: {
					workspace_id: stored.workspace_id,
					name: 'Acme Corp',
					description: 'Documents of client Acme',
					auth_scope: 0,
					manage_account_id: 'account_demo-app-id',
					manage_account_name: 'demo-app-id',
					callback_url: '',
					callback_retry_time: 0,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(env.emulator.requests[2].query).toEqual({ workspace_id: stored.workspace_id });

		// a following node maps the ID: an upload into the new workspace works
		const upload = await runDocflow({
			parameters: { resource: 'file', operation: 'upload', workspace: workspace(stored.workspace_id), waitForCompletion: false },
			credentials: credential(env.emulator),
			items: [{ binary: { data: { data: sample('simple.pdf'), fileName: 'simple.pdf', mimeType: 'application/pdf' } } }],
		});
		expect(upload.error).toBeUndefined();
		expect(env.emulator.tasks().map((t) => t.workspaceId)).toEqual([stored.workspace_id]);
	});

	test('defaults: visible to the enterprise’s members, no description sent', async () => {
		const result = await runDocflow({ parameters: createParameters(), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(creates()[0].json).toEqual({ name: 'Acme Corp', enterprise_id: 1001, auth_scope: 1 });
		expect(result.items[0].json).toMatchObject({ name: 'Acme Corp', auth_scope: 1, description: '' });
	});

	test('one workspace per item, names mapped from the input, each output paired with its item', async () => {
		const result = await runDocflow({
			parameters: createParameters({ name: '={{ $json.client }}', additionalFields: { description: '={{ "Client " + $json.client }}' } }),
			credentials: credential(env.emulator),
			items: [{ json: { client: 'Alpha' } }, { json: { client: 'Beta' } }, { json: { client: 'Gamma' } }],
		});
		expect(result.error).toBeUndefined();
		expect(creates().map((r) => r.json)).toEqual(
			['Alpha', 'Beta', 'Gamma'].map((name) => ({ name, description: `Client ${name}`, enterprise_id: 1001, auth_scope: 1 })),
		);
		expect(result.items.map((i) => [i.json.name, i.json.workspace_id, i.pairedItem])).toEqual(
			['Alpha', 'Beta', 'Gamma'].map((name, item) => [name, named(name)[0].workspace_id, { item }]),
		);
	});

	test('Options → Enterprise ID is used instead of the credential’s (which may be empty)', async () => {
		const result = await runDocflow({
			parameters: createParameters({ options: { enterpriseId: ` ${ENTERPRISE_ID} ` } }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(creates()[0].json).toMatchObject({ enterprise_id: 1001 });
		expect(creates()[0].headers['x-ti-enterprise-id']).toBeUndefined();
		expect(requestsTo(env.emulator, 'workspace/list')[0].query.enterprise_id).toBe(ENTERPRISE_ID);
		expect(named('Acme Corp')[0].enterprise_id).toBe(ENTERPRISE_ID);
	});

	test('signature authentication signs the JSON body as sent', async () => {
		const result = await runDocflow({
			parameters: createParameters(),
			credentials: credential(env.emulator, { authentication: 'signature' }),
		});
		expect(result.error).toBeUndefined();
		for (const request of env.emulator.requests) expect(request.auth).toMatchObject({ mode: 'signature', valid: true, secretHeader: false });
	});

	test('a name DocFlow already has is created again (DocFlow does not require unique names)', async () => {
		const result = await runDocflow({ parameters: createParameters({ name: 'Invoices' }), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(named('Invoices')).toHaveLength(2);
		expect(result.items[0].json.workspace_id).toBe(named('Invoices')[1].workspace_id);
	});
});

describe('Workspace → Create is never sent twice', () => {
	test('answer lost after DocFlow created it: found by name among the workspaces that were not there before, not sent again', async () => {
		// one workspace of that name exists already: it must not be taken for the new one
		env.emulator.workspaces.push({ workspace_id: '5550000001', name: 'Acme Corp', enterprise_id: ENTERPRISE_ID, categories: [] });
		env.emulator.injectFault({ path: 'workspace/create', kind: 'reset-after' });
		const result = await runDocflow({ parameters: createParameters(), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual(['GET workspace/list', 'POST workspace/create', 'GET workspace/list', 'GET workspace/get']);
		expect(creates()).toHaveLength(1);
		expect(creates()[0].fault).toBe('reset-after');
		const all = named('Acme Corp');
		expect(all).toHaveLength(2);
		expect(result.items.map((i) => i.json.workspace_id)).toEqual([all[1].workspace_id]);
	});

	test('answer lost before DocFlow acted (a gateway 502): nothing of that name appeared, so it is sent again, once', async () => {
		env.emulator.injectFault({ path: 'workspace/create', kind: 'status', status: 502 });
		const result = await runDocflow({ parameters: createParameters(), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual([
			'GET workspace/list',
			'POST workspace/create',
			'GET workspace/list',
			'POST workspace/create',
			'GET workspace/get',
		]);
		expect(creates().map((r) => r.status)).toEqual([502, 200]);
		expect(creates()[1].json).toEqual(creates()[0].json);
		expect(named('Acme Corp')).toHaveLength(1);
		expect(result.items[0].json.workspace_id).toBe(named('Acme Corp')[0].workspace_id);
	});

	test('a refusal DocFlow makes before acting (429) is simply sent again', async () => {
		env.emulator.injectFault({ path: 'workspace/create', kind: 'status', status: 429, retryAfter: 0 });
		const result = await runDocflow({ parameters: createParameters(), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual(['GET workspace/list', 'POST workspace/create', 'POST workspace/create', 'GET workspace/get']);
		expect(named('Acme Corp')).toHaveLength(1);
	});

	test('two items creating the same name at once, both answers lost: it cannot tell whose is whose, so both fail with “may have been created — check”, and nothing is sent again', async () => {
		// latency makes both items read the list before either create arrives
		const prepare = () => {
			env.emulator.setLatency(40);
			env.emulator.injectFault({ path: 'workspace/create', kind: 'reset-after', times: 2 });
		};
		const runs = await runBadInput(
			env.emulator,
			createParameters({ name: 'Twin', options: { batching: { batch: { itemsPerBatch: 2 } } } }),
			[{ json: {} }, { json: {} }],
			credential(env.emulator),
			prepare,
		);
		const message = (item: number) => `Workspace “Twin” may have been created: DocFlow’s answer got lost [item ${item}]`;
		expect(runs.stopped.error?.message).toMatch(/^Workspace “Twin” may have been created: DocFlow’s answer got lost \[item [01]\]$/);
		expect(runs.stopped.error?.description).toMatch(/did not send the create again.*2 workspaces named “Twin” appeared in enterprise 1001 .*Check the workspaces named “Twin”/);
		expect(jsonOf(runs.regular.items)).toEqual([
			{ name: 'Twin', enterprise_id: ENTERPRISE_ID, error: message(0), description: expect.stringMatching(/Check the workspaces named “Twin”/) },
			{ name: 'Twin', enterprise_id: ENTERPRISE_ID, error: message(1), description: expect.stringMatching(/Check the workspaces named “Twin”/) },
		]);
		expect(runs.errorOutput.items).toEqual([]);
		expect(runs.errorOutput.errorItems.map((i) => [i.json.error, i.pairedItem])).toEqual([
			[expect.objectContaining({ message: message(0), name: 'Twin' }), { item: 0 }],
			[expect.objectContaining({ message: message(1), name: 'Twin' }), { item: 1 }],
		]);
		for (const run of [runs.stopped, runs.regular, runs.errorOutput]) {
			expect(requestsOf(run).filter((r) => r.path.endsWith('/workspace/create'))).toHaveLength(2);
		}
		expect(named('Twin')).toHaveLength(2);
	});

	test('two items with the same name, answers intact: each gets its own workspace', async () => {
		env.emulator.setLatency(20);
		const result = await runDocflow({
			parameters: createParameters({ name: 'Twin', options: { batching: { batch: { itemsPerBatch: 2 } } } }),
			credentials: credential(env.emulator),
			items: [{ json: {} }, { json: {} }],
		});
		expect(result.error).toBeUndefined();
		const ids = result.items.map((i) => i.json.workspace_id);
		expect(new Set(ids).size).toBe(2);
		expect(ids.sort()).toEqual(named('Twin').map((w) => w.workspace_id).sort());
	});
});

describe('Workspace → Create: bad input is refused before anything is sent', () => {
	const good = { json: { client: 'Good Client', note: 'fine', scope: 1, ent: ENTERPRISE_ID } };
	test.each([
		['an empty name', { name: '={{ $json.client }}' }, { json: { client: '' } }, 'Name is empty [item 1]', /map it from an earlier node/],
		['a blank name', { name: '={{ $json.client }}' }, { json: { client: '   ' } }, 'Name is empty [item 1]', /Set the workspace’s Name/],
		[
			'a 51-character name',
			{ name: '={{ $json.client }}' },
			{ json: { client: 'x'.repeat(51) } },
			'Name is 51 characters long; DocFlow allows at most 50 [item 1]',
			/Shorten the name/,
		],
		[
			'an object as name',
			{ name: '={{ $json.client }}' },
			{ json: { client: { first: 'a' } } },
			'Name must be text, but it is an object [item 1]',
			/Map a single text field/,
		],
		[
			'a 201-character description',
			{ name: '={{ $json.client }}', additionalFields: { description: '={{ $json.note }}' } },
			{ json: { client: 'ok', note: 'd'.repeat(201) } },
			'Description is 201 characters long; DocFlow allows at most 200 [item 1]',
			/200 characters or fewer/,
		],
		[
			'Visible To 2',
			{ name: '={{ $json.client }}', authScope: '={{ $json.scope }}' },
			{ json: { client: 'ok', scope: 2 } },
			'Visible To must be “Only Me” (0) or “Enterprise Members” (1), not 2 [item 1]',
			/Choose one of the two/,
		],
		[
			'an Enterprise ID that is not a number',
			{ name: '={{ $json.client }}', options: { enterpriseId: '={{ $json.ent }}' } },
			{ json: { client: 'ok', ent: 'acme' } },
			'Enterprise ID “acme” (from Options → Enterprise ID) is not a number [item 1]',
			/digits only/,
		],
	])('%s', async (_label, parameters, bad, message, description) => {
		const items = [good, bad].map((item) => ({ json: { ...good.json, ...item.json } }));
		const runs = await runBadInput(env.emulator, createParameters(parameters), items);
		// stop: the run fails on the bad item before the good one sent anything
		expect(runs.stopped.error?.message).toBe(message);
		expect(runs.stopped.error?.description).toMatch(description);
		expect(requestsOf(runs.stopped)).toEqual([]);
		// regular output: the good item's workspace, the bad item's error, each on its own item
		expect(runs.regular.error).toBeUndefined();
		expect(runs.regular.items.map((i) => [i.pairedItem, i.json.name, i.json.error])).toEqual([
			[{ item: 0 }, 'Good Client', undefined],
			[{ item: 1 }, undefined, message],
		]);
		expect(runs.regular.items[1].json.description).toMatch(description);
		// error output: the good item on the success output, the bad one on the error output
		expect(runs.errorOutput.items.map((i) => [i.pairedItem, i.json.name])).toEqual([[{ item: 0 }, 'Good Client']]);
		expect(runs.errorOutput.errorItems.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 1 }, expect.objectContaining({ message, description: expect.stringMatching(description) })],
		]);
		for (const run of [runs.regular, runs.errorOutput]) {
			expect(requestsOf(run).filter((r) => r.path.endsWith('/workspace/create')).map((r) => (r.json as { name: string }).name)).toEqual(['Good Client']);
		}
	});

	test('no Enterprise ID anywhere: says where to set it, nothing sent', async () => {
		const runs = await runBadInput(env.emulator, createParameters(), [{ json: {} }], credentialFor(env.emulator));
		expect(runs.stopped.error?.message).toBe('Enterprise ID is empty [item 0]');
		expect(runs.stopped.error?.description).toMatch(/Set Enterprise ID in the DocFlow API credential, or in this node under Options → Enterprise ID/);
		// refused while reading the item: nothing known about it yet but the error
		expect(jsonOf(runs.regular.items)).toEqual([
			{ error: 'Enterprise ID is empty [item 0]', description: expect.stringMatching(/Enterprise Management/) },
		]);
		expect(runs.errorOutput.errorItems.map((i) => i.json.error)).toEqual([
			expect.objectContaining({ message: 'Enterprise ID is empty [item 0]' }),
		]);
		for (const run of [runs.stopped, runs.regular, runs.errorOutput]) expect(requestsOf(run)).toEqual([]);
	});

	test('an enterprise the account does not belong to: DocFlow’s 40301, nothing created', async () => {
		const runs = await runBadInput(
			env.emulator,
			createParameters({ name: '={{ $json.client }}', options: { enterpriseId: '={{ $json.ent }}' } }),
			[{ json: { client: 'Ours', ent: ENTERPRISE_ID } }, { json: { client: 'Theirs', ent: '2002' } }],
			credentialFor(env.emulator),
		);
		const message = /^DocFlow refused access for this enterprise \(DocFlow code 40301, “no permission for this enterprise”, HTTP 200, trace ID [0-9a-f]{32}\) \[item 1\]$/;
		expect(runs.stopped.error?.message).toMatch(message);
		expect(runs.regular.items.map((i) => [i.json.name, i.json.error])).toEqual([
			['Ours', undefined],
			['Theirs', expect.stringMatching(message)],
		]);
		expect(runs.regular.items[1].json).toMatchObject({ enterprise_id: '2002', docflow_code: 40301, trace_id: expect.any(String) });
		expect(runs.errorOutput.errorItems.map((i) => i.json.error)).toEqual([
			expect.objectContaining({ message: expect.stringMatching(message), docflow_code: 40301, enterprise_id: '2002' }),
		]);
		expect(named('Theirs')).toEqual([]);
		expect(named('Ours')).toHaveLength(1);
	});
});
