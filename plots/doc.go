// Package plots draws what a study found: the data of each kind of plot
// computed from a study's trials as plain values (a Chart), and the
// rendering of any Chart to SVG or PNG with gonum.org/v1/plot.
//
// The kinds (Kinds, Build): history (each trial's objective and the best
// so far), intermediate (the steps every trial reported, early-stopped
// trials marked), parallel (parallel coordinates of the decisions and the
// objective), pareto (two objectives, the front highlighted), slice (the
// objective against each decision), importance (how much each decision
// matters, PED-ANOVA style, conditional decisions included), edf (the
// empirical distribution of the objective) and timeline (the trials of
// each worker over time).
//
// A Chart is data: panels of named series of points, with their axes.
// Golden tests compare Charts, not image bytes. Other code (an
// experiment's plots) builds its own with Lines and Scatter and renders
// them with Save or Render; Markdown reports of a study come from
// WriteReport.
//
// The package imports search, space and symbolic (the records it reads)
// and gonum's plotting modules; nothing in goglove below it imports it.
package plots
