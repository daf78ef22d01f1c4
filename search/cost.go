package search

// Thresholds of Expensive.
const (
	expensiveWindow = 1000 // page × per_page
	expensiveTerms  = 64   // terms before prefix expansion
)

// Expensive reports whether q is costly to answer, before running it: it
// browses every passage with no filter (sorting and counting facets over
// the whole index), asks for a deep page (page × per_page over 1,000) or
// for many terms. (A prefix is not: it stands for at most 50 terms.) A query that does not
// parse is not expensive: it is refused at once. The web layer gives
// expensive searches at most a quarter of the search slots, so that a flood
// of them cannot starve the others (RELIABILITY.md E3).
func (e *Engine) Expensive(q Query) bool {
	p, err := e.prepare(q)
	if err != nil {
		return false
	}
	if p.page*p.perPage > expensiveWindow {
		return true
	}
	if p.browse {
		return len(p.filters) == 0 && q.YearFrom == 0 && q.YearTo == 0
	}
	return p.expr.terms > expensiveTerms
}

// Expensive reports whether q is costly to answer on this index (see
// Engine.Expensive).
func (ix *Index) Expensive(q Query) bool { return ix.eng.Expensive(q) }

// Expensive reports whether q is costly to answer on the served generation
// (see Engine.Expensive); false when nothing is served.
func (l *Live) Expensive(q Query) bool {
	h, err := l.acquire()
	if err != nil {
		return false
	}
	defer h.refs.Done()
	return h.ix.eng.Expensive(q)
}
