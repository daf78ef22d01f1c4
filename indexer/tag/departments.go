package tag

import "strings"

// deptShort maps the short names of the executive departments, as a list
// or an official's title gives them ("the Departments of Justice and
// Homeland Security", "Secretary of Homeland Security"), to their
// organizations' canonical names.
var deptShort = map[string]string{
	"state":             stateName,
	"justice":           "U.S. Department of Justice",
	"defense":           "U.S. Department of Defense",
	"homeland security": "U.S. Department of Homeland Security",
	"treasury":          "U.S. Department of the Treasury",
	"commerce":          "U.S. Department of Commerce",
	"interior":          "U.S. Department of the Interior",
}

// departments finds the executive departments named by their short names
// where the words say they are departments: after "Departments of" ("the
// Departments of Justice, Homeland Security and the Treasury"), after
// "Secretary of" ("Secretary of Homeland Security Mayorkas"), and in a list
// of nothing but department names ("other agencies—including Defense,
// Justice and Homeland Security") or of names before the word ("the Defense
// and Justice Departments"). A lone "Justice" or "State" is left to the
// other rules.
func (t *Tagger) departments(s *source) []hit {
	var out []hit
	toks := s.toks
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		switch {
		case (tk.orig == "Departments" || tk.orig == "Secretaries") && t.deptAt(toks, i+1, true) >= 0:
			items, end := t.deptList(toks, i+2)
			out = append(out, items...)
			i = end - 1
		case tk.orig == "Secretary" && t.deptAt(toks, i+1, true) >= 0 && !foreignSecretary(s.text, toks, i):
			if items, _ := t.deptList(toks, i+2); len(items) > 0 {
				out = append(out, items[0])
				i = items[0].end - 1
			}
		case isCapitalized(tk.orig) && (i == 0 || tk.brk || tk.comma || toks[i-1].key != "of" &&
			(!isCapitalized(toks[i-1].orig) || functionWords[toks[i-1].key])):
			if t.deptAt(toks, i, false) < 0 {
				continue
			}
			items, end := t.deptList(toks, i)
			if len(items) >= 2 && (end >= len(toks) || toks[end].brk || toks[end].comma || !isCapitalized(toks[end].orig) ||
				toks[end].orig == "Departments") { // "the Defense and Justice Departments"
				out = append(out, items...)
				i = end - 1
			}
		}
	}
	for k := range out {
		out[k].start, out[k].stop = toks[out[k].first].start, toks[out[k].end-1].end
		out[k].matched = s.text[out[k].start:out[k].stop]
	}
	return out
}

// deptAt returns the length in tokens of the department short name at
// toks[i] ("Justice", "Homeland Security", "the Treasury"), or -1; with of,
// toks[i] must be "of" and the name follows it.
func (t *Tagger) deptAt(toks []token, i int, of bool) int {
	if of {
		if i >= len(toks) || toks[i].key != "of" || toks[i].brk {
			return -1
		}
		i++
	}
	_, n := t.deptName(toks, i)
	if n < 0 {
		return -1
	}
	return n
}

// deptName returns the organization index and token length of the
// department short name at toks[i], "the" included; n is -1 for none.
func (t *Tagger) deptName(toks []token, i int) (id, n int) {
	name, n := deptNameAt(toks, i)
	if n < 0 {
		return -1, -1
	}
	if id = t.orgIndex(name); id < 0 {
		return -1, -1
	}
	return id, n
}

// deptNameAt returns the canonical name and token length of the department
// short name at toks[i], "the" included; n is -1 for none.
func deptNameAt(toks []token, i int) (name string, n int) {
	skip := 0
	if i < len(toks) && toks[i].key == "the" {
		skip = 1
	}
	for w := 2; w >= 1; w-- {
		j := i + skip
		if j+w > len(toks) {
			continue
		}
		key, ok := "", true
		for k := j; k < j+w; k++ {
			if !isCapitalized(toks[k].orig) || k > j && (toks[k].brk || toks[k].comma) {
				ok = false
				break
			}
			if key != "" {
				key += " "
			}
			key += toks[k].key
		}
		if name, found := deptShort[key]; ok && found {
			return name, skip + w
		}
	}
	return "", -1
}

// deptList reads a list of department short names from toks[i]: names
// separated by commas and "and" or "&". It returns their hits and the index
// after the last one.
func (t *Tagger) deptList(toks []token, i int) ([]hit, int) {
	var out []hit
	for i < len(toks) {
		if len(out) > 0 {
			switch {
			case toks[i].key == "and" || toks[i].key == "&":
				i++
			case toks[i].comma:
				if i < len(toks) && toks[i].key == "and" {
					i++
				}
			default:
				return out, i
			}
		}
		id, n := t.deptName(toks, i)
		if n < 0 || len(out) > 0 && toks[i].brk {
			return out, i
		}
		first := i
		if toks[i].key == "the" {
			first++
		}
		out = append(out, hit{e: &entry{kind: kindOrg, id: id, form: formAlias, text: t.orgs[id].Name}, first: first, end: i + n})
		i += n
	}
	return out, i
}

// foreignSecretary reports whether the "Secretary" at toks[i] holds another
// government's office: a possessive names its country ("Spain's Secretary
// of State for International Cooperation"), or a junior minister's remit
// follows ("Secretary of State for …") without the "Assistant", "Under" or
// "Deputy" of the Department's own officials.
func foreignSecretary(text string, toks []token, i int) bool {
	before := text[:toks[i].start]
	if strings.HasSuffix(before, "'s ") || strings.HasSuffix(before, "’s ") {
		return true
	}
	_, n := deptNameAt(toks, i+2)
	if j := i + 2 + n; n > 0 && j < len(toks) && toks[j].key == "for" && !toks[j].brk {
		return i == 0 || toks[i].brk || !officialPrefix[toks[i-1].key]
	}
	return false
}

// officialPrefix are the words before "Secretary" of the Department's own
// officials ("Assistant Secretary of State for …").
var officialPrefix = map[string]bool{"assistant": true, "under": true, "deputy": true, "principal": true}
