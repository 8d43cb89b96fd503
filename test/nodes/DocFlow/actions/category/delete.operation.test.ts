import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { CONTRACT, OLD_FORM, RECEIPT, byId, categoriesNow, expectItemError, fromList, hits } from './helpers.ts';

const env = useEmulator();

const remove = (categoryId: unknown, extra: Record<string, unknown> = {}) => ({
	resource: 'category',
	operation: 'delete',
	workspace: workspace(),
	categoryId,
	...extra,
});

const deletes = () => hits(env.emulator, 'category/delete');

describe('Category → Delete', () => {
	test('the items of one workspace go in one category/delete; each item outputs its category', async () => {
		const result = await runDocflow({
			parameters: remove(fromList('={{ $json.id }}')),
			credentials: credentialFor(env.emulator),
			items: [{ json: { id: OLD_FORM } }, { json: { id: CONTRACT } }],
		});
		expect(result.error).toBeUndefined();
		expect(deletes()).toHaveLength(1);
		expect(deletes()[0].json).toEqual({ workspace_id: WORKSPACE_ID, category_ids: [OLD_FORM, CONTRACT] });
		expect(result.items).toEqual([
			{ json: { workspace_id: WORKSPACE_ID, category_id: OLD_FORM, name: 'old form', deleted: true }, pairedItem: { item: 0 } },
			{ json: { workspace_id: WORKSPACE_ID, category_id: CONTRACT, name: 'contract', deleted: true }, pairedItem: { item: 1 } },
		]);
		expect((await categoriesNow(env.emulator)).map((c) => c.name)).toEqual(['发票', 'receipt']);
	});

	test('deleting what does not exist fails that item alone; the others are deleted', async () => {
		const { regular, errorOutput } = await expectItemError(
			env.emulator,
			{
				parameters: remove(byId('={{ $json.id }}')),
				credentials: credentialFor(env.emulator),
				items: [{ json: { id: RECEIPT } }, { json: { id: '42' } }],
			},
			1,
			`Category 42 does not exist in workspace ${WORKSPACE_ID} [item 1]`,
			{ beforeAnyRequest: false },
		);
		expect(regular.items[0].json).toMatchObject({ category_id: RECEIPT, deleted: true });
		expect(regular.items[1].json).toMatchObject({ workspace_id: WORKSPACE_ID, category_id: '42' });
		expect(errorOutput.items.map((i) => [i.pairedItem, i.json.category_id])).toEqual([[{ item: 0 }, RECEIPT]]);
		expect(deletes().map((r) => r.json)).toEqual([{ workspace_id: WORKSPACE_ID, category_ids: [RECEIPT] }]);
	});

	test.each([
		['an empty category', [{ json: { id: '' } }], 0, 'Category is empty [item 0]'],
		['the same category twice', [{ json: { id: OLD_FORM } }, { json: { id: OLD_FORM } }], 1, `Category ${OLD_FORM} is deleted by item 0 already [item 1]`],
		['an ID as a JSON number above 2^53', [{ json: { id: 1900000000000000004 } }], 0, 'Category 1900000000000000000 is a number too large to be exact [item 0]'],
	])('refuses %s before any request', async (_what, items, itemIndex, message) => {
		await expectItemError(
			env.emulator,
			{ parameters: remove(byId('={{ $json.id }}')), credentials: credentialFor(env.emulator), items },
			itemIndex,
			message,
		);
	});

	test('a lost answer: the categories are gone, so it is done, and not sent again', async () => {
		env.emulator.injectFault({ path: 'category/delete', kind: 'reset-after' });
		const result = await runDocflow({ parameters: remove(fromList(OLD_FORM)), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(deletes()).toHaveLength(1);
		expect(result.items[0].json).toEqual({ workspace_id: WORKSPACE_ID, category_id: OLD_FORM, name: 'old form', deleted: true });
		expect(hits(env.emulator, 'category/list')).toHaveLength(2);
	});

	test('a request DocFlow never got: the category is still there, so it is sent again', async () => {
		env.emulator.injectFault({ path: 'category/delete', kind: 'reset-before' });
		const result = await runDocflow({ parameters: remove(fromList(OLD_FORM)), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(deletes().map((r) => r.fault ?? 'answered')).toEqual(['reset-before', 'answered']);
		expect((await categoriesNow(env.emulator)).some((c) => c.id === OLD_FORM)).toBe(false);
	});

	test('DocFlow refusing the request fails every item it carried, saying so', async () => {
		env.emulator.injectFault({ path: 'category/delete', kind: 'business', code: 40004, msg: '文件类别使用中' });
		const result = await runDocflow({
			parameters: remove(fromList('={{ $json.id }}')),
			credentials: credentialFor(env.emulator),
			items: [{ json: { id: OLD_FORM } }, { json: { id: CONTRACT } }],
			onError: 'continueErrorOutput',
		});
		expect(result.items).toHaveLength(0);
		expect(result.errorItems.map((i) => [i.pairedItem, (i.json.error as { message: string }).message])).toEqual([
			[{ item: 0 }, expect.stringMatching(/^DocFlow refused the request to category\/delete \(DocFlow code 40004, “文件类别使用中”.*\) \[item 0\]$/)],
			[{ item: 1 }, expect.stringMatching(/\[item 1\]$/)],
		]);
		expect((result.errorItems[1].json.error as { description: string }).description).toMatch(
			/The request carried items 0 and 1\. DocFlow applies all of them or none, so none was applied\.$/,
		);
		expect(result.errorItems[0].json.error).toMatchObject({ docflow_code: 40004, docflow_message: '文件类别使用中', category_id: OLD_FORM });
	});
});
