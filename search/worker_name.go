package search

import (
	"os"
	"strconv"
	"sync"
)

// defaultWorkerName names this process "host:pid"; deadLocal relies on
// the form to find workers of this host that have stopped.
func defaultWorkerName() string {
	return hostName() + ":" + strconv.Itoa(os.Getpid())
}

var hostName = sync.OnceValue(func() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "localhost"
	}
	return h
})

// WorkerName returns the name a worker gets when Options.Worker is "":
// "host:pid".
func WorkerName() string { return defaultWorkerName() }
