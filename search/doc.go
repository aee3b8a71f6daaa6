// Package search runs studies: it connects a space, an algorithm and an
// objective, hands out trials through Go iterators (Sample) or evaluates an
// objective with parallel workers (Run), and records every trial in a store
// named by URL (mem://, sqlite://PATH, postgres://…) so that studies
// survive crashes and scale across machines.
//
// Every store passes the conformance suite in package storetest; the
// SQLite store is in package sqlitestore.
//
// Database drivers live only in the store sub-packages, so importing search
// does not pull in a driver. Package search imports algorithms, space and
// symbolic.
package search
