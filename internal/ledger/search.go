package ledger

import (
	"strings"
	"unicode"
)

// MaxSearchTerms is how many words, phrases and "or"s a search keeps.
const MaxSearchTerms = 16

// SearchText is the filter's search reduced to a query in web-search syntax
// that PostgreSQL's websearch_to_tsquery always accepts and whose size is
// bounded: at most MaxSearchTerms words and "quoted phrases", each left out
// with at most one leading "-", joined by spaces or "or". Characters that
// web-search syntax would read as operators (!, &, |, parentheses, a
// hyphen not inside a word) part words instead, so a run of hyphens or
// exclamation marks cannot nest negations past the parser's stack. Words
// keep the joining characters full-text search reads inside them (e-mail,
// U.S, C5+1, 4.2). It is "" when nothing searchable is left.
func (f *DealFilter) SearchText() string {
	return reduceSearch(f.Query)
}

func reduceSearch(q string) string {
	var terms []string
	add := func(term string) bool {
		if len(terms) == MaxSearchTerms {
			return false
		}
		terms = append(terms, term)
		return true
	}
	rs := []rune(q)
	for i := 0; i < len(rs); {
		// A term starts with optional "-" (and other operator marks), then
		// a quoted phrase or a word.
		negate := false
		for i < len(rs) && !isWordRune(rs[i]) && rs[i] != '"' {
			negate = negate || rs[i] == '-'
			if unicode.IsSpace(rs[i]) {
				negate = false
			}
			i++
		}
		if i == len(rs) {
			break
		}
		sign := ""
		if negate {
			sign = "-"
		}
		if rs[i] == '"' {
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			if words := searchWords(rs[i+1 : j]); len(words) > 0 && !add(sign+`"`+strings.Join(words, " ")+`"`) {
				break
			}
			i = j + 1
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
			j++
		}
		words := searchWords(rs[i:j])
		i = j
		if len(words) == 1 && strings.EqualFold(words[0], "or") && sign == "" {
			if n := len(terms); n > 0 && terms[n-1] != "or" && add("or") {
				continue
			}
			continue
		}
		full := false
		for k, w := range words {
			if k > 0 {
				sign = "" // "-a!b" leaves out a, not b
			}
			if !add(sign + w) {
				full = true
				break
			}
		}
		if full {
			break
		}
	}
	for len(terms) > 0 && terms[len(terms)-1] == "or" {
		terms = terms[:len(terms)-1]
	}
	return strings.Join(terms, " ")
}

// searchWords splits rs into words of letters and digits, keeping a
// joining character (- . + ' _ @ /) only between two of them.
func searchWords(rs []rune) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for i, r := range rs {
		switch {
		case isWordRune(r):
			b.WriteRune(r)
		case strings.ContainsRune("-.+'_@/", r) && b.Len() > 0 && i+1 < len(rs) && isWordRune(rs[i+1]):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }
