// Lets plain `node` run the benchmark's TypeScript (and the test harness it reuses) without a
// build step: each .ts file is transpiled on require, as jest's transform does for the tests.
const fs = require('node:fs');
const ts = require('typescript');

const extensions = require.extensions;
// Before .json and .node in the search order: `./DocFlow.node` must find DocFlow.node.ts,
// not the codex file DocFlow.node.json beside it.
const { '.json': json, '.node': native } = extensions;
delete extensions['.json'];
delete extensions['.node'];

extensions['.ts'] = function compile(module, filename) {
	const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
		fileName: filename,
		compilerOptions: {
			module: ts.ModuleKind.CommonJS,
			target: ts.ScriptTarget.ES2022,
			esModuleInterop: true,
		},
	});
	module._compile(outputText, filename);
};

extensions['.json'] = json;
extensions['.node'] = native;
