package postgres

import "testing"

func TestPrefixQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"Kazakh", "(kazakh:*)"},
		{"locomot kazakh", "(locomot:*) & (kazakh:*)"},
		{"Wabtec's deal", "(wabtec & s:*) & (deal:*)"},
		{`"rare earth" mine`, "(rare <-> earth) & (mine:*)"},
		{"tungsten -boeing", "(tungsten:*) & !(boeing)"},
		{"tungsten or gas", "(tungsten:*) | (gas:*)"},
		{"or gas", "(gas:*)"},
		{"gas or", "(gas:*)"},
		{"Казахстан локомотив", "(казахстан:*) & (локомотив:*)"},
		{`a:* & !(b | c) <-> 'd'`, "(a:*) & (b:*) & (c:*) & (d:*)"},
		{`"unclosed phrase`, "(unclosed <-> phrase)"},
		{"a-b", "(a & b:*)"},
		{"1 2 3 4 5 6 7 8 9 10", "(1:*) & (2:*) & (3:*) & (4:*) & (5:*) & (6:*) & (7:*) & (8:*)"},
		{`\ ' ; -- ) (`, ""},
	} {
		if got := prefixQuery(tc.in); got != tc.want {
			t.Errorf("prefixQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzPrefixQuery: whatever is typed, PostgreSQL accepts the query (checked
// against the server in TestPrefixQueryParses) and it has balanced brackets.
func FuzzPrefixQuery(f *testing.F) {
	for _, s := range []string{"Kazakh", `"a b" -c or d`, "((", "!:*&|<->'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, depth := prefixQuery(s), 0
		for _, r := range q {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth < 0 {
				t.Fatalf("prefixQuery(%q) = %q: unbalanced", s, q)
			}
		}
		if depth != 0 {
			t.Fatalf("prefixQuery(%q) = %q: unbalanced", s, q)
		}
	})
}
