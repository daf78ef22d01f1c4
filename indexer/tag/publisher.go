package tag

import (
	"fmt"
	"net/url"
	"strings"
)

// The publisher is never tagged (domain-facts §0): GAO on its own reports,
// the Justice Department on justice.gov, UNODC on unodc.org, the ABA's Rule
// of Law Initiative on americanbar.org. The State family is decided by
// isNonStatePublisher (its organizations carry the publisher flag); every
// other publisher is decided here, from the same signals, and the page's own
// word comes first:
//
//   - the site name (extract.Page.Site: declared, or read from the masthead,
//     the copyright line or a dateline) when it begins with a taxonomy
//     organization's name ("U.S. Government Accountability Office",
//     "United Nations : Office on Drugs and Crime", "UNDP · …") or with one
//     of publisher_names ("American Bar Association" → ABA ROLI);
//   - otherwise the host (publisher_hosts, the longest suffix that matches;
//     a page kept by a web archive is judged by its original address).
//
// Only the publisher itself is dropped: a body the page speaks of as an
// actor (the Justice Department's OPDAT on a justice.gov page, CICAD on a
// page the OAS publishes) is still tagged.

// publishers is the compiled publisher_hosts and publisher_names.
type publishers struct {
	hosts map[string]int // host → organization index, -1 for one outside the taxonomy
	names []publisherName
	// sections maps a taxonomy acronym of four letters or more, in lower
	// case, to its organizations (sectionOrgs)
	sections map[string][]int
}

type publisherName struct {
	key string // lower case
	id  int
}

func (t *Tagger) buildPublishers(of orgFile) error {
	ids := map[string]int{}
	for i, o := range t.orgs {
		ids[o.Name] = i
	}
	id := func(name string) (int, error) {
		if name == "" {
			return -1, nil
		}
		i, ok := ids[name]
		if !ok {
			return 0, fmt.Errorf("publisher %q is no organization of the taxonomy", name)
		}
		return i, nil
	}
	t.pub = publishers{hosts: map[string]int{}, sections: map[string][]int{}}
	for i, o := range t.orgs {
		for _, a := range o.Acronyms {
			if len(a) >= minSectionAcronym {
				k := strings.ToLower(a)
				t.pub.sections[k] = append(t.pub.sections[k], i)
			}
		}
	}
	for h, name := range of.PublisherHosts {
		if strings.HasPrefix(h, "_") {
			continue // a comment
		}
		i, err := id(name)
		if err != nil {
			return err
		}
		t.pub.hosts[strings.ToLower(h)] = i
	}
	for n, name := range of.PublisherNames {
		i, err := id(name)
		if err != nil {
			return err
		}
		t.pub.names = append(t.pub.names, publisherName{key: strings.ToLower(n), id: i})
	}
	return nil
}

// publisherOrgs returns the taxonomy organization that publishes the page
// (as a set of organization indexes, empty when none does or when the
// publisher is of the State family, which tagOrgs handles by its flag).
func (t *Tagger) publisherOrgs(pageURL, site string) map[int]bool {
	i, ok := t.siteOrg(site)
	if !ok {
		i = t.hostOrg(pageURL)
	}
	if i < 0 {
		return nil
	}
	pub := map[int]bool{i: true}
	for _, j := range t.sectionOrgs(pageURL) {
		pub[j] = true
	}
	return pub
}

// minSectionAcronym is the shortest acronym sectionOrgs reads: "/doc/", "/un/"
// and "/eu/" are a path's words as often as acronyms ("/doc/" is a folder of
// documents far more often than Commerce's).
const minSectionAcronym = 4

// sectionOrgs returns the taxonomy organizations whose own section of its
// publisher's site a page sits in: a folder of the path named by the
// organization's acronym, alone or after one word ("justice.gov/
// criminal-icitap/albania", "usdoj.gov/criminal/opdat/worldwide/…"). Such a
// page is the component's own, which it publishes as much as its parent
// does; the last segment, the page's own slug, is not read
// ("…/icitap-trains-police" is a page about the component).
func (t *Tagger) sectionOrgs(pageURL string) []int {
	_, path := hostPath(pageURL)
	var out []int
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	// the last segment is the page's own ("" after a folder's slash)
	for _, s := range segs[:len(segs)-1] {
		if words := strings.Split(s, "-"); len(words) <= 2 {
			out = append(out, t.pub.sections[words[len(words)-1]]...)
		}
	}
	return out
}

