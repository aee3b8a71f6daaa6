package search

import (
	"strconv"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
)

// Overrides replace values of a config, as the command line's flags do
// (goglove search --trials …). A nil field, or a zero duration, keeps the
// config's value.
type Overrides struct {
	Trials, Completed, MaxFailures, Workers *int
	Seed                                    *int64
	HeartbeatInterval, HeartbeatTimeout     time.Duration
}

// Override applies o to the config and to its tree (Tree), the config the
// study keeps, so that the workers that join the study later (goglove
// worker, ask) run with the values given rather than the file's. The
// values are checked as the file's own are: errors name filename and the
// key path.
func (c *Config) Override(filename string, o Overrides) error {
	set := func(section, key string, v symbolic.Value) {
		d, ok := c.tree.(*symbolic.Dict)
		if !ok {
			return
		}
		if section == "" {
			d.Set(key, v)
			return
		}
		var sub *symbolic.Dict
		if s, found := d.Get(section); found {
			sub, _ = s.(*symbolic.Dict)
		}
		if sub == nil {
			sub = symbolic.NewDict(1)
			d.Set(section, sub)
		}
		sub.Set(key, v)
	}
	if o.Trials != nil {
		c.Budget.Trials = *o.Trials
		set("budget", "trials", symbolic.Int(*o.Trials))
	}
	if o.Completed != nil {
		c.Budget.Completed = *o.Completed
		set("budget", "completed", symbolic.Int(*o.Completed))
	}
	if o.MaxFailures != nil {
		c.MaxFailures = *o.MaxFailures
		set("", "max_failures", symbolic.Int(*o.MaxFailures))
	}
	if o.Workers != nil {
		c.Workers = *o.Workers
		set("", "workers", symbolic.Int(*o.Workers))
	}
	if o.Seed != nil {
		c.Seed = *o.Seed
		set("", "seed", symbolic.Int(*o.Seed))
	}
	if o.HeartbeatInterval > 0 {
		c.Heartbeat.Interval = o.HeartbeatInterval.String()
		set("heartbeat", "interval", symbolic.String(c.Heartbeat.Interval))
	}
	if o.HeartbeatTimeout > 0 {
		c.Heartbeat.Timeout = o.HeartbeatTimeout.String()
		set("heartbeat", "timeout", symbolic.String(c.Heartbeat.Timeout))
	}
	if err := c.checkBounds(filename); err != nil {
		return err
	}
	if c.Workers < 1 || c.Workers > MaxWorkers {
		return rangeError(filename, "workers", "want 1 to "+strconv.Itoa(MaxWorkers))
	}
	if c.Seed < 0 {
		return rangeError(filename, "seed", "want 0 or more")
	}
	if c.MaxFailures < -1 {
		return rangeError(filename, "max_failures", "want -1 (no limit), 0 (the default) or more")
	}
	if iv, to := c.HeartbeatInterval(), c.HeartbeatTimeout(); iv > 0 && to > 0 && to <= iv {
		return cfgError(filename, "heartbeat.timeout", to.String()+" is not longer than the interval "+iv.String()+"; make it several intervals")
	}
	return nil
}
