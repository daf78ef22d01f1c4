package search

// expand applies the thesaurus: a word, a run of adjacent plain words or a
// quoted phrase that equals an entry of a synonym group also matches the
// group's other entries. Runs are matched greedily, longest first.
func expand(n node, th *thesaurus) node {
	if th == nil || (len(th.byKey) == 0 && len(th.tags) == 0) || n == nil {
		return n
	}
	switch n := n.(type) {
	case *andNode:
		return simplify(&andNode{kids: expandRun(n.kids, th)})
	case *orNode:
		kids := make([]node, len(n.kids))
		for i, k := range n.kids {
			kids[i] = expand(k, th)
		}
		return &orNode{kids: kids}
	case *notNode:
		return &notNode{kid: expand(n.kid, th)}
	case *termNode:
		return expandTerm(n, th)
	}
	return n
}

// expandTerm adds the synonyms of a single word or phrase, and the facet
// values a plain word names.
func expandTerm(t *termNode, th *thesaurus) node {
	if len(t.alts) != 1 {
		return t
	}
	var tags []tagValue
	if t.bare {
		tags = th.tagsOf(t.alts[0])
	}
	group, ok := th.lookup(t.alts[0])
	if !ok && len(tags) == 0 {
		return t
	}
	alts := []phrase{t.alts[0]}
	own := t.alts[0].key()
	for _, p := range group {
		if p.key() != own {
			alts = append(alts, p)
		}
	}
	return &termNode{fields: t.fields, alts: alts, raw: t.raw, tags: tags, tagRef: t.alts[0]}
}

// expandRun replaces runs of plain words that form a synonym entry.
func expandRun(kids []node, th *thesaurus) []node {
	var out []node
	for i := 0; i < len(kids); {
		if j, group := longestSpan(kids, i, th); j > i+1 {
			words := kids[i:j]
			span := spanPhrase(words)
			first := words[0].(*termNode)
			syn := &termNode{fields: first.fields, tags: th.tagsOf(span), tagRef: span}
			for _, p := range group {
				if p.key() != span.key() {
					syn.alts = append(syn.alts, p)
				}
			}
			and := &andNode{kids: append([]node(nil), words...)}
			if len(syn.alts) == 0 && len(syn.tags) == 0 {
				out = append(out, and)
			} else {
				out = append(out, &orNode{kids: []node{and, syn}})
			}
			i = j
			continue
		}
		out = append(out, expand(kids[i], th))
		i++
	}
	return out
}

// longestSpan finds the longest run kids[i:j] (j > i+1) of plain words whose
// terms equal a synonym entry or name a facet value; group is nil for a
// run that only names a facet value.
func longestSpan(kids []node, i int, th *thesaurus) (int, []phrase) {
	end := i
	terms := 0
	for end < len(kids) {
		t, ok := kids[end].(*termNode)
		if !ok || !t.bare || len(t.alts) != 1 {
			break
		}
		terms += t.alts[0].size()
		if terms > th.maxLen {
			break
		}
		end++
	}
	for j := end; j > i+1; j-- {
		span := spanPhrase(kids[i:j])
		if group, ok := th.lookup(span); ok || len(th.tagsOf(span)) > 0 {
			return j, group
		}
	}
	return i, nil
}

func spanPhrase(words []node) phrase {
	ps := make([]phrase, len(words))
	for k, w := range words {
		ps[k] = w.(*termNode).alts[0]
	}
	return concat(ps...)
}

// countTerms counts the term lookups a node costs, one per term and field;
// prefixes are counted when they are expanded against the index.
func countTerms(n node) int {
	switch n := n.(type) {
	case *andNode:
		s := 0
		for _, k := range n.kids {
			s += countTerms(k)
		}
		return s
	case *orNode:
		s := 0
		for _, k := range n.kids {
			s += countTerms(k)
		}
		return s
	case *notNode:
		return countTerms(n.kid)
	case *atLeastNode:
		s := 0
		for _, k := range n.kids {
			s += countTerms(k)
		}
		return s
	case *termNode:
		s := 0
		for _, a := range n.alts {
			s += a.size()
		}
		return s*len(n.fields) + len(n.tags)
	case *filterNode:
		return 1
	}
	return 0
}
