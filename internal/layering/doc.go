// Package layering holds no code, only the test that keeps goglove's
// packages importing in the directions their doc.go files state. Its test
// has one table of allowed arrows:
//
//	space               → symbolic
//	algorithms          → space, symbolic            (and gonum)
//	algorithms/problems → space, symbolic
//	search              → algorithms, algorithms/problems, space, symbolic
//	search/sqlitestore  → search                     (and modernc.org/sqlite)
//	search/pgstore      → search                     (and pgx)
//	search/storetest    → search                     (and go-cmp)
//	trainer             → symbolic                   (and golang.org/x/sys)
//	experiments         → everything but cmd
//	cmd                 → everything                 (and cobra, golang.org/x/sys)
//
// symbolic imports no other goglove package (and go.yaml.in/yaml/v3), and
// internal packages none. A name stands for the package and every package
// below it that no longer name claims (trainer covers trainer/nn,
// trainer/internal/kernels, …; search covers search/internal/storecodec);
// an arrow stands for what its target may import in turn. The conformance
// suite search/storetest is the one library package that may use go-cmp.
//
// The test lists every package of the module with `go list -deps -json`
// and walks each one's imports transitively: every goglove package it
// reaches must be in its own layer or one it may import, and every
// package of another module that those packages import must be a module
// one of those layers names. So importing search does not pull in a
// database driver, and trainer never imports search, algorithms or
// experiments. Only the packages' own imports are checked, not their
// tests' (symbolic's tests use trainer's types as fixtures). A package
// that no layer claims, or a layer that names no package, fails the test.
package layering
