// n8n finds the node and the credential through the `n8n` section of package.json
// (dist/…); this file only lets `require('n8n-nodes-docflow')` resolve during development.
module.exports = {};
