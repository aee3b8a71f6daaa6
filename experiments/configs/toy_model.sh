#!/bin/sh
# A toy stand-in for training a model: the command objective of the example
# configs toy-model-tpe.yaml and toy-model-nsga2.yaml. Plain POSIX sh and
# awk, so that it starts in milliseconds.
#
# goglove writes one program (a child of the search space) as one line of
# JSON on standard input, such as
#
#   {"model":{"width":128,"depth":2,"activation":"gelu"},"optimizer":{"name":"adamw","lr":0.0011},"dropout":0.12}
#
# and reads the metrics from the last line of standard output:
#
#   {"loss": 0.339012, "latency_ms": 1.224}
#
# A non-zero exit fails the trial, with the last line of standard error as
# the reason.
#
# The loss is a made-up smooth function of the choices: each optimizer has
# a best learning rate of its own, bigger models fit better, gelu helps a
# little, a dropout near 0.1 is best, and SGD wants momentum. The latency
# grows with the model, so loss and latency pull in opposite directions.
exec awk '
function fail(msg) {
	print "toy_model: " msg | "cat 1>&2"
	exit 1
}
function field(key, pattern,   s) {
	if (!match($0, "\"" key "\": *" pattern))
		fail("the program has no " key)
	s = substr($0, RSTART, RLENGTH)
	sub(/^"[^"]*": *"?/, "", s)
	sub(/"$/, "", s)
	return s
}
function num(key) { return field(key, "-?[0-9][0-9.eE+-]*") + 0 }
function str(key) { return field(key, "\"[^\"]*\"") }
function log10(x) { return log(x) / log(10) }
NR == 1 {
	width = num("width"); depth = num("depth"); act = str("activation")
	opt = str("name"); lr = num("lr"); dropout = num("dropout")
	if (opt == "sgd") best = 0.1
	else if (opt == "adamw") best = 0.001
	else if (opt == "rmsprop") best = 0.003
	else fail("unknown optimizer " opt)
	if (lr <= 0) fail("lr must be positive, got " lr)
	loss = 0.25 + 0.08 * log10(lr / best) ^ 2
	loss += (act == "gelu") ? 0 : (act == "relu") ? 0.02 : 0.05
	loss += 0.3 / sqrt(width * depth / 32)
	loss += 0.5 * (dropout - 0.1) ^ 2
	if (opt == "sgd") loss += 0.04 * (1 - num("momentum"))
	printf "{\"loss\": %.6f, \"latency_ms\": %.3f}\n", loss, 0.2 + 0.004 * width * depth
	exit 0
}
'
