package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/c2602f9e/goglove/search"
)

// A worker runs the objective command kept in the study's config, so
// whoever can write the study's store can run code on every worker's
// machine. A worker therefore says, when it starts, what it will run,
// and --expect-command lets an operator pin it: the worker refuses a
// study whose command is not the expected one.

// objectiveDescription says what a study's config evaluates: the
// command, quoted as a shell would need it, and its fingerprint (the
// SHA-256 of the command's words as a JSON array), or the built-in
// objective's name with an empty fingerprint.
func objectiveDescription(cfg *search.Config) (text, fingerprint string) {
	if cfg.Objective.Builtin != "" {
		return "the built-in objective " + cfg.Objective.Builtin, ""
	}
	return shellWords(cfg.Objective.Command), commandFingerprint(cfg.Objective.Command)
}

// commandFingerprint is "sha256:" and the hex SHA-256 of argv as a JSON
// array of strings.
func commandFingerprint(argv []string) string {
	b, _ := json.Marshal(argv) // a []string always marshals
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// shellWords joins argv with spaces, quoting each word that a POSIX
// shell would not read as itself, and escaping control characters so
// that a hostile config cannot write to the terminal.
func shellWords(argv []string) string {
	words := make([]string, len(argv))
	for i, w := range argv {
		if w != "" && strings.IndexFunc(w, func(r rune) bool {
			return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '=' || r == ':' || r == ',' || r == '+' || r == '@' || r == '%' ||
				'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
		}) < 0 {
			words[i] = w
			continue
		}
		if strings.IndexFunc(w, func(r rune) bool { return r < ' ' || r == 0x7f || r == '\'' }) < 0 {
			words[i] = "'" + w + "'"
			continue
		}
		words[i] = strconv.Quote(w)
	}
	return strings.Join(words, " ")
}

// checkExpectedCommand compares the study's objective with what the
// operator expects: the command as shellWords prints it, or its
// fingerprint. An empty expect accepts anything.
func checkExpectedCommand(cfg *search.Config, study, expect string) error {
	if expect == "" {
		return nil
	}
	text, fp := objectiveDescription(cfg)
	if fp == "" {
		return usageErrorf("worker: study %q runs %s, not a command; --expect-command refuses it", study, text)
	}
	if expect == fp || expect == text {
		return nil
	}
	return usageErrorf("worker: study %q runs the command %s (%s), not the expected %s; refusing to run it",
		study, text, fp, strconv.Quote(expect))
}
