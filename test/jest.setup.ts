// n8n's logger prints every node error to stdout; the tests read errors from the run data.
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
