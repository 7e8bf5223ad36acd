package postgres

import (
	"strings"
	"unicode"
)

// searchConfig is the text search configuration of every search document
// and query: PostgreSQL's "russian" stems Cyrillic words with the Russian
// stemmer and Latin ones with the English stemmer, so one document serves
// both languages.
const searchConfig = "russian"

// maxSearchTerms bounds how many terms a search may hold.
const maxSearchTerms = 8

// prefixQuery turns what a reader typed into a tsquery string for
// to_tsquery: every word must match, the last word of each term as a
// prefix ("Kazakh" finds Kazakhstan, "locomot" locomotives); a quoted
// phrase matches its words in order; a word after "-" must be absent; "or"
// between two terms makes them alternatives. Only letters and digits reach
// the query, and every operator is written here, so no input is a syntax
// error. At most maxSearchTerms terms are kept. An empty result means no
// search.
func prefixQuery(s string) string {
	type term struct {
		words  []string
		not    bool
		phrase bool
	}
	var terms []term
	var ors []bool // ors[i]: terms[i] is joined to the one before by OR
	pendingOr := false
	rs := []rune(s)
	for i := 0; i < len(rs) && len(terms) < maxSearchTerms; {
		r := rs[i]
		switch {
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			if ws := words(string(rs[i+1 : min(j, len(rs))])); len(ws) > 0 {
				terms, ors = append(terms, term{words: ws, phrase: true}), append(ors, pendingOr)
				pendingOr = false
			}
			i = j + 1
		case r == '-' && i+1 < len(rs) && isWordRune(rs[i+1]) && (i == 0 || !isWordRune(rs[i-1])):
			j := i + 1
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				j++
			}
			if ws := words(string(rs[i+1 : j])); len(ws) > 0 {
				terms, ors = append(terms, term{words: ws, not: true}), append(ors, pendingOr)
				pendingOr = false
			}
			i = j
		case isWordRune(r):
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			if strings.EqualFold(w, "or") {
				pendingOr = len(terms) > 0 // a leading "or" joins nothing
			} else if ws := words(w); len(ws) > 0 {
				terms, ors = append(terms, term{words: ws}), append(ors, pendingOr)
				pendingOr = false
			}
			i = j
		default:
			i++
		}
	}
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			if ors[i] {
				b.WriteString(" | ")
			} else {
				b.WriteString(" & ")
			}
		}
		if t.not {
			b.WriteString("!")
		}
		b.WriteString("(")
		for k, w := range t.words {
			if k > 0 {
				if t.phrase {
					b.WriteString(" <-> ")
				} else {
					b.WriteString(" & ")
				}
			}
			b.WriteString(w)
			// A phrase is matched as typed; a word being typed is a prefix.
			if !t.phrase && !t.not && k == len(t.words)-1 {
				b.WriteString(":*")
			}
		}
		b.WriteString(")")
	}
	return b.String()
}

// words splits s into its runs of letters and digits, lower-cased.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
