package server

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/web"
)

// conflictView describes a merge for the conflict page: what others
// changed since the editor's version (base to theirs, nothing when base is
// unknown), and for each part both changed, the saved value beside the
// editor's, with the editor's form fields (yours) to carry.
func conflictView[R any](ctx context.Context, s *Server, msg string, base, theirs, mine *R, conflicts []string, spec editSpec, yours url.Values) (*web.Conflict, error) {
	var b []byte
	if base != nil {
		b = mustJSON(base)
	}
	t, m := mustJSON(theirs), mustJSON(mine)
	names, err := s.DB.LookupNames(ctx, nameIDs(b, t, m))
	if err != nil {
		return nil, err
	}
	c := &web.Conflict{Message: msg}
	if base != nil {
		c.Changes = diffRecordsOf(b, t, names, func(key string) bool {
			return slices.ContainsFunc(spec.parts, func(p formPart) bool {
				return key == p.key || strings.HasPrefix(key, p.key+".")
			})
		})
	}
	for _, key := range conflicts {
		c.Choices = append(c.Choices, web.ConflictChoice{
			ID:     strings.NewReplacer(":", "-", ".", "-").Replace(key),
			Name:   "choose." + key,
			Field:  partLabel(key, names),
			Saved:  partText(key, t, names),
			Yours:  partText(key, m, names),
			Hidden: yoursFields(key, spec.parts, yours),
		})
	}
	return c, nil
}

// partLabel names a part of a record for people: "Title", "Role of Wabtec".
func partLabel(key string, n *postgres.Names) string {
	name, elem, isElem := strings.Cut(key, ":")
	if !isElem {
		return fieldLabel(key)
	}
	id, _ := strconv.ParseInt(elem, 10, 64)
	switch name {
	case "Organizations":
		return "Role of " + nameOr(n.Organizations[id], "organization #"+elem)
	case "Parties":
		return "Party: " + nameOr(n.Countries[elem], elem)
	case "PriorityIDs":
		return "Priority advanced: " + nameOr(n.Priorities[id], "#"+elem)
	}
	return key
}

// partText shows one part of a revision record as text; an element of a
// relation the record lacks is "not in the deal".
func partText(key string, record []byte, n *postgres.Names) string {
	name, elem, isElem := strings.Cut(key, ":")
	flat := flatRecord(record)
	if !isElem {
		if key == "Source" {
			var lines []string
			for _, k := range []string{"Source.URL", "Source.Title", "Source.Publisher"} {
				if s := formatField(k, flat[k], n); s != "" {
					lines = append(lines, s)
				}
			}
			return strings.Join(lines, "\n")
		}
		if key == "OccurredOn" { // the date and how much of it is known are one part
			if p := formatField("OccurredPrecision", flat["OccurredPrecision"], n); p != "" && p != string(ledger.Day) {
				return formatField(key, flat[key], n) + " (known to the " + p + ")"
			}
		}
		return formatField(key, flat[key], n)
	}
	switch name {
	case "Organizations":
		var orgs []ledger.DealOrganization
		json.Unmarshal(flat[name], &orgs) //nolint:errcheck // shown as absent when malformed
		for _, o := range orgs {
			if strconv.FormatInt(o.OrganizationID, 10) == elem {
				return capitalize(o.Role)
			}
		}
	case "Parties", "PriorityIDs":
		var list []any
		json.Unmarshal(flat[name], &list) //nolint:errcheck // shown as absent when malformed
		for _, x := range list {
			if s, ok := x.(string); ok && s == elem {
				return "In the deal"
			}
			if f, ok := x.(float64); ok && strconv.FormatFloat(f, 'f', -1, 64) == elem {
				return "In the deal"
			}
		}
	}
	return "Not in the deal"
}

// yoursFields are the hidden inputs that carry the editor's own value of
// one part through the conflict page, from the form as the editor sent it.
func yoursFields(key string, parts []formPart, yours url.Values) []web.HiddenField {
	name, elem, isElem := strings.Cut(key, ":")
	i := slices.IndexFunc(parts, func(p formPart) bool { return p.key == name })
	if i < 0 {
		return nil
	}
	fields := parts[i].fields
	var out []web.HiddenField
	switch {
	case !isElem:
		for _, f := range fields {
			for _, v := range yours[f] {
				out = append(out, web.HiddenField{Name: "yours." + f, Value: v})
			}
		}
	case len(fields) == 1:
		if slices.Contains(yours[fields[0]], elem) {
			out = append(out, web.HiddenField{Name: "yours." + key, Value: elem})
		}
	default:
		for j, id := range yours[fields[0]] {
			if id == elem {
				out = append(out, web.HiddenField{Name: "yours." + key, Value: at(yours[fields[1]], j)})
			}
		}
	}
	return out
}

// mustJSON marshals a domain value as its revision does; they always marshal.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
