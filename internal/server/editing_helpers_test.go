package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/pgtest"
	"summitledger/web"
)

// editEnv is a seeded server with a signed-in editor and admin, and a reader.
type editEnv struct {
	*authEnv
	editor, admin, reader *http.Client
	dealID                int64 // the seeded Wabtec deal
	dealPath              string
}

func newEditEnv(t *testing.T) *editEnv {
	t.Helper()
	e := &editEnv{authEnv: newAuthServer(t, nil)}
	pgtest.Seed(t, e.db)
	addUser(t, e.db, editorEmail, "Edna Editor", ledger.RoleEditor, editorPass)
	addUser(t, e.db, adminEmail, "Ada Admin", ledger.RoleAdmin, adminPass)
	e.editor = e.signIn(t, editorEmail, editorPass)
	e.admin = e.signIn(t, adminEmail, adminPass)
	e.reader = newClient(t)
	e.dealID = dealIDBySlug(t, e.db, "wabtec-kazakhstan-locomotives")
	e.dealPath = web.DealHref(e.dealID, "wabtec-kazakhstan-locomotives")
	return e
}

// deal returns the deal as the store has it now.
func (e *editEnv) deal(t *testing.T, id int64) *ledger.Deal {
	t.Helper()
	d, err := e.db.DealByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// revisionCount is the number of revisions in the ledger.
func (e *editEnv) revisionCount(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// doc parses a page.
func doc(t *testing.T, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// validUpdate is a status update form a browser would send.
func validUpdate() url.Values {
	return url.Values{
		"stage": {"under_way"}, "occurred_on": {"2026-01-15"}, "note": {"First locomotives delivered to Astana."},
		"source_url": {"https://example.org/wabtec"}, "source_title": {"Wabtec delivers"}, "source_publisher": {"Example News"},
	}
}

// editForm returns the deal's edit form as the editor's browser would send it back unchanged.
func (e *editEnv) editForm(t *testing.T, c *http.Client, id int64) url.Values {
	t.Helper()
	r := e.get(t, c, "/deals/"+itoa(id)+"/edit")
	if r.status != http.StatusOK {
		t.Fatalf("GET edit = %d", r.status)
	}
	return formValues(doc(t, r.body).Find("form.edit-form"))
}

// formValues reads a form's successful controls as a browser would submit them.
func formValues(form *goquery.Selection) url.Values {
	v := url.Values{}
	form.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" {
			return
		}
		switch goquery.NodeName(s) {
		case "textarea":
			v.Add(name, s.Text())
		case "select":
			opt := s.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			val, _ := opt.Attr("value")
			v.Add(name, val)
		default:
			typ, _ := s.Attr("type")
			if (typ == "checkbox" || typ == "radio") && !s.Is("[checked]") {
				return
			}
			val, _ := s.Attr("value")
			v.Add(name, val)
		}
	})
	return v
}

// fieldValue reads the value a form shows for the control with id.
func fieldValue(d *goquery.Document, id string) string {
	s := d.Find("#" + id)
	switch goquery.NodeName(s) {
	case "textarea":
		return s.Text()
	case "select":
		v, _ := s.Find("option[selected]").Attr("value")
		return v
	}
	v, _ := s.Attr("value")
	return v
}

// checked lists the values of the checked boxes named name.
func checked(d *goquery.Document, name string) []string {
	var out []string
	d.Find(`input[type=checkbox][name="` + name + `"][checked]`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		out = append(out, v)
	})
	return out
}

// cite gives an edit form one source for the change, as a change to a
// deal's value, parties or organizations needs.
func cite(form url.Values) url.Values {
	form.Set("source_url", "https://example.org/change")
	form.Set("source_title", "A report of the change")
	form.Set("source_publisher", "Example News")
	return form
}
