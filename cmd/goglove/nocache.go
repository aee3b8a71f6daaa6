package main

import (
	"os"

	"github.com/c2602f9e/goglove/trainer/cache"
)

// noCacheFlagHelp is the help of search's and worker's --no-cache.
const noCacheFlagHelp = "train every trial's program even if it was trained before, and store nothing (the trained-model cache of trainer.classify and trainer.run; same as GOGLOVE_CACHE=off, which command objectives inherit)"

// disableModelCache turns the trained-model cache off for the rest of the
// process and for the processes it starts (command objectives that run
// goglove train), by setting GOGLOVE_CACHE=off: the built-in objectives
// read it for each trial.
func disableModelCache() { os.Setenv(cache.EnvDir, "off") }
