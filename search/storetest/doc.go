// Package storetest is the conformance suite every search.Store runs.
//
// A store's own tests call Run with a function that opens a fresh, empty
// store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) search.Store {
//			s, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "s.db"), nil)
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// The suite checks the written contract of search.Store: studies are
// created once and listed by name, and a name search.CheckStudyName
// refuses is search.ErrInvalidName with nothing stored; trials are numbered from 0 per study,
// also under concurrent AddTrial; UpdateTrial replaces a trial; records,
// configs and objectives come back exactly (times to the microsecond);
// callers and the store never share mutable data; a cancelled context is
// an error; a missing study or trial is search.ErrNotFound; deleting a
// study removes its trials, renaming and copying one keep them exactly
// (ErrExists for a name taken). Run it with -race.
package storetest
