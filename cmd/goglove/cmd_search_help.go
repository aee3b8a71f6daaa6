package main

// searchLong is the help of "goglove search": the config, the objective,
// budgets, bounds, seeds, stores and output, in that order.
const searchLong = `Search runs the search described by the YAML config CONFIG and prints the
best trial it found, or the Pareto front when the config has several
objectives:

    study: branin-tpe                        # the study's name
    algorithm: {name: tpe}                   # random (default), grid, evolution,
                                             # hill_climb, nsga2, tpe, cmaes
    objective:
      builtin: branin                        # or command: [python3, eval.py]
      metrics: {value: minimize}             # the first metric is primary
    budget: {trials: 200, completed: 0, seconds: 0}   # 0: no limit
    max_failures: 0                          # 0: the default, -1: no limit
    workers: 1
    seed: 0

The space is given inline (space: {...}, with !oneof, !float... tags) or
in a file (space_file: space.yaml, relative to the config); a built-in
objective (branin, hartmann6, rosenbrock10, ackley10, ackley10asym) has a
space of its own. The built-in objective trainer.classify trains each
program, a trainer.Classifier (see experiments/configs/quickstart.yaml),
and reports val_accuracy (its primary metric), test_accuracy, the losses,
params, size_bits and train_seconds. Without objective.metrics, a
built-in's primary metric is optimized.

A command objective gets each program as one line of JSON on its standard input and prints a JSON object of metrics, such as
{"value": 1.5}, as the last line of its standard output (finite numbers:
null fails); a non-zero exit, a timeout (objective.timeout, e.g. 60s) or
other output fails the trial, with the exit status and the last lines of
the command's standard error as the reason, and the search goes on. A
command with a slash (./eval.sh) is relative to the config's directory, a
bare name (python3) is looked up on PATH; one that cannot run is bad
input. The command runs in a process group of its own: when it exits, on
timeout and on Ctrl-C the whole group (its children too) is ended,
SIGTERM then SIGKILL 5s later, and if goglove dies, even by kill -9, the
group is killed. It inherits the environment without GOGLOVE_STORE,
GOGLOVE_TEST_POSTGRES and PGPASSWORD, with GOGLOVE_STUDY, GOGLOVE_TRIAL
and GOGLOVE_ATTEMPT set. early_stopping is {name: median} or {name: asha}.
A command reports intermediate steps by printing lines such as
{"step": 3, "metrics": {"value": 2.5}} as it runs: each is recorded and
shown to early_stopping, and a trial the policy stops has its command
ended (SIGTERM, then SIGKILL 5s later) and is early-stopped with its last
step's metrics. A builtin that reports no steps (branin…) combined with
early_stopping is bad input.

constraints: {latency_us: {max: 500}} (or min:) bounds a metric: a trial
that completes outside a bound is infeasible, recorded as skipped with
its metrics and the bound it broke, never the best. An objective may be
a search of its own, run for each trial: objective.search is an inner
config (its study named under the trial, OUTER/trial-N/STUDY), in which
!outer KEYPATH stands for the value at KEYPATH of the trial's program,
resolved when its inner search starts and checked against programs of
the outer space when the config is loaded; the trial's metrics are its
inner winner's (objective.reduce: best, the default, or mean or median
over the inner trials), with inner_trial naming it, and objective.seeds:
[1, 2, 3] runs the inner search once per seed, averaging. Each level has
its own budget, failure limit and early stopping; goglove best shows the
inner winners (experiments/configs/hardware-nas.yaml). An outer trial
lives as long as its inner search, so every stop of its worker is one of
its attempts: raise max_attempts for long inner searches (a trial at its
last attempt fails as abandoned, its inner study kept as it was).

budget.trials counts every trial that ended, however it ended:
completed, failed, stopped early or skipped (as Optuna's n_trials), so
"trials: 40" runs 40 trials. budget.completed counts only completed
trials: failures and early stops are not charged to it, so the search
runs until that many trials have measured the objective fully. Trials
running count toward both while they run, so workers never start more.
With both, the search stops at the first one reached; budget.seconds
stops starting trials after that wall time. max_failures guards the
budgets failures do not spend: once more of the study's trials than it
have failed, the search stops with an error (exit code 1). Its default
(0) is no limit when the budget is trials alone (the failures count
toward it), max(100, 10 × completed) with budget.completed, else 100;
-1 is no limit. A study at its failure limit stops every search at once:
after fixing what failed, raise the limit (--max-failures N, counting
all the study's failures, or -1), or delete the study (goglove studies
rm).

--trials, --completed, --max-failures, --seed and --workers replace
budget.trials, budget.completed, max_failures, seed and workers.
Counts and durations have bounds: workers (and --workers) at most 1024,
budget.trials and budget.completed at most 100000000, max_attempts at
most 100, a heartbeat interval of at least 100ms and a timeout of at
least 500ms (both at most 24h), objective.timeout at least 100ms; a
config file (and its space_file) is at most 1 MiB.

The seed gives every trial number a random stream of its own: workers
sharing a study never propose alike, random and grid search give trial n
the same program however many workers run, and one trial at a time
(workers: 1, one process) reproduces a study exactly.

--store names where the study is kept: sqlite://PATH (the default is
sqlite://goglove.db in the working directory, or $GOGLOVE_STORE), a
PostgreSQL database (postgres://user@host/db, shared by workers on many
machines), or mem:// (nothing kept). Running the same command again
continues the study: the algorithm is rebuilt from the stored history and
the budget counts its trials so far; trials left running by a process
that was killed are taken over. A study of that name with another space
or objective is refused, naming the difference. --create only creates
the study, for "goglove worker" processes to run: the study keeps the
config with the values of --trials, --completed, --max-failures, --seed,
--workers and the heartbeat flags, which its workers then use (on a study
that exists, a flag that differs from the config it keeps is refused). A
config whose objective gives metrics but neither builtin nor command is
for --create alone: its trials are evaluated with goglove ask and goglove
tell. heartbeat: {interval, timeout} and max_attempts in the config (or --heartbeat-interval and
--heartbeat-timeout) set how trials of stopped workers are taken over.

On a terminal, a progress line on standard error shows the trials done,
the failures, the best value so far, the rate, the elapsed time and the
trials being evaluated with how long each has run. Elsewhere (nohup, a
container, CI) the same line is printed as a line of its own every 10s
(--progress-every; 0: never), so a search shorter than that prints
none. Ctrl-C stops the search: the trials running are left to be taken over when the
search runs again, what was found is printed, and the exit code is 1.

The text output is a summary line, then the best trial (its number, DNA in
numbers form, metrics and program as YAML) or every trial of the Pareto
front. With --json it is one object:

    {"study": ..., "objectives": [{"name": ..., "direction": ...}],
     "best": {"number": ..., "dna": [...], "program": {...}, "metrics": {...}},
     "pareto": [...], "completed": n, "failed": n, "skipped": n,
     "early_stopped": n, "elapsed_seconds": x, "interrupted": false,
     "stop_reason": "..."}

best is null when no trial completed; pareto (a list of trials of the
same shape as best, the best on the first metric first) is there only
for several objectives. The text output lists the Pareto front in the
same order.

A config that cannot be used (an unknown algorithm or option, a bad
objective, no space) is bad input: one line naming the file and the key
path, exit code 2. A search that stops on an error (too many failed
trials) or in which every trial failed exits with code 1.`
