package web

import (
	"strings"
	"testing"
)

func TestDiffWords(t *testing.T) {
	t.Parallel()
	render := func(ops []diffOp) string {
		var b strings.Builder
		for _, o := range ops {
			switch o.Kind {
			case "del":
				b.WriteString("[-" + o.Text + "-]")
			case "ins":
				b.WriteString("{+" + o.Text + "+}")
			default:
				b.WriteString(o.Text)
			}
		}
		return b.String()
	}
	tests := []struct{ old, new, want string }{
		{"a b c", "a b c", "a b c"},
		{"training for prosecutors on corruption cases.", "training for judges on corruption and money laundering cases.",
			"training for [-prosecutors -]{+judges +}on corruption {+and money laundering +}cases."},
		{"", "new text", "{+new text+}"},
		{"old text", "", "[-old text-]"},
		{"x y z", "z y x", "[-x -]{+z +}y [-z-]{+x+}"},
	}
	for _, tc := range tests {
		got := diffWords(tc.old, tc.new)
		if s := render(got); s != tc.want {
			t.Errorf("diffWords(%q, %q) = %q, want %q", tc.old, tc.new, s, tc.want)
		}
		// Kept and deleted runs spell the old text, kept and inserted the new.
		var o, n strings.Builder
		for _, op := range got {
			if op.Kind != "ins" {
				o.WriteString(op.Text)
			}
			if op.Kind != "del" {
				n.WriteString(op.Text)
			}
		}
		if o.String() != tc.old || n.String() != tc.new {
			t.Errorf("diffWords(%q, %q) rebuilds %q and %q", tc.old, tc.new, o.String(), n.String())
		}
	}
}
