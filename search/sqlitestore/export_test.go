package sqlitestore

// Exported for tests.
var (
	SchemaVersion = schemaVersion
	Migrations    = migrations
)
