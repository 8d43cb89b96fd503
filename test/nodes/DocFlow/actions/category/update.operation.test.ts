import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { CONTRACT, INVOICE, OLD_FORM, RECEIPT, byId, categoriesNow, expectItemError, fieldsNow, fromList, hits } from './helpers.ts';

const env = useEmulator();

const update = (updateFields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	resource: 'category',
	operation: 'update',
	workspace: workspace(),
	categoryId: fromList(OLD_FORM),
	updateFields,
	...extra,
});

describe('Category → Update', () => {
	test('enables a disabled category: category/update with enabled 1; Upload accepts it afterwards', async () => {
		const result = await runDocflow({ parameters: update({ status: 1 }), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		const [request] = hits(env.emulator, 'category/update');
		expect(request.method).toBe('POST');
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.json).toEqual({ workspace_id: WORKSPACE_ID, category_id: OLD_FORM, enabled: 1, with_detail: true });
		expect(result.items).toEqual([
			{
				json: {
					workspace_id: WORKSPACE_ID,
					id: OLD_FORM,
					name: 'old form',
					description: 'Retired form',
					category_prompt: 'Retired form',
					extract_model: 'Acgpt',
					enabled: 1,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect((await categoriesNow(env.emulator)).find((c) => c.id === OLD_FORM)?.enabled).toBe(1);
	});

	test('disables, renames, sets the prompt and the model (which DocFlow sets on every field and table)', async () => {
		const result = await runDocflow({
			parameters: update(
				{ status: 0, name: 'Tax invoice', categoryPrompt: 'Chinese VAT invoices', extractModel: 'DF-M1' },
				{ categoryId: byId(INVOICE) },
			),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		// A rename is checked against the other categories first.
		expect(env.emulator.requests.map((r) => r.path.split('/v2/')[1])).toEqual(['category/list', 'category/update']);
		expect(hits(env.emulator, 'category/update')[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			name: 'Tax invoice',
			category_prompt: 'Chinese VAT invoices',
			enabled: 0,
			extract_model: 'DF-M1',
			with_detail: true,
		});
		expect(result.items[0].json).toMatchObject({ id: INVOICE, name: 'Tax invoice', enabled: 0, extract_model: 'DF-M1' });
		const fields = await fieldsNow(env.emulator, INVOICE);
		expect(new Set([...fields.fields, ...fields.tables].map((x) => x.extract_model))).toEqual(new Set(['DF-M1']));
	});

	test('one item per category: each its own request and its own output', async () => {
		const result = await runDocflow({
			parameters: update({ status: '={{ $json.status }}' }, { categoryId: fromList('={{ $json.id }}') }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { id: RECEIPT, status: 0 } },
				{ json: { id: CONTRACT, status: 2 } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(hits(env.emulator, 'category/update').map((r) => r.json)).toEqual([
			{ workspace_id: WORKSPACE_ID, category_id: RECEIPT, enabled: 0, with_detail: true },
			{ workspace_id: WORKSPACE_ID, category_id: CONTRACT, enabled: 2, with_detail: true },
		]);
		expect(result.items.map((i) => [i.pairedItem, i.json.id, i.json.enabled])).toEqual([
			[{ item: 0 }, RECEIPT, 0],
			[{ item: 1 }, CONTRACT, 2],
		]);
	});

	test('a lost answer is simply sent again: setting the same values twice changes nothing', async () => {
		env.emulator.injectFault({ path: 'category/update', kind: 'reset-after' });
		const result = await runDocflow({ parameters: update({ status: 1 }), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(hits(env.emulator, 'category/update').map((r) => r.fault ?? 'answered')).toEqual(['reset-after', 'answered']);
		expect(result.items[0].json.enabled).toBe(1);
	});

	test.each([
		['no Update Fields', {}, {}, 'Nothing to update: no Update Fields are set [item 0]'],
		['an empty name', { name: ' ' }, {}, 'Name is empty [item 0]'],
		['a name of 51 characters', { name: 'n'.repeat(51) }, {}, `Name “${'n'.repeat(51)}” is 51 characters long; DocFlow allows at most 50 [item 0]`],
		['a prompt of 151 characters', { categoryPrompt: 'p'.repeat(151) }, {}, 'Category Prompt is 151 characters long; DocFlow allows at most 150 [item 0]'],
		['an unknown status', { status: 7 }, {}, 'Status “7” is not one DocFlow knows [item 0]'],
		['an empty category (an expression with nothing in it)', { status: 1 }, { categoryId: byId('={{ $json.missing }}') }, 'Category is empty [item 0]'],
	])('refuses %s before any request', async (_what, fields, extra, message) => {
		await expectItemError(env.emulator, { parameters: update(fields, extra), credentials: credentialFor(env.emulator) }, 0, message);
	});

	test('an unknown category, and a name another category has: said plainly, nothing changed', async () => {
		await expectItemError(
			env.emulator,
			{ parameters: update({ status: 1 }, { categoryId: byId('42') }), credentials: credentialFor(env.emulator) },
			0,
			`Category 42 does not exist in workspace ${WORKSPACE_ID} [item 0]`,
			{ beforeAnyRequest: false },
		);
		const { regular } = await expectItemError(
			env.emulator,
			{
				parameters: update({ name: '={{ $json.name }}' }, { categoryId: fromList('={{ $json.id }}') }),
				credentials: credentialFor(env.emulator),
				items: [
					{ json: { id: INVOICE, name: 'receipt' } },
					{ json: { id: OLD_FORM, name: 'new form' } },
				],
			},
			0,
			`Another category of workspace ${WORKSPACE_ID} is named “receipt” (ID ${RECEIPT}) [item 0]`,
			{ beforeAnyRequest: false },
		);
		expect(regular.items[1].json).toMatchObject({ id: OLD_FORM, name: 'new form' });
		expect(regular.items[0].json).toMatchObject({ workspace_id: WORKSPACE_ID, category_id: INVOICE });
		expect(hits(env.emulator, 'category/update').map((r) => (r.json as { category_id: string }).category_id)).toEqual([OLD_FORM]);
	});
});
