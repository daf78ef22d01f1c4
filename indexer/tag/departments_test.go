package tag

import (
	"slices"
	"testing"
)

// TestDepartments: the executive departments named by their short names in
// a list of departments, an official's title or a list of nothing but
// department names; the same words elsewhere name none.
func TestDepartments(t *testing.T) {
	t.Parallel()
	tg := mustTagger(t)
	const (
		doj  = "U.S. Department of Justice"
		dhs  = "U.S. Department of Homeland Security"
		dod  = "U.S. Department of Defense"
		tres = "U.S. Department of the Treasury"
	)
	tests := []struct {
		name string
		text string
		want []string
		not  []string
	}{
		{"departments of", "A board with the Departments of Justice, Homeland Security and the Treasury sets priorities.",
			[]string{doj, dhs, tres}, nil},
		{"departments of, two", "The Departments of Homeland Security and Justice agreed.", []string{doj, dhs}, nil},
		{"secretary of", "Secretary of Homeland Security Mayorkas traveled to Mexico City.", []string{dhs}, []string{doj}},
		{"a list of department names", "Other agencies—including Defense, Justice and Homeland Security—added funds.",
			[]string{dod, doj, dhs}, nil},
		{"names then departments", "The Defense and Justice Departments used such money for equipment.", []string{dod, doj}, nil},
		{"a title of names", "Justice and Peace Commissions met.", nil, []string{doj}},
		{"another government's ministries", "It exchanges data with the Ministries of Justice and Interior.", nil,
			[]string{doj, "U.S. Department of the Interior"}},
		{"a foreign secretary of state", "Spain's Secretary of State for International Cooperation signed it.", nil, []string{stateName}},
		{"a lone justice", "Justice and security go together; access to Justice improved.", nil, []string{doj}},
		{"justice sector", "Justice, Security and Peace programmes.", nil, []string{doj, dhs}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tg.Tag(Input{URL: "https://www.gao.gov/products/x", Text: tt.text}).Organizations
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Tag(%q).Organizations = %q, want %q in it", tt.text, got, w)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("Tag(%q).Organizations = %q, want no %q", tt.text, got, n)
				}
			}
		})
	}
}
