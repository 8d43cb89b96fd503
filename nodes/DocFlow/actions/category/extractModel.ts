import type { IExecuteFunctions } from 'n8n-workflow';

import { EXTRACT_MODELS } from '../../transport/api.types';
import type { ExtractModel } from '../../transport/api.types';
import { failItem } from './valueReaders';

/** The extraction models a category, a field or a table can have, as a parameter's options. */
export const extractModelOptions = [
	{ name: 'Acgpt', value: 'Acgpt', description: 'Fast, with stable results' },
	{ name: 'Acgpt-VL', value: 'Acgpt-VL', description: 'Vision-language model, for simple documents of up to 10 pages' },
	{ name: 'Auto', value: 'Auto', description: 'DocFlow picks the model' },
	{ name: 'DF-M1', value: 'DF-M1', description: 'For complex documents' },
];

/** An Extraction Model parameter (or JSON key): one of the models DocFlow knows. */
export function readExtractModel(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label = 'Extraction Model',
): ExtractModel {
	if (typeof value === 'string' && (EXTRACT_MODELS as readonly string[]).includes(value)) return value as ExtractModel;
	return failItem(
		ctx,
		itemIndex,
		`${label} “${String(value)}” is not one DocFlow knows`,
		`Choose one of ${EXTRACT_MODELS.join(', ')}.`,
	);
}
