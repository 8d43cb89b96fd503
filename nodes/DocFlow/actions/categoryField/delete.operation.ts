import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import { deleteCategoryFields, listCategoryFields } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { categoryFieldLocator, categoryLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { SeenInGroup, failEach, runGrouped, sendable } from '../category/batches';
import type { Member, Outcomes } from '../category/batches';
import { fieldsOf, locateField, mayHaveBeen, single } from '../category/lookups';
import type { LocatedField } from '../category/lookups';

export const option = {
	name: 'Delete',
	description: 'Delete fields of a category, one per input item',
	action: 'Delete category fields',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	categoryFieldLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical(requestOptions.filter((o) => o.name !== 'batching')),
	},
];

interface PreparedDelete {
	workspaceId: string;
	categoryId: string;
	fieldId: string;
	retry: Partial<RetrySettings>;
}

/**
 * Deletes one chunk of fields of one category: each is found in fields/list first (a field that
 * is not there fails on its own), then one category/fields/delete goes per place, the regular
 * fields and each table's columns (the spec takes a table's columns with its table_id). After a
 * lost answer, gone means done; only what is still there is sent again.
 */
async function send(ctx: IExecuteFunctions, members: Array<Member<PreparedDelete>>): Promise<Outcomes> {
	const node = ctx.getNode();
	const { workspaceId, categoryId, retry } = members[0].prepared;
	const call = { workspaceId, categoryId, retry };
	const outcomes: Outcomes = new Map();
	const before = await fieldsOf(ctx, call);
	const places = new Map<string, Array<{ member: Member<PreparedDelete>; place: LocatedField }>>();
	for (const m of members) {
		const place = locateField(before, m.prepared.fieldId);
		if (!place) {
			outcomes.set(
				m.itemIndex,
				itemError(node, `Field ${m.prepared.fieldId} does not exist in category ${categoryId}`, {
					itemIndex: m.itemIndex,
					description:
						'Nothing was deleted for this item. Check the Field ID: Category Field → Get Many lists every field of the category. It may have been deleted already.',
				}),
			);
			continue;
		}
		const key = place.table ? String(place.table.id) : '';
		places.set(key, [...(places.get(key) ?? []), { member: m, place }]);
	}
	for (const [tableId, all] of places) {
		const entries = sendable(ctx, outcomes, all, (e) => e.member.itemIndex);
		if (entries.length === 0) continue;
		let pending = entries;
		const where = entries[0].place.table
			? `table “${entries[0].place.table.name}” of category ${categoryId}`
			: `category ${categoryId}`;
		try {
			await deleteCategoryFields(
				ctx,
				{ ...call, tableId: tableId || undefined, fieldIds: () => pending.map((e) => e.member.prepared.fieldId) },
				async () => {
					let stillThere: (id: string) => boolean;
					try {
						const now = await listCategoryFields(ctx, call);
						stillThere = (id) => locateField(now, id) !== undefined;
					} catch {
						throw mayHaveBeen(
							node,
							`Fields ${pending.map((e) => e.member.prepared.fieldId).join(', ')} of ${where} may have been deleted`,
							'Check the category’s fields (Category Field → Get Many); delete those still there.',
						);
					}
					pending = pending.filter((e) => stillThere(e.member.prepared.fieldId));
					return pending.length === 0 ? 'received' : 'resend';
				},
			);
		} catch (error) {
			failEach(
				node,
				outcomes,
				error,
				entries.map((e) => e.member),
			);
			continue;
		}
		for (const { member, place } of entries) {
			outcomes.set(
				member.itemIndex,
				single(
					{
						workspace_id: workspaceId,
						category_id: categoryId,
						table_id: place.table ? String(place.table.id) : null,
						table_name: place.table ? place.table.name : null,
						field_id: member.prepared.fieldId,
						name: place.field.name ?? '',
						deleted: true,
					},
					member.itemIndex,
				),
			);
		}
	}
	return outcomes;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const seen = new SeenInGroup();
	return await runGrouped<PreparedDelete>(this, {
		prepare: async (itemIndex) => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const categoryId = readId(this, 'categoryId', itemIndex, 'Category', { locator: true });
			const fieldId = readId(this, 'fieldId', itemIndex, 'Field', { locator: true });
			const earlier = seen.claim(`${workspaceId}/${categoryId}`, fieldId, itemIndex);
			if (earlier !== undefined) {
				throw itemError(node, `Field ${fieldId} is deleted by item ${earlier} already`, {
					itemIndex,
					description: 'Each field can be deleted once; remove the repeated item (e.g. with a Remove Duplicates node).',
				});
			}
			return {
				workspaceId,
				categoryId,
				fieldId,
				retry: retrySettingsFrom(this.getNodeParameter('options', itemIndex, {}) as IDataObject),
			};
		},
		known: ({ workspaceId, categoryId, fieldId }) => ({
			workspace_id: workspaceId,
			category_id: categoryId,
			field_id: fieldId,
		}),
		groupOf: ({ workspaceId, categoryId }) => `${workspaceId}/${categoryId}`,
		chunkSize: CATEGORY_LIMITS.itemsPerRequest,
		send: async (members) => await send(this, members),
	});
}
