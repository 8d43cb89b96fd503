#!/usr/bin/env node
// Checks workflows against ONE installed n8n the way its editor would: every node's type and
// typeVersion must be one that n8n knows (n8n-nodes-base's node descriptions, plus this
// package's node loaded from the community-package folder), its credentials must be types
// the node accepts, and n8n-workflow's own parameter check (getNodeParametersIssues, what
// the editor shows as a node's red warning) must find nothing missing or invalid.
//
//   NODE_PATH=<n8n>/node_modules node validate-workflows.cjs <n8n>/node_modules <package dir> wf.json…
//
// NODE_PATH makes the package's require('n8n-workflow') resolve to that n8n's copy, exactly
// as n8n arranges it for community packages. Prints one JSON report on stdout.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [modulesDir, packageDir, ...files] = process.argv.slice(2);
const { NodeHelpers } = require(path.join(modulesDir, 'n8n-workflow'));

const descriptions = new Map();
function add(description) {
	const versions = Array.isArray(description.version) ? description.version : [description.version];
	const list = descriptions.get(description.name) ?? [];
	list.push({ versions, description });
	descriptions.set(description.name, list);
}
// nodes.json names its nodes without the package prefix ("set", "googleSheets")
for (const d of JSON.parse(fs.readFileSync(path.join(modulesDir, 'n8n-nodes-base', 'dist', 'types', 'nodes.json'), 'utf8'))) {
	add(d.name.includes('.') ? d : { ...d, name: `n8n-nodes-base.${d.name}` });
}

const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
for (const rel of pkg.n8n.nodes) {
	const mod = require(path.join(packageDir, rel));
	for (const Type of Object.values(mod)) {
		const instance = new Type();
		const description = instance.description ?? instance.baseDescription;
		add({ ...description, name: `${pkg.name}.${description.name}` });
	}
}

function find(type, version) {
	const entry = (descriptions.get(type) ?? []).find((e) => e.versions.includes(version));
	return entry?.description;
}

const report = {};
for (const file of files) {
	const wf = JSON.parse(fs.readFileSync(file, 'utf8'));
	const nodes = {};
	for (const node of wf.nodes) {
		const result = { type: node.type, typeVersion: node.typeVersion, problems: [] };
		nodes[node.name] = result;
		if (!descriptions.has(node.type)) {
			result.problems.push(`unknown node type ${node.type}`);
			continue;
		}
		const description = find(node.type, node.typeVersion);
		if (!description) {
			const known = descriptions.get(node.type).flatMap((e) => e.versions);
			result.problems.push(`typeVersion ${node.typeVersion} of ${node.type} is unknown (known: ${known.join(', ')})`);
			continue;
		}
		const parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description);
		const issues = NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters }, description);
		if (issues && issues.parameters) {
			for (const [name, messages] of Object.entries(issues.parameters)) {
				result.problems.push(`parameter ${name}: ${messages.join('; ')}`);
			}
		}
		const accepted = (description.credentials ?? []).map((c) => c.name);
		for (const credentialType of Object.keys(node.credentials ?? {})) {
			if (!accepted.includes(credentialType)) {
				result.problems.push(`credential type ${credentialType} is not one the node accepts (${accepted.join(', ') || 'none'})`);
			}
		}
		const required = (description.credentials ?? []).filter((c) => {
			if (!c.required) return false;
			if (!c.displayOptions?.show) return true;
			return NodeHelpers.displayParameter(parameters, c, node, description);
		});
		for (const c of required) {
			if (!node.credentials?.[c.name]) result.problems.push(`no ${c.name} credential set`);
		}
	}
	for (const [from, outputs] of Object.entries(wf.connections ?? {})) {
		if (!wf.nodes.some((n) => n.name === from)) nodes[from] = { problems: [`connection from missing node ${from}`] };
		for (const targets of outputs.main ?? []) {
			for (const target of targets ?? []) {
				if (!wf.nodes.some((n) => n.name === target.node)) {
					(nodes[from].problems ??= []).push(`connection to missing node ${target.node}`);
				}
			}
		}
	}
	report[path.basename(file)] = nodes;
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
