import type { INodeProperties } from 'n8n-workflow';

/** Simplify for Get and Get Many: one flat list of rules instead of rules nested in groups. */
export const simplifyRepoToggle: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return the repository’s rules as one flat list (each with its group’s name, its risk level as a word) instead of DocFlow’s nested groups with the referenced fields’ IDs',
};
