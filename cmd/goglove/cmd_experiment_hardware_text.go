package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/c2602f9e/goglove/experiments"
)

// hardwareText formats the result of the hardware experiment: the front
// as a table, by latency, then the counts of trials.
func hardwareText(res *experiments.HardwareResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Pareto front of %s: validation accuracy (maximize) against latency per example (minimize), %s\n",
		terminalText(res.Study), plural(len(res.Front), "deployment"))
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KERNEL\tTHREADS\tBATCH\tBUDGET µs\tLATENCY µs\tVAL ACC\tTEST ACC\tARCHITECTURE\tWINNER")
	for _, p := range res.Front {
		budgets := make([]string, len(p.LatencyBudgetsUS))
		for i, b := range p.LatencyBudgetsUS {
			budgets[i] = strconv.FormatFloat(b, 'g', -1, 64)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%.3f\t%.2f%%\t%.2f%%\t%s\t%s trial %d\n", p.Kernel, p.Threads, p.Batch,
			strings.Join(budgets, ", "), p.LatencyUS, 100*p.ValAccuracy, 100*p.TestAccuracy,
			architectureText(p.Architecture), terminalText(p.InnerStudy), p.InnerTrial)
	}
	tw.Flush()
	fmt.Fprintf(&b, "%s (%d without a feasible architecture), %s (%d infeasible: over their budget)\n",
		plural(res.OuterTrials, "outer trial"), res.Failed, plural(res.InnerTrials, "inner trial"), res.Infeasible)
	return b.String()
}

// architectureText formats an architecture as "256-128 relu layernorm".
func architectureText(a map[string]any) string {
	var parts []string
	if h, ok := a["hidden"].([]any); ok {
		widths := make([]string, len(h))
		for i, w := range h {
			widths[i] = fmt.Sprint(w)
		}
		parts = append(parts, strings.Join(widths, "-"))
	}
	if act, ok := a["activation"].(string); ok {
		parts = append(parts, act)
	}
	if ln, ok := a["layernorm"].(bool); ok && ln {
		parts = append(parts, "layernorm")
	}
	var rest []string
	for k := range a {
		if k != "hidden" && k != "activation" && k != "layernorm" {
			rest = append(rest, fmt.Sprintf("%s=%v", k, a[k]))
		}
	}
	sort.Strings(rest)
	return terminalText(strings.Join(append(parts, rest...), " "))
}
