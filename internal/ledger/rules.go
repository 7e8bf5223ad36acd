package ledger

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// Lengths, in characters, of the fields editors type. A Cyrillic or Kazakh
// letter is one character, though it takes two bytes.
const (
	MaxTitle       = 200  // a deal's or a priority's title, an organization's name
	MaxSlug        = 80   // a slug, typed or made from a title
	MaxText        = 5000 // a summary or a description
	MaxValueNote   = 500  // the note on a deal's value
	MaxChangeNote  = 500  // an editor's note on a change
	MaxSourceURL   = 2000 // a source's address
	MaxSourceTitle = 300  // a source's title
	MaxPublisher   = 200  // a source's publisher
)

// ReservedDealSlugs are the words after /deals/{id}/ that name a deal's own
// pages, so no deal may take one as its slug.
var ReservedDealSlugs = []string{"edit", "history", "updates", "verify", "delete", "restore", "new"}

// DealSlug makes a deal's slug from its title; a title that would make a
// reserved word gets "-deal" after it.
func DealSlug(title string) string {
	s := Slugify(title)
	if slices.Contains(ReservedDealSlugs, s) {
		s += "-deal"
	}
	return s
}

// NumberedSlug is the n-th candidate for a slug made from a title: the slug
// itself first, then slug-2, slug-3 …, cut so that it stays within MaxSlug.
func NumberedSlug(slug string, n int) string {
	if n <= 1 {
		return slug
	}
	suffix := "-" + strconv.Itoa(n)
	if len(slug)+len(suffix) > MaxSlug {
		slug = slug[:MaxSlug-len(suffix)]
		for len(slug) > 0 && slug[len(slug)-1] == '-' {
			slug = slug[:len(slug)-1]
		}
	}
	return slug + suffix
}

// checkLength adds msg for field when s is longer than max characters.
func checkLength(fe *FieldErrors, field, s string, max int, what string) {
	fe.Check(utf8.RuneCountInString(s) <= max, field, "Keep "+what+" to "+formatCount(max)+" characters or fewer.")
}

// checkSlug checks a typed slug; an empty one is made from the title by
// the store.
func checkSlug(fe *FieldErrors, slug string) {
	switch {
	case slug == "":
	case utf8.RuneCountInString(slug) > MaxSlug:
		fe.Add("slug", "Keep the slug to "+strconv.Itoa(MaxSlug)+" characters or fewer.")
	case !ValidSlug(slug):
		fe.Add("slug", "Use lowercase letters, digits and single hyphens, like central-asia-rail.")
	}
}

// formatCount writes n with a thousands comma, as the forms' messages do.
func formatCount(n int) string {
	s := strconv.Itoa(n)
	if len(s) > 3 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}

// CheckUmbrella refuses to make parent the umbrella deal of deal self when
// that would close a loop: parent is self, or self is already on parent's
// own chain of umbrellas. umbrellaOf returns a deal's umbrella (0 at the
// top of a tree), and false for a deal it does not know, where the walk
// stops. self is 0 for a deal not yet saved, which nothing can point at.
func CheckUmbrella(self, parent int64, umbrellaOf func(id int64) (int64, bool)) error {
	seen := map[int64]bool{}
	for id := parent; id != 0 && !seen[id]; {
		if id == self {
			var fe FieldErrors
			fe.Add("parent_id", "A deal cannot be part of itself or of one of its own parts.")
			return fe.Err()
		}
		seen[id] = true
		next, ok := umbrellaOf(id)
		if !ok {
			return nil
		}
		id = next
	}
	return nil
}

// SourceNeeded reports whether the edit from before to after changes what
// a reader would check against a source first: the value or its currency,
// the parties, or the organizations and their roles. Such an edit must cite
// a source (Deal.ChangeSources).
func SourceNeeded(before, after *Deal) bool {
	sameValue := (before.Value == nil) == (after.Value == nil) && (before.Value == nil || *before.Value == *after.Value)
	orgs := func(d *Deal) []string {
		out := make([]string, len(d.Organizations))
		for i, o := range d.Organizations {
			out[i] = strconv.FormatInt(o.OrganizationID, 10) + ":" + o.Role
			if o.New != nil {
				out[i] = "new:" + o.New.Name + ":" + o.Role
			}
		}
		slices.Sort(out)
		return out
	}
	return !sameValue || !slices.Equal(slices.Sorted(slices.Values(before.Parties)), slices.Sorted(slices.Values(after.Parties))) ||
		!slices.Equal(orgs(before), orgs(after))
}