// withParents adds to a publisher the organization it speaks for: a body
// of the United Nations for the UN ("the United Nations" on UNODC's pages —
// a map's disclaimer, "the United Nations system" — is the publisher too).
func (t *Tagger) withParents(pub map[int]bool) map[int]bool {
	for i := range pub {
		if strings.HasPrefix(t.orgs[i].Name, "United Nations ") {
			if un := t.orgIndex(unName); un >= 0 {
				pub[un] = true
			}
			break
		}
	}
	return pub
}

// siteOrg returns the organization a site name begins with; ok is false
// when the name begins with none.
func (t *Tagger) siteOrg(site string) (int, bool) {
	// "United Nations : Office on Drugs and Crime" is one name; "OAS -
	// Organization of American States" two spellings of one
	s := strings.TrimSpace(strings.NewReplacer(" : ", " ", ": ", " ", " - ", " | ", " – ", " | ").Replace(site))
	s = strings.TrimPrefix(s, "The ")
	if s == "" {
		return 0, false
	}
	l := strings.ToLower(s)
	for _, n := range t.pub.names {
		if l == n.key || strings.HasPrefix(l, n.key) {
			return n.id, true
		}
	}
	toks := tokenize(s)
	hits := t.orgM.find(s, toks)
	// "U.S. GAO": the country before an acronym
	first := 0
	if len(toks) > 1 && toks[0].key == "u.s." {
		first = 1
	}
	if len(hits) == 0 || hits[0].first > first || hits[0].e.kind != kindOrg {
		return 0, false
	}
	// the name must end there: "UNDP · Scam alert", not "DEA Sensitive Investigative Unit"
	if h := hits[0]; h.end < len(toks) && !toks[h.end].brk && !toks[h.end].comma {
		return 0, false
	}
	return hits[0].e.id, true
}

// hostOrg returns the organization publishing on the page's host, or -1.
func (t *Tagger) hostOrg(pageURL string) int {
	host, path := hostPath(pageURL)
	best, id := -1, -1
	for s, i := range t.pub.hosts {
		if len(s) > best && underHostKey(host, path, s) {
			best, id = len(s), i
		}
	}
	return id
}

// hostPath returns the lower-case host and path of a page's address (an
// archived page's original address).
func hostPath(pageURL string) (host, path string) {
	u, err := url.Parse(archivedURL(pageURL))
	if err != nil {
		return "", ""
	}
	return strings.ToLower(u.Hostname()), strings.ToLower(u.EscapedPath())
}

// underHostKey reports whether a page at host and path is under key: a host
// (its subdomains too) or a host and a path ("justice.gov/archive/dea": an
// agency's pages on its parent's host).
func underHostKey(host, path, key string) bool {
	h, prefix, withPath := strings.Cut(key, "/")
	if withPath && !strings.HasPrefix(path, "/"+prefix+"/") {
		return false
	}
	return underHost(host, h)
}

// isFoundPublisher reports whether an organization the page defines is its
// publisher: the site name begins with its name or acronym, or its acronym
// (three letters or more) is part of the host's name ("Congressional
// Research Service (CRS)" on everycrsreport.com).
func isFoundPublisher(pageURL, site string, f foundOrg) bool {
	l := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(site), "The "))
	for _, n := range []string{f.name, f.acronym} {
		if n = strings.ToLower(n); l != "" && (l == n || strings.HasPrefix(l, n+" ")) {
			return true
		}
	}
	a := strings.ToLower(f.acronym)
	if len(a) < 3 || strings.ContainsAny(a, "/&-") {
		return false
	}
	h := hostOf(pageURL)
	if k := strings.LastIndexByte(h, '.'); k > 0 {
		h = h[:k] // not the top-level domain
	}
	return strings.Contains(h, a)
}
