package search

import (
	"strconv"
)

// Relaxed matching. A query of several words asks for passages holding all
// of them; when fewer than RelaxBelow passages do, and the query is plain
// words (each possibly a phrase, an OR group or a prefix, with any NOT
// words and field:value filters kept as they are), the search is run again
// asking for all words but one, the way Meilisearch drops words before it
// answers with nothing. Passages that hold every word still come first
// (their score carries exactBonus) and keep their order; the others are
// marked Partial, and the Result says how many held every word.
//
// Query.Match = MatchAll turns this off.

// RelaxBelow is the number of passages holding every word under which a
// search relaxes to all words but one.
const RelaxBelow = 10

// Match modes of Query.Match.
const (
	MatchAuto = "auto" // all words; all but one when fewer than RelaxBelow passages hold them all
	MatchAll  = "all"  // every word, always
)

// exactBonus is added to the score of a passage that holds every word of a
// relaxed query: BM25 scores of a query stay far below it, so those passages
// rank first, in the order they had in the strict search.
const exactBonus = 1e6

// atLeastNode matches passages holding at least min of its kids; with
// exact set, one holding them all scores exactBonus more.
type atLeastNode struct {
	kids  []node
	min   int
	exact bool
}

func (n *atLeastNode) String() string {
	return "(atleast " + strconv.Itoa(n.min) + " " + joinNodes(n.kids) + ")"
}

// relaxed returns the query with one word fewer required, or nil when the
// query cannot be relaxed: it is not an AND of at least two words (NOT
// words and field:value filters do not count and stay required).
func (e *Expr) relaxed() *Expr {
	if e == nil {
		return nil
	}
	and, ok := e.root.(*andNode)
	if !ok {
		return nil
	}
	var keep, optional []node
	for _, k := range and.kids {
		switch k.(type) {
		case *notNode, *filterNode:
			keep = append(keep, k)
		default:
			optional = append(optional, k)
		}
	}
	if len(optional) < 2 {
		return nil
	}
	al := &atLeastNode{kids: optional, min: len(optional) - 1, exact: true}
	var root node = al
	if len(keep) > 0 {
		root = &andNode{kids: append(keep, al)}
	}
	return &Expr{root: root, bonus: e.bonus, terms: e.terms}
}

// relaxed returns the plan of the relaxed search when a search of p that
// found exact passages should be relaxed, else nil: relevance order only
// (a date order would mix the passages holding every word with the others).
func (p *Plan) relaxed(exact int) *Plan {
	if exact >= RelaxBelow || p.q.Match == MatchAll || p.sortKeys != nil || p.browseSort {
		return nil
	}
	re := p.expr.relaxed()
	if re == nil {
		return nil
	}
	rp := *p
	rp.expr = re
	return &rp
}

// relax runs p, and when fewer than RelaxBelow passages hold every word
// (run reports how many matched), its relaxed plan instead: the one rule of
// relaxation for searches and exports alike. drop, when not nil, lets go of
// the strict run's outcome when it is replaced. exact is the strict run's
// count.
func relax[R any](p *Plan, run func(*Plan) (R, int, error), drop func(R)) (out R, exact int, relaxed bool, err error) {
	if out, exact, err = run(p); err != nil {
		return out, 0, false, err
	}
	rp := p.relaxed(exact)
	if rp == nil {
		return out, exact, false, nil
	}
	if drop != nil {
		drop(out)
	}
	out, _, err = run(rp)
	return out, exact, err == nil, err
}

// markRelaxed takes exactBonus off the scores of a relaxed search's hits,
// marks the others Partial and sets the Result's relaxation fields.
func markRelaxed(res *Result, exactTotal int) {
	res.Relaxed, res.ExactTotal = true, exactTotal
	for i := range res.Hits {
		unbonus(&res.Hits[i])
	}
}

func unbonus(h *Hit) {
	if h.Score >= exactBonus/2 {
		h.Score -= exactBonus
	} else {
		h.Partial = true
	}
}
