// jest setupFiles for the functions project: the local cloud refuses a function's query that no declared index
// serves (localcloud/db/indexes.ts), so every suite here also checks database/collections.json.
process.env.LOCALCLOUD_STRICT_INDEXES ??= 'refuse';
