package server

import (
	"errors"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// maxFormBytes bounds an editor's form; a larger body is answered 413.
const maxFormBytes = 64 << 10

// parseForm reads a POSTed form of at most maxFormBytes into r.PostForm.
// Only the body counts: a value in the query string is never read as a field.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	return formReadError(r.ParseForm())
}

// formReadError is what the error sink is given when a form could not be
// read: a body too large (413) or too slow to arrive (408) as it is, any
// other failure as EINVALID (400).
func formReadError(err error) error {
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &mbe), errors.Is(err, os.ErrDeadlineExceeded):
		return err
	}
	return ledger.Errorf(ledger.EINVALID, "The form could not be read.")
}

// formVersion reads the hidden version field of an edit form; what is
// missing or not a positive number is EINVALID, naming the record.
func formVersion(r *http.Request, record string) (int, error) {
	version, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || version < 1 {
		return 0, ledger.Errorf(ledger.EINVALID, "The form lacks the %s's version; reload the edit page and try again.", record)
	}
	return version, nil
}

// cleanLine trims a one-line field.
func cleanLine(s string) string { return strings.TrimSpace(s) }

// cleanText trims a multi-line field and turns the CRLF browsers send into LF.
func cleanText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// checkText refuses what PostgreSQL cannot store or a page cannot show:
// invalid UTF-8, NUL and other control characters (tabs and newlines aside),
// and more than max characters.
func checkText(fe *ledger.FieldErrors, field, s string, max int) {
	if !checkControl(fe, field, s) {
		return
	}
	if utf8.RuneCountInString(s) > max {
		fe.Add(field, "Keep this to "+strconv.Itoa(max)+" characters or fewer.")
	}
}

// checkControl refuses invalid UTF-8, NUL and other control characters
// (tabs and newlines aside), and reports whether s was clean. The records
// that internal/ledger validates leave their lengths to it.
func checkControl(fe *ledger.FieldErrors, field, s string) bool {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f
	}) {
		fe.Add(field, "Remove the control characters from this field.")
		return false
	}
	return true
}

// parseDay parses a YYYY-MM-DD date.
func parseDay(s string) (time.Time, bool) {
	if len(s) != len(time.DateOnly) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

var dayShapeRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// dayProblem says why s, which parseDay refused, is not a day: a date in
// the right shape may still name no day in the calendar, like 2025-02-30,
// and asking for the format again would not tell the editor what is wrong.
// shape is the message for a date in the wrong shape.
func dayProblem(s, shape string) string {
	if dayShapeRE.MatchString(s) {
		return s + " is not a real date; check the month and the day."
	}
	return shape
}

// formatDay is parseDay's inverse; the zero time is "".
func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// urlID reads the route's {id}: every route reads a record id this one way.
func urlID(r *http.Request) (int64, bool) { return parseID(chi.URLParam(r, "id")) }

// parseID parses a positive record id as a form or a URL sends it: digits
// only, without a sign or leading zeros, so that each record has one URL.
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

func formatID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// amountRE is an amount in major units: digits, or digits in groups of
// three parted by commas or spaces, then at most two decimals.
var amountRE = regexp.MustCompile(`^([0-9]+|[0-9]{1,3}(?:[, \x{00a0}][0-9]{3})+)(?:\.([0-9]{1,2}))?$`)

// parseAmount reads an amount in major units ("4200000000", "1,250.5") as
// hundredths. A comma or space may only part groups of three digits: "1,5"
// is someone's 1.5 written with a decimal comma, and reading it as 15
// would silently multiply the value by ten.
func parseAmount(s string) (int64, bool) {
	m := amountRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	digits := strings.NewReplacer(",", "", " ", "", "\u00a0", "").Replace(m[1])
	if len(digits) > 16 {
		return 0, false
	}
	whole, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, false
	}
	frac := m[2]
	if len(frac) == 1 {
		frac += "0"
	}
	cents := whole * 100
	if frac != "" {
		f, _ := strconv.ParseInt(frac, 10, 64)
		cents += f
	}
	return cents, true
}

var tooManyDecimalsRE = regexp.MustCompile(`^[0-9, \x{00a0}]*\.[0-9]{3,}$`)

// amountProblem says why parseAmount refused s, in the terms of the mistake.
func amountProblem(s string) string {
	switch {
	case strings.HasPrefix(s, "-"):
		return "Enter an amount of zero or more."
	case tooManyDecimalsRE.MatchString(s):
		return "Give at most two decimals, like 12.35."
	case strings.Contains(s, ","):
		return "Use commas only between groups of three digits, like 4,200,000,000, and a point for decimals, like 1.5."
	}
	return "Enter the amount as a number, like 4200000000 or 12.5."
}

// formatAmount is parseAmount's inverse, without separators.
func formatAmount(cents int64) string {
	s := strconv.FormatInt(cents/100, 10)
	if c := cents % 100; c != 0 {
		s += "." + strconv.FormatInt(c/10, 10) + strconv.FormatInt(c%10, 10)
	}
	return s
}

// mergeInvalid adds the field messages of a store or domain EINVALID error
// to fe, renaming fields where the form names them differently (to "": a
// rule the form checks itself, field by field). It returns
// err when it is any other error, or an EINVALID error without fields.
func mergeInvalid(fe *ledger.FieldErrors, err error, rename map[string]string) error {
	var e *ledger.Error
	if err == nil {
		return nil
	}
	if !errors.As(err, &e) || e.Code != ledger.EINVALID || len(e.Fields) == 0 {
		return err
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		name := k
		if to, ok := rename[k]; ok {
			name = to
		}
		if name != "" {
			fe.Add(name, e.Fields[k])
		}
	}
	return nil
}

// viewErrors orders fe by where each field sits in the form (order lists the
// field names; a row's field is name-N) and gives each the id its summary
// link targets: anchor maps group names to their first input.
func viewErrors(fe ledger.FieldErrors, order []string, anchor map[string]string) web.FormErrors {
	rank := func(field string) (int, int) {
		base, row, _ := strings.Cut(field, "-")
		n, _ := strconv.Atoi(row)
		i := slices.Index(order, base)
		if i < 0 {
			i = len(order)
		}
		return i, n
	}
	fields := slices.Clone(fe.Order)
	slices.SortStableFunc(fields, func(a, b string) int {
		ai, an := rank(a)
		bi, bn := rank(b)
		if ai != bi {
			return ai - bi
		}
		return an - bn
	})
	out := make(web.FormErrors, 0, len(fields))
	for _, f := range fields {
		a := f
		if to, ok := anchor[f]; ok {
			a = to
		}
		out = append(out, web.FormError{Field: f, Anchor: a, Message: fe.Fields[f]})
	}
	return out
}
