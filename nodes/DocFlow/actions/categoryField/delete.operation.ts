import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deleteCategoryFields, listCategoryFields } from '../../transport/endpoints/categoryFields';
import { itemError } from '../../transport/errors';
import { categoryFieldLocator, categoryLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { FIELDS, mayHaveBeenDeleted, untilGone } from '../category/addsAndDeletes';
import { sendPassed } from '../category/batches';
import type { Member } from '../category/batches';
import { fieldsOf, locateField } from '../category/lookups';
import type { LocatedField } from '../category/lookups';
import { batchedOptions, deletedAlready, runPerCategory } from '../category/perCategory';
import type { Chunk } from '../category/perCategory';

export const option = {
	name: 'Delete',
	description: 'Delete fields of a category, one per input item',
	action: 'Delete category fields',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	categoryFieldLocator,
	batchedOptions,
];

interface FieldToDelete {
	fieldId: string;
}

/**
 * Deletes one chunk of fields of one category: each is found in fields/list first (a field that
 * is not there fails on its own), then one category/fields/delete goes per place, the regular
 * fields and each table's columns (the spec takes a table's columns with its table_id). After a
 * lost answer, gone means done; only what is still there is sent again.
 */
async function send(ctx: IExecuteFunctions, { members, outcomes, call }: Chunk<FieldToDelete>): Promise<void> {
	const node = ctx.getNode();
	const { workspaceId, categoryId } = call;
	const before = await fieldsOf(ctx, call);
	const places = new Map<string, Array<Member<FieldToDelete> & { place: LocatedField }>>();
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
		places.set(key, [...(places.get(key) ?? []), { ...m, place }]);
	}
	for (const [tableId, all] of places) {
		await sendPassed(ctx, outcomes, all, async (entries) => {
			const table = entries[0].place.table;
			const where = table ? `table “${table.name}” of category ${categoryId}` : `category ${categoryId}`;
			const gone = untilGone(
				entries,
				(e) => e.prepared.fieldId,
				async () => {
					const now = await listCategoryFields(ctx, call);
					return [...now.fields, ...now.tables.flatMap((t) => t.fields ?? [])].map((f) => String(f.id));
				},
				(ids) => mayHaveBeenDeleted(node, FIELDS, ids, where),
			);
			await deleteCategoryFields(ctx, { ...call, tableId: tableId || undefined, fieldIds: gone.ids }, gone.verify);
			return ({ prepared, place }) => ({
				workspace_id: workspaceId,
				category_id: categoryId,
				table_id: place.table ? String(place.table.id) : null,
				table_name: place.table ? place.table.name : null,
				field_id: prepared.fieldId,
				name: place.field.name ?? '',
				deleted: true,
			});
		});
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerCategory<FieldToDelete>(this, {
		prepare: (itemIndex) => ({ fieldId: readId(this, 'fieldId', itemIndex, 'Field', { locator: true }) }),
		once: { key: ({ fieldId }) => fieldId, refusal: ({ fieldId }, earlier) => deletedAlready('field', fieldId, earlier) },
		known: ({ fieldId }) => ({ field_id: fieldId }),
		send: async (chunk) => await send(this, chunk),
	});
}
