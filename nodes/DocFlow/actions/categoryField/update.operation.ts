import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryFieldUpdate, FieldResult } from '../../transport/api.types';
import { updateCategoryFields } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { categoryFieldLocator, categoryLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { SeenInGroup, failEach, runGrouped, sendable } from '../category/batches';
import type { Member, Outcomes } from '../category/batches';
import { extractModelOptions, readExtractModel } from '../category/extractModel';
import { fieldSettings, fieldSettingsFrom } from '../category/fieldSettings';
import { readName } from '../category/valueReaders';
import { fieldsOf, locateField, single } from '../category/lookups';
import type { LocatedField } from '../category/lookups';

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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical(requestOptions.filter((o) => o.name !== 'batching')),
	},
];

interface PreparedUpdate {
	workspaceId: string;
	categoryId: string;
	fieldId: string;
	changes: Omit<CategoryFieldUpdate, 'field_id'>;
	retry: Partial<RetrySettings>;
}

/**
 * Sends one chunk of field changes of one category: each field is first found in fields/list
 * (a missing field, a model set on a table's column or a name another field has fail on their
 * own), the rest go in one category/fields/batch_update. Setting the same values again changes
 * nothing, so a lost answer is simply sent again.
 */
async function send(ctx: IExecuteFunctions, members: Array<Member<PreparedUpdate>>): Promise<Outcomes> {
	const node = ctx.getNode();
	const { workspaceId, categoryId, retry } = members[0].prepared;
	const call = { workspaceId, categoryId, retry };
	const outcomes: Outcomes = new Map();
	const before = await fieldsOf(ctx, call);
	const located = new Map<number, LocatedField>();
	/** New names per place (regular fields, or a table), so two renames to one name are caught too. */
	const names = new Map<string, Map<string, string>>();
	const namesIn = (place: LocatedField) => {
		const key = place.table ? String(place.table.id) : '';
		let map = names.get(key);
		if (!map) {
			const fields = place.table ? (place.table.fields ?? []) : before.fields;
			map = new Map(fields.map((f) => [f.name ?? '', String(f.id)]));
			names.set(key, map);
		}
		return map;
	};
	const refuse = (m: Member<PreparedUpdate>, message: string, description: string) =>
		outcomes.set(m.itemIndex, itemError(node, message, { itemIndex: m.itemIndex, description }));

	let pending = members.filter((m) => {
		const { fieldId, changes } = m.prepared;
		const place = locateField(before, fieldId);
		if (!place) {
			refuse(
				m,
				`Field ${fieldId} does not exist in category ${categoryId}`,
				'Pick the field From List, or check its ID: Category Field → Get Many lists every field with its ID. It may have been deleted.',
			);
			return false;
		}
		if (place.table && changes.extract_model !== undefined) {
			refuse(
				m,
				`Field ${fieldId} is a column of table “${place.table.name}”, which cannot have its own Extraction Model`,
				'A table’s columns use the table’s model: set it with Category Table → Update, and remove Extraction Model here.',
			);
			return false;
		}
		if (changes.name !== undefined) {
			const taken = namesIn(place);
			const holder = taken.get(changes.name);
			if (holder !== undefined && holder !== fieldId) {
				refuse(
					m,
					`Another field ${place.table ? `of table “${place.table.name}”` : `of category ${categoryId}`} is named “${changes.name}” (field ID ${holder})`,
					'Choose another name, or rename or delete the other field first.',
				);
				return false;
			}
			taken.delete(place.field.name ?? '');
			taken.set(changes.name, fieldId);
		}
		located.set(m.itemIndex, place);
		return true;
	});
	pending = sendable(ctx, outcomes, pending, (m) => m.itemIndex);
	if (pending.length === 0) return outcomes;

	let result: FieldResult[] | undefined;
	try {
		result = await updateCategoryFields(ctx, {
			...call,
			fields: pending.map((m) => ({ field_id: m.prepared.fieldId, ...m.prepared.changes })),
		});
	} catch (error) {
		failEach(node, outcomes, error, pending);
		return outcomes;
	}
	const answered = Array.isArray(result) ? result : [];
	for (const m of pending) {
		const place = located.get(m.itemIndex) as LocatedField;
		const { id, ...field } = place.field;
		const entry = answered.find((r) => String(r?.field_id) === m.prepared.fieldId);
		outcomes.set(
			m.itemIndex,
			single(
				{
					workspace_id: workspaceId,
					category_id: categoryId,
					table_id: place.table ? String(place.table.id) : null,
					table_name: place.table ? place.table.name : null,
					// DocFlow's answer (with_detail) when it gives one; else the field with the changes.
					...(entry ?? { ...field, ...m.prepared.changes }),
					field_id: String(entry?.field_id ?? id),
				},
				m.itemIndex,
			),
		);
	}
	return outcomes;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const seen = new SeenInGroup();
	return await runGrouped<PreparedUpdate>(this, {
		prepare: async (itemIndex) => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const categoryId = readId(this, 'categoryId', itemIndex, 'Category', { locator: true });
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
			// Two changes of one field in one request: which one DocFlow keeps is not defined.
			const earlier = seen.claim(`${workspaceId}/${categoryId}`, fieldId, itemIndex);
			if (earlier !== undefined) {
				throw itemError(node, `Item ${earlier} already updates field ${fieldId}`, {
					itemIndex,
					description: 'Put all changes of one field into one item, or remove the repeated item.',
				});
			}
			return {
				workspaceId,
				categoryId,
				fieldId,
				changes,
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
