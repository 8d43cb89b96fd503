import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { binaryFieldNames, readInputFiles } from '../../helpers/binaryInput';
import { CATEGORY_SAMPLE_LIMITS } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
import { categoryLocator } from '../parameters/category';
import { workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { SampleUploads } from './sampleUploads';
import { knownOf, readCategoryRef } from './parameters';
import { explainRefusal } from './refusals';

export const option = {
	name: 'Upload',
	description: 'Add example documents to a file category',
	action: 'Upload category samples',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{
		displayName: 'Binary Field(s)',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data, attachment_0',
		hint: `The name shown in the input’s Binary tab. Several, separated by commas (at most ${CATEGORY_SAMPLE_LIMITS.filesPerUpload}), go up in one request.`,
		description: 'Name of the binary field(s) holding the sample documents',
	},
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const uploads = new SampleUploads();
	return await runPerItem(this, {
		prepare: async (itemIndex) => {
			const ref = readCategoryRef(this, itemIndex);
			const fields = binaryFieldNames(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
			const max = CATEGORY_SAMPLE_LIMITS.filesPerUpload;
			if (fields.length > max) {
				throw itemError(this.getNode(), `DocFlow takes at most ${max} samples per upload, this item has ${fields.length}`, {
					itemIndex,
					description: `Put at most ${max} binary fields into Binary Field(s), or split the files over several items (Split Out node).`,
				});
			}
			return {
				...ref,
				files: await readInputFiles(this, itemIndex, fields),
				options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			};
		},
		known: knownOf,
		run: async (upload, itemIndex) => {
			const samples = await uploads
				.send(this, { ...upload, itemIndex, retry: retrySettingsFrom(upload.options) })
				.catch((error: Error) => {
					throw explainRefusal(error, upload);
				});
			return samples.map((sample, index) => ({
				json: {
					workspace_id: upload.workspaceId,
					category_id: upload.categoryId,
					sample_id: String(sample.sample_id),
					file_name: sample.file_name,
					binary_field: upload.files[index].binaryPropertyName,
				},
				pairedItem: { item: itemIndex },
			}));
		},
	});
}
