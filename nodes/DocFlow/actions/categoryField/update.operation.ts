import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CategoryFieldUpdate, FieldResult } from '../../transport/api.types';
import { updateCategoryFields } from '../../transport/endpoints/categoryFields';
import { itemError } from '../../transport/errors';
import { alphabetical } from '../parameters/alphabetical';
import { categoryFieldLocator, categoryLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { NamesInPlace, passing, sendPassed } from '../category/batches';
import { extractModelOptions, readExtractModel } from '../category/extractModel';
import { fieldSettings, fieldSettingsFrom } from '../category/fieldSettings';
import { fieldsOf, locateField } from '../category/lookups';
import type { LocatedField } from '../category/lookups';
import { batchedOptions, runPerCategory, updatedAlready } from '../category/perCategory';
import type { Chunk } from '../category/perCategory';
import { readName } from '../category/valueReaders';

export const option = {
	name: 'Update',
	description: 'Change fields of a category, one per input item',
	action: 'Update category fields',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	categoryFieldLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: alphabetical([
			...fieldSettings,
			{
				displayName: 'Extraction Model',
				name: 'extractModel',
				type: 'options',
				options: extractModelOptions,
				default: 'Auto',
				description:
					'The model for this field alone. Only regular fields have their own: a table’s columns use the table’s.',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The field’s new name',
			},
		]),
	},
	batchedOptions,
];

interface FieldChange {
	fieldId: string;
	changes: Omit<CategoryFieldUpdate, 'field_id'>;
}

/**
 * Sends one chunk of field changes of one category: each field is first found in fields/list
 * (a missing field, a model set on a table's column or a name another field has fail on their
 * own), the rest go in one category/fields/batch_update. Setting the same values again changes
 * nothing, so a lost answer is simply sent again.
 */
async function send(ctx: IExecuteFunctions, { members, outcomes, call }: Chunk<FieldChange>): Promise<void> {
	const node = ctx.getNode();
	const { workspaceId, categoryId } = call;
	const before = await fieldsOf(ctx, call);
	const located = new Map<number, LocatedField>();
	/** The names per place: the regular fields, and each table's columns. */
	const names = new Map<string, NamesInPlace>();
	const namesIn = (place: LocatedField) => {
		const key = place.table ? String(place.table.id) : '';
		let inPlace = names.get(key);
		if (!inPlace) {
			inPlace = new NamesInPlace(place.table ? (place.table.fields ?? []) : before.fields);
			names.set(key, inPlace);
		}
		return inPlace;
	};
	const passed = passing(node, outcomes, members, (m) => {
		const { fieldId, changes } = m.prepared;
		const place = locateField(before, fieldId);
		if (!place) {
			return {
				message: `Field ${fieldId} does not exist in category ${categoryId}`,
				description:
					'Pick the field From List, or check its ID: Category Field → Get Many lists every field with its ID. It may have been deleted.',
			};
		}
		if (place.table && changes.extract_model !== undefined) {
			return {
				message: `Field ${fieldId} is a column of table “${place.table.name}”, which cannot have its own Extraction Model`,
				description:
					'A table’s columns use the table’s model: set it with Category Table → Update, and remove Extraction Model here.',
			};
		}
		const holder =
			changes.name === undefined ? undefined : namesIn(place).rename(fieldId, place.field.name ?? '', changes.name);
		if (holder !== undefined) {
			return {
				message: `Another field ${place.table ? `of table “${place.table.name}”` : `of category ${categoryId}`} is named “${changes.name}” (field ID ${holder})`,
				description: 'Choose another name, or rename or delete the other field first.',
			};
		}
		located.set(m.itemIndex, place);
		return undefined;
	});
	await sendPassed(ctx, outcomes, passed, async (entries) => {
		const result = await updateCategoryFields(ctx, {
			...call,
			fields: entries.map((m) => ({ field_id: m.prepared.fieldId, ...m.prepared.changes })),
		});
		const answered: FieldResult[] = Array.isArray(result) ? result : [];
		return (m) => {
			const place = located.get(m.itemIndex) as LocatedField;
			const { id, ...field } = place.field;
			const entry = answered.find((r) => String(r?.field_id) === m.prepared.fieldId);
			return {
				workspace_id: workspaceId,
				category_id: categoryId,
				table_id: place.table ? String(place.table.id) : null,
				table_name: place.table ? place.table.name : null,
				// DocFlow's answer (with_detail) when it gives one; else the field with the changes.
				...(entry ?? { ...field, ...m.prepared.changes }),
				field_id: String(entry?.field_id ?? id),
			};
		};
	});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	return await runPerCategory<FieldChange>(this, {
		prepare: (itemIndex) => {
			const fieldId = readId(this, 'fieldId', itemIndex, 'Field', { locator: true });
			const values = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
			const changes: Omit<CategoryFieldUpdate, 'field_id'> = fieldSettingsFrom(this, values, itemIndex, {
				clearing: true,
			});
			if (values.name !== undefined) changes.name = readName(this, values.name, itemIndex, 'Name');
			if (values.extractModel !== undefined)
				changes.extract_model = readExtractModel(this, values.extractModel, itemIndex);
			if (Object.keys(changes).length === 0) {
				throw itemError(node, 'Nothing to update: no Update Fields are set', {
					itemIndex,
					description: 'Add at least one setting under Update Fields (Name, Description, Prompt…).',
				});
			}
			return { fieldId, changes };
		},
		once: { key: ({ fieldId }) => fieldId, refusal: ({ fieldId }, earlier) => updatedAlready('field', fieldId, earlier) },
		known: ({ fieldId }) => ({ field_id: fieldId }),
		send: async (chunk) => await send(this, chunk),
	});
}
