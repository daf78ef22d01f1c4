package web

import (
	"fmt"
	"strings"

	"github.com/inlsearch/inlsearch/search"
)

// How the HTML page shows relaxed matching (search/relax.go): the API and
// the exports pass Result.Relaxed, Result.ExactTotal and Hit.Partial on
// as they are (api.go, export.go).

// matchView tells how the hits relate to the words of the query: the
// notice of a relaxed search and the links between match modes.
type matchView struct {
	// Relaxed is the notice of a relaxed search that found passages
	// lacking one word; empty otherwise.
	Relaxed string
	// StrictURL is the same search with match=all (set with Relaxed).
	StrictURL string
	// RelaxURL, on a match=all page with few hits, is the same search
	// allowed to relax.
	RelaxURL string
}

// matchViewOf offers, on a relaxed search, the same search with every word
// required, and on a strict one that found few passages, the way back. The
// search package only relaxes a relevance-sorted query of several words;
// whether the words of q form one is a guess here (a phrase of two words
// may be one word): the link back then gives the same hits.
func matchViewOf(q search.Query, st state, res *search.Result) matchView {
	var m matchView
	if res.Relaxed && res.Total > res.ExactTotal {
		m.Relaxed = relaxNotice(res.ExactTotal, res.Total-res.ExactTotal)
		m.StrictURL = st.withMatch(search.MatchAll).href("/search")
	}
	relevance := q.Sort == "" || q.Sort == search.SortRelevance
	if q.Match == search.MatchAll && relevance && res.Total < search.RelaxBelow && len(strings.Fields(q.Q)) > 1 {
		m.RelaxURL = st.withMatch(search.MatchAuto).href("/search")
	}
	return m
}

// relaxNotice says in plain words how many passages hold every word and how
// many, below them, lack one.
func relaxNotice(exact, partial int) string {
	others := passages(partial) + " that contain all but one."
	if partial == 1 {
		others = "1 passage that contains all but one."
	}
	switch exact {
	case 0:
		return "No passage contains all of your words; showing passages that contain all but one of them."
	case 1:
		return "Only 1 passage contains all of your words; below it, " + others
	default:
		return fmt.Sprintf("Only %d passages contain all of your words; below them, %s", exact, others)
	}
}

func passages(n int) string {
	if n == 1 {
		return "1 passage"
	}
	return fmt.Sprintf("%d passages", n)
}
