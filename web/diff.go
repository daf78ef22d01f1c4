package web

import "strings"

// A word-level diff of a changed passage, for the changes page: the words
// of the old text and the new, each run marked kept, deleted or inserted.

// diffOp is one run of words of a diff.
type diffOp struct {
	Kind string // "same", "del" or "ins"
	Text string
}

// maxDiffCells bounds the LCS table; longer texts are shown as one
// deletion and one insertion around their common ends.
const maxDiffCells = 4_000_000

// diffWords diffs old and new word by word (whitespace kept with the word
// before it) by longest common subsequence, after trimming common ends.
func diffWords(old, new string) []diffOp {
	a, b := splitWords(old), splitWords(new)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []diffOp
	add := func(kind, text string) {
		if text == "" {
			return
		}
		if n := len(ops); n > 0 && ops[n-1].Kind == kind {
			ops[n-1].Text += text
			return
		}
		ops = append(ops, diffOp{kind, text})
	}
	add("same", strings.Join(a[:pre], ""))
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)*len(mb) > maxDiffCells {
		add("del", strings.Join(ma, ""))
		add("ins", strings.Join(mb, ""))
	} else {
		// lcs[i][j]: the LCS length of ma[i:] and mb[j:].
		lcs := make([][]int32, len(ma)+1)
		for i := range lcs {
			lcs[i] = make([]int32, len(mb)+1)
		}
		for i := len(ma) - 1; i >= 0; i-- {
			for j := len(mb) - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(ma) || j < len(mb) {
			switch {
			case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
				add("same", ma[i])
				i, j = i+1, j+1
			case i < len(ma) && (j == len(mb) || lcs[i+1][j] >= lcs[i][j+1]):
				add("del", ma[i]) // deletions before insertions
				i++
			default:
				add("ins", mb[j])
				j++
			}
		}
	}
	add("same", strings.Join(a[len(a)-suf:], ""))
	return ops
}

// splitWords cuts s into words, each with the whitespace after it.
func splitWords(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		space := r == ' ' || r == '\n' || r == '\t' || r == '\r'
		if !space && inSpace {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = space
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
