package pgstore

// Exported for tests.
var SchemaVersion = schemaVersion
