// Goglove is the command line of goglove, a symbolic AutoML search framework
// in Go. Programs (models, training recipes, whole experiments) are symbolic
// trees written in YAML or JSON; search spaces, search algorithms and the
// child programs they produce are independent of each other.
//
// Usage:
//
//	goglove VERB [flags] [arguments]
//
// The verbs are:
//
//	bench blackbox   run search algorithms on standard black-box problems
//	bench overhead   measure the search loop's time per trial
//	bench store      measure a store's cost per trial and how workers scale on it
//	bench train      measure training speed and the GEMM, optionally against PyTorch
//	bench infer      measure the forward pass's examples per second on one core
//	cache ls         list the trained-model cache (also cache rm, prune, dir)
//	eval             evaluate a saved model, on its own or other data
//	export           write a trial's trained model to a safetensors file
//	ask              propose the next trial of a study, to evaluate elsewhere
//	best             print the best trial or Pareto front of a stored study
//	dashboard        serve a live web page of the studies in a store
//	enqueue          hand a study programs to evaluate before the algorithm's proposals
//	experiment       reproduce a research result (experiment bitnet: BitNet b1.58 on Fashion-MNIST)
//	fmt              print or rewrite symbolic YAML and JSON files in canonical form
//	plot             draw a plot of a study to an SVG or PNG file
//	report           write a Markdown report of a study, with its plots
//	search           run the search a YAML config describes
//	space inspect    list the decision points and the size of a search space
//	space sample     print random programs of a space
//	space enumerate  print every program of a finite space, in grid order
//	space decode     print the program a DNA selects in a space
//	space encode     print the DNA of a program in a space
//	studies          list the studies a store keeps
//	studies rm       delete a study with its trials
//	studies rename   give a study another name
//	studies copy     copy a study with its trials under another name
//	tell             record the result of a trial ask handed out
//	train            run one child program (train a model, evaluate one) and print its metrics
//	trials           list the trials of a stored study
//	version          print the version of goglove and of the Go toolchain
//	worker           join a study and evaluate its trials until its budget is met
//	help             show help for goglove or one of its verbs
//
// Every verb accepts --help, and "goglove help VERB" shows the same text.
// Flags may come before or after the positional arguments, so
// "goglove fmt --json FILE" and "goglove fmt FILE --json" are the same; "--"
// ends the flags.
//
// # fmt
//
// "goglove fmt FILE..." decodes each file as a symbolic tree (JSON when the
// name ends in .json, YAML otherwise; "-" reads YAML from standard input) and
// prints its canonical form in the file's own format, or as JSON with --json.
// The canonical form is stable: formatting it again gives the same bytes.
// -w rewrites the files in place (atomically, keeping their mode; files that
// are already canonical are not touched) and -l lists the files that are not
// canonical. The canonical form has no comments: fmt warns when it drops
// them, and -w refuses to rewrite a YAML file with comments unless
// --drop-comments is given.
//
// Files may hold only the types and tags registered in the CLI's registry
// (see registry.go): the hyper-value tags of package space (!oneof,
// !manyof, !permutation, !float, !int) and the child-program types of
// package trainer (the programs trainer.Classifier, trainer.Evaluation and
// trainer.Checkpoint; the models trainer.Sequential, with its layer
// programs, and trainer.MLP; the optimizers trainer.AdamW and trainer.SGD;
// the data trainer.FashionMNIST and trainer.Synthetic; see go doc
// ./trainer); any other _type is an "unknown _type" error.
//
// # space
//
// The space verbs work on a search space: a YAML or JSON file whose tree
// holds hyper-values, such as experiments/configs/space-example.yaml:
//
//	activation: !oneof [relu, gelu, tanh]
//	depth: !int {min: 1, max: 4}
//	lr: !float {min: 1.0e-4, max: 0.1, scale: log}
//
// A DNA is written in numbers form, a JSON array with one entry per active
// decision, depth first: a choice's candidate index followed by the
// decisions inside that candidate, a number's value.
//
//   - "goglove space inspect FILE" lists the decision points, each indented
//     under the choice whose candidate holds it, and the size of the space
//     (its number of programs, or "continuous"). --json prints one object,
//     {"size": …, "decision_points": [{"id", "name", "kind", "hints", …}]},
//     whose size is a JSON integer when it fits in 64 bits, else a string.
//   - "goglove space sample FILE [--n N] [--seed S]" prints N random
//     programs (default 1), the same ones for the same seed (default 0):
//     YAML documents separated by "---" lines, each preceded by a
//     "# dna: […]" comment, or with --json one {"dna": […], "program": …}
//     object a line.
//   - "goglove space enumerate FILE [--limit N]" prints every program of a
//     finite space in grid order, in the same formats; --limit stops after
//     N programs and says so on standard error. A space with a !float
//     decision cannot be enumerated (exit code 2).
//   - "goglove space decode FILE --dna '[…]'" prints the program a DNA
//     selects, as YAML or, with --json, as compact JSON on one line.
//   - "goglove space encode FILE PROGRAM_FILE" prints the DNA of a program
//     on one line; it is the inverse of decode.
//
// A malformed space, a DNA that does not fit the space and a program that
// is not in it are bad input, reported on one line naming the key path.
//
// # search
//
// "goglove search CONFIG" runs the search a YAML config describes, such as
// experiments/configs/branin-tpe.yaml:
//
//	study: branin-tpe
//	algorithm: {name: tpe}
//	objective:
//	  builtin: branin
//	  metrics: {value: minimize}
//	budget: {trials: 200}
//	seed: 0
//
// The config names the study, the space (inline as space, or space_file),
// the algorithm ({name: …, options…}: random, grid, evolution, hill_climb,
// nsga2, tpe or cmaes), the objective (a built-in by name, or an external
// command that reads each program as one line of JSON on its standard
// input and prints a JSON object of metrics as the last line of its
// output) with its metrics, each to minimize or maximize (the first
// primary), the budget (trials, completed, seconds), max_failures,
// workers, early_stopping and seed. The flags --trials, --completed,
// --max-failures, --seed and --workers replace budget.trials,
// budget.completed, max_failures, seed and workers.
//
// budget.trials counts every trial that ended, however it ended
// (completed, failed, stopped early, skipped), as Optuna's n_trials does:
// "trials: 40" runs 40 trials. budget.completed counts completed trials
// only. Running trials count toward both while they run, so that workers
// never start more; with both, the first one reached stops the search.
// max_failures stops a search with an error once more of the study's
// trials than it have failed; its default (0) is no limit with only
// budget.trials (the failures count toward it), max(100, 10 × completed)
// with budget.completed, else 100; -1 is no limit. A study at its limit
// stops every search at once: raise the limit (it counts all the
// study's failures) or delete the study.
//
// A command objective (objective.command, with objective.timeout) names
// its program relative to the config's directory when the name has a
// slash (./eval.sh), else on PATH; a program that cannot run is bad input
// at load time, and a command without a timeout is noted at start. Each
// metric it prints must be a finite number. It runs in a process group of
// its own: once it exits, on timeout and on Ctrl-C the whole group is
// ended (SIGTERM, then SIGKILL after 5s), so children it leaves in the
// background neither outlive the trial nor hold its output; on Unix a
// watchdog kills the group if goglove dies, even by kill -9. Only the
// tails of its output are kept (1 MiB of standard output, 64 KiB of
// standard error); a failed trial's reason is its exit status and the
// last lines of its standard error. Its environment is goglove's without
// the variables that may hold a database password (GOGLOVE_STORE,
// GOGLOVE_TEST_POSTGRES, PGPASSWORD), with GOGLOVE_STUDY (the study's
// name), GOGLOVE_TRIAL (the trial's number) and GOGLOVE_ATTEMPT (from 1;
// a trial taken over from a stopped worker runs with the next attempt).
//
// A command objective may report intermediate steps for early stopping:
// each line of its standard output of the form {"step": 3, "metrics":
// {"value": 2.5}} (step an integer from 0, metrics finite numbers, which
// should hold the primary metric) is recorded as the trial's step as it
// arrives and shown to early_stopping; when the policy stops the trial,
// the command's group is ended (SIGTERM, then SIGKILL after 5s) and the
// trial is early-stopped with the last step's metrics. A malformed step
// line fails the trial; the last line must still be the final metrics.
// A built-in objective that reports no steps (branin and the other
// benchmark functions) with an early_stopping policy other than none is
// refused at load time (exit 2): no trial could be stopped.
// --store names the store that keeps the study:
// sqlite://PATH (the default is sqlite://goglove.db, or $GOGLOVE_STORE),
// postgres://… (shared by workers on many machines) or mem:// (nothing
// kept), opened by package search/storeurl as every verb opens its store.
// The same command run again continues the study; trials left
// running by a killed process are taken over. Errors never repeat the
// URL (it may hold a password). --create only creates the study, for
// workers to run, keeping in it the values of --trials, --completed,
// --max-failures, --seed, --workers and the heartbeat flags (a study that
// exists refuses a flag that differs from the config it keeps), and
// prints the command that starts a worker, the URL's password replaced
// by xxxxx. A config whose objective gives metrics but neither builtin
// nor command makes a study evaluated with ask and tell only: search runs
// it only with --create, and worker refuses it (exit code 2).
//
// Hostile or careless configs are refused before anything is stored: a
// config file (and its space_file) is at most 1 MiB; workers (and
// --workers) at most 1024, budget.trials at most 100000000, max_attempts
// at most 100, the algorithms' counts (population, …) bounded; a
// heartbeat interval is at least 100ms and a timeout at least 500ms (both
// at most 24h), objective.timeout at least 100ms; a study name is
// printable UTF-8 of at most 512 bytes (search.CheckStudyName, which
// every store applies too); a built-in objective given a space is checked
// against a few of its programs (branin needs {x: [two numbers]},
// trainer.classify a trainer.Classifier).
//
// The built-in objective trainer.classify trains each trial's program, a
// trainer.Classifier, reporting its validation metrics after every epoch
// (see experiments/configs/quickstart.yaml); trainer.run runs any trainer
// program, such as a trainer.Evaluation of a trained model (see
// experiments/configs/evaluation-search.yaml). Both take trained models
// from the trained-model cache ($GOGLOVE_CACHE) when the program was
// trained before; search --no-cache and worker --no-cache turn it off.
//
// # train
//
// "goglove train PROGRAM" runs one trainer program (a YAML or JSON file,
// such as experiments/configs/fashion-mlp-program.yaml: a
// trainer.Classifier, or a trainer.Evaluation of a trained model) with a
// progress line on standard error, then prints its metrics as a table, or
// with --json as {"metrics": {...}}. A program trained before comes from
// the trained-model cache, with cached 1 (--no-cache trains again). A file that is not such a program is
// bad input (exit code 2); Ctrl-C stops training between two steps
// (exit code 1). With --save FILE the trained network is written to FILE
// as a safetensors checkpoint (trainer.NewCheckpoint: one float32 tensor
// per parameter, named like layers[0].w, and the program's canonical YAML,
// the metrics and the goglove version as metadata).
//
// # cache
//
// "goglove cache ls [--json]" lists the trained-model cache ($GOGLOVE_CACHE,
// else the user's cache directory; entries are safetensors checkpoints
// named by the hash of their program's canonical form), "cache rm KEY..."
// (a unique prefix of 6 or more hex digits) or "cache rm --all" removes
// entries, "cache prune [--max-size SIZE]" evicts the least recently used
// down to a size, and "cache dir" prints the directory.
//
// # eval
//
// "goglove eval [--json] [--data PROGRAM] MODEL" reads a checkpoint written by train --save,
// rebuilds the network from the program in its metadata, loads the saved
// parameters and evaluates the program's test set without training
// (trainer.Evaluate), printing test_accuracy and test_loss as a table or
// with --json as {"metrics": {...}}: the figures train reported, bit for
// bit. A corrupt or tampered file, or tensors that are not the program's
// parameters, is bad input (exit code 2, one line naming the file); an
// unreadable file or a dataset that cannot be loaded exits with code 1.
//
// # worker, ask, tell
//
// "goglove worker [--store URL] --study NAME [--trials N] [--workers N]
// [--heartbeat-interval D] [--heartbeat-timeout D] [--name W] [--json]"
// joins a study and evaluates its trials until its budget is met, taking
// the space, algorithm, objective and budget from the config the study
// keeps. Workers propose one at a time under the study's lock, keep
// heartbeats for their trials, and take over the trials of workers whose
// heartbeats stopped (heartbeat: {interval, timeout} and max_attempts in
// the config). "goglove ask [--store URL] --study NAME [--lease D]
// [--json]" proposes a trial for code elsewhere to evaluate (exit 3 when
// none can start), printing its number and attempt. Without --lease the
// trial is never taken over; with --lease 10m it is the asker's for 10
// minutes after the ask and after each tell --step, then taken over as a
// stopped worker's trial is (by a worker, or handed out again by the next
// ask with a lease, as attempt A+1; failed as abandoned at max_attempts).
// And "goglove tell [--store URL] --study
// NAME --trial N [--attempt A] (--metrics JSON | --fail REASON)" records
// its result; telling the same result twice is a no-op. Metrics must be
// finite numbers (null is refused) with names free of control
// characters. A trial at another attempt than --attempt is refused (exit
// 1), and so is a trial a worker runs (exit 2) unless --force is given.
// "goglove tell … --trial N --step S --metrics JSON [--json]" records an
// intermediate step of the trial and asks the study's early_stopping
// policy about it, given every trial's steps: the line printed ends with
// "stop" or "continue" (exit 0 either way), and --json prints {"study",
// "trial", "attempt", "state", "step", "should_stop": true|false}. After
// "stop", tell the last metrics with --early-stopped, which records the
// trial as early-stopped.
//
// "goglove enqueue [--store URL] --study NAME PROGRAM.yaml..." is a warm
// start: each program is encoded to DNA against the study's space (one it
// cannot produce is bad input naming the file and key path, and then
// nothing is enqueued) and added as a waiting trial, which the next
// proposal of any worker, search or ask hands out before the algorithm's
// own; the algorithm learns from its result.
//
// On a terminal, a progress line on standard error, redrawn at most ten
// times a second, shows the trials done, the failures, the best value so
// far, the rate, the elapsed time and the trials being evaluated, the
// longest running first, with how long each has run; elsewhere (nohup, a
// container, CI) that line is printed as a line of its own every 10s
// (--progress-every), so a shorter search prints none. At the end search prints a summary
// line and the best trial (its number, DNA, metrics and program as YAML)
// or, with several objectives, the Pareto front, best primary metric
// first. --json prints one object instead:
//
//	{"study": …, "objectives": [{"name": …, "direction": …}],
//	 "best": {"number": …, "dna": […], "program": {…}, "metrics": {…}},
//	 "pareto": […], "completed": n, "failed": n, "skipped": n,
//	 "early_stopped": n, "elapsed_seconds": x, "interrupted": false,
//	 "stop_reason": "…"}
//
// best is null when no trial completed; pareto is there only with several
// objectives. Failed trials (an objective command that exits non-zero,
// times out or prints no metrics) do not stop the search; a note on
// standard error gives the last one's reason. Ctrl-C stops the search,
// prints what was found and exits with code 1; so does a search that
// stops on an error (too many failed trials) or in which every trial
// failed. A config that cannot be used is bad input, reported on one line
// naming the file and the key path:
//
//	symbolic: conf.yaml: algorithm.populaton: unknown field of algorithms.RegularizedEvolution (fields: population, tournament, selector, mutator, recombinator, seed)
//
// # studies, trials, best
//
// These verbs read the studies a store keeps (--store, else
// $GOGLOVE_STORE, else sqlite://goglove.db); a SQLite file that does not
// exist is bad input rather than created. They open the store read-only:
// a SQLite file the user may only read serves (while no process has it
// open, it is read as a snapshot, leaving no -shm or -wal file), as does
// a PostgreSQL role that may only SELECT; nothing is migrated,
// so a store of an older schema is bad input until a verb that writes
// (search, worker, ask) has opened it once.
//
//   - "goglove studies --store URL [--json]" prints one line per study: its
//     name, objectives, number of trials by state and creation time; --json
//     prints one object a line with the keys name, objectives, created,
//     trials, running, completed, failed, skipped, early_stopped and
//     waiting.
//   - "goglove trials --store URL --study NAME [--state S] [--json|--csv]"
//     prints a table of the study's trials; --state keeps one state
//     (running, completed, failed, skipped, early_stopped, waiting). --json prints
//     one object a line with the keys number, state, dna, dna_text,
//     program, metrics, steps, attempt, worker, error, created, finished
//     and heartbeat; --csv prints a header row, then number, state, dna_text,
//     attempt, worker, error and one column per metric name, sorted.
//   - "goglove best --store URL --study NAME [--json]" prints the best
//     trial (number, DNA, metrics, program as YAML) or, with several
//     objectives, the Pareto front; --json prints one object with the keys
//     study, objectives, best, pareto (several objectives only), completed,
//     failed, skipped and early_stopped. --program prints the best
//     trial's program alone (YAML, or JSON with --json), which goglove
//     train takes as it is: goglove best --study S --program > best.yaml.
//
// Text output prints metrics as figures: integral values
// (params, size_bits) in full, others with seven significant digits and
// no exponent from 1e-4 to 1e15; JSON keeps the numbers as they are.
//
// A missing --study, an unknown study or state are bad input (exit code
// 2). Stored text (failure reasons from a command's standard error,
// names) is printed with its control characters escaped (\x1b, \u202e),
// in the tables, CSV, JSON and error lines alike, so that nothing a trial
// recorded can send escape sequences to the terminal.
//
// Three verbs change what a store keeps:
//
//   - "goglove studies rm [--store URL] [--yes] [--force] STUDY" deletes a
//     study with its config and trials. On a terminal it asks (y/N);
//     without one it needs --yes (else exit code 2). It refuses (exit code
//     1) while workers run the study, that is while it has running trials
//     whose heartbeats are younger than the study's heartbeat timeout,
//     unless --force is given.
//   - "goglove studies rename [--store URL] [--force] STUDY NEW" renames a
//     study, refusing as rm does while workers run it.
//   - "goglove studies copy [--store URL] STUDY NEW" copies a study with
//     its trials as they are.
//
// A NEW name that is taken, or an unknown STUDY, is bad input. Studies
// nested in a study's trials (STUDY/trial-N/…) are studies of their own.
//
// # bench
//
// The bench verbs measure goglove on the machine they run on; the figures
// and how they were obtained are in docs/benchmarks.md. The measuring is
// package experiments/searchbench's (blackbox, overhead, store) and
// trainer/bench's (train); the verbs check their flags, round the figures
// (internal/stats) and print them.
//
//   - "goglove bench blackbox --problem P --algo A [--trials 200]
//     [--seeds 10] [--json]" runs algorithm A (or all that apply) on problem
//     P (branin, hartmann6, rosenbrock10, ackley10, ackley10asym, or all),
//     one search of --trials trials per seed, and prints the median over
//     the seeds of the regret after 25%, 50% and 100% of the trials and the
//     median overhead in µs per trial (the time outside the function);
//     --json prints one object a line with the keys problem, algo, trials,
//     seeds, median_regret (keyed by trial count) and us_per_trial.
//   - "goglove bench overhead [--trials 20000] [--reps 5] [--json]" prints
//     the µs per trial of the search loop on a 10-decision space with a
//     constant objective, for random search and regularized evolution, and
//     the time to decode one DNA; --json keys random_us_per_trial,
//     evolution_us_per_trial, random_run_us_per_trial,
//     evolution_run_us_per_trial, decode_us, trials and reps.
//
// # Exit codes
//
//	0  success
//	1  failure: an I/O error, an interrupt (SIGINT, SIGTERM), an internal error,
//	   a search that stopped on an error or in which every trial failed
//	2  bad input: a usage error, a missing file, a file that does not decode,
//	   a malformed space, a DNA or program that does not fit the space, a
//	   search config that cannot be used
//	3  ask: no trial can start (the budget is spent or taken, the algorithm
//	   is done)
//
// When one run meets several errors (fmt goes on with the other files after
// a bad one), the exit code is 2 if any of them is bad input.
//
// # Errors
//
// Each error is printed as one line on standard error, prefixed "goglove: "
// unless it already starts with the name of a goglove package, as errors
// from packages symbolic and space do:
//
//	symbolic: conf.yaml:3:5: model._type: unknown _type "trainer.Transformer" (registered: trainer.AdamW, …)
//	space: DNA for depth: value 9 out of bounds [1, 4]
//
// Notes about the output (enumerate --limit, the failed trials of a
// search, the algorithms bench blackbox skips) are printed the same way, as
// "goglove: note: …" lines.
//
// A panic is reported as one "goglove: internal error: …" line with exit
// code 1, never as a stack trace.
package main
