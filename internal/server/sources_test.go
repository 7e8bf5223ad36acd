package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"summitledger/web"
)

// threeSources is an update form citing three sources.
func threeSources() url.Values {
	v := validUpdate()
	v["source_url"] = []string{"https://example.org/ministry", "https://example.org/wire", "https://example.org/paper"}
	v["source_title"] = []string{"Ministry release", "Wire report", "Газета пишет"}
	v["source_publisher"] = []string{"Ministry of Transport", "Wire", "Газета"}
	v["source_published_on"] = []string{"2026-01-15", "", "2026-01-16"}
	v["source_language"] = []string{"en", "en", "ru"}
	return v
}

func TestUpdateWithManySources(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()

	t.Run("a 422 keeps every source row as typed, with the error on its row", func(t *testing.T) {
		bad := threeSources()
		bad["source_url"][1] = "javascript:alert(1)"
		bad["source_published_on"][2] = "16.01.2026"
		r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d, want 422", r.status)
		}
		d := doc(t, r.body)
		for i := range 3 {
			for _, name := range []string{"source_url", "source_title", "source_publisher", "source_published_on", "source_language"} {
				id := name + "-" + itoa(int64(i))
				if got, want := fieldValue(d, id), bad[name][i]; got != want {
					t.Errorf("%s = %q, want %q as typed", id, got, want)
				}
			}
		}
		for _, id := range []string{"source_url-1", "source_published_on-2"} {
			if d.Find(`.error-summary a[href="#`+id+`"]`).Length() != 1 {
				t.Errorf("no error summary link to #%s", id)
			}
		}
		if d.Find(`.error-summary a[href="#source_url-0"]`).Length() != 0 {
			t.Error("the valid first source is blamed")
		}
		if got := d.Find(`input[name="source_url"]`).Length(); got != 5 {
			t.Errorf("source rows = %d, want the 3 typed and 2 blank", got)
		}
	})
	t.Run("empty rows are skipped and no source at all is refused", func(t *testing.T) {
		none := validUpdate()
		none["source_url"], none["source_title"], none["source_publisher"] = []string{"", ""}, []string{"", ""}, []string{"", ""}
		r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", none)
		if r.status != http.StatusUnprocessableEntity || doc(t, r.body).Find(`.error-summary a[href="#source_url-0"]`).Length() != 1 {
			t.Errorf("no source: status %d, want 422 asking for one", r.status)
		}
	})
	t.Run("every source is saved in order and shown on the deal", func(t *testing.T) {
		ok := threeSources()
		ok["source_url"] = append(ok["source_url"], "")
		ok["source_title"] = append(ok["source_title"], "")
		r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", ok)
		if r.status != http.StatusSeeOther {
			t.Fatalf("status = %d, want 303", r.status)
		}
		us, err := e.db.UpdatesByDeal(ctx, e.dealID)
		if err != nil {
			t.Fatal(err)
		}
		got := us[0].Sources
		if len(got) != 3 || got[0].URL != "https://example.org/ministry" || got[2].Language != "ru" || !got[1].PublishedOn.IsZero() {
			t.Fatalf("sources = %+v, want the three in order", got)
		}
		page := doc(t, e.get(t, e.reader, e.dealPath).body)
		entry := page.Find("#update-" + itoa(us[0].ID))
		for _, title := range []string{"Ministry release", "Wire report", "Газета пишет"} {
			if !strings.Contains(entry.Text(), title) {
				t.Errorf("the deal's timeline does not show %q", title)
			}
		}
		link := entry.Find(`a.source-page`).First().AttrOr("href", "")
		if link != web.SourceHref(got[0].ID) {
			t.Errorf("source page link = %q, want %q", link, web.SourceHref(got[0].ID))
		}
		sp := e.get(t, e.reader, link)
		if sp.status != http.StatusOK || !strings.Contains(doc(t, sp.body).Find("main").Text(), "Wabtec") {
			t.Errorf("GET %s = %d, want the source with the deal that cites it", link, sp.status)
		}
		corr := doc(t, e.get(t, e.editor, "/updates/"+itoa(us[0].ID)+"/correct").body)
		if got := fieldValue(corr, "source_title-2"); got != "Газета пишет" {
			t.Errorf("correction form's third source = %q, want it filled from the update", got)
		}
	})
	t.Run("one address is one source", func(t *testing.T) {
		again := validUpdate()
		again.Set("source_url", "https://example.org/ministry")
		again.Set("source_title", "A different title")
		if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", again); r.status != http.StatusSeeOther {
			t.Fatalf("status = %d", r.status)
		}
		var n int
		e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM sources WHERE url = 'https://example.org/ministry'`).Scan(&n)
		if n != 1 {
			t.Errorf("sources with the address = %d, want 1", n)
		}
	})
	t.Run("a source that does not exist is a 404", func(t *testing.T) {
		for _, path := range []string{"/sources/987654", "/sources/abc", "/sources/-1"} {
			if r := e.get(t, e.reader, path); r.status != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, r.status)
			}
		}
	})
}

func TestUpdateExports(t *testing.T) {
	e := newEditEnv(t)
	if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", threeSources()); r.status != http.StatusSeeOther {
		t.Fatalf("status = %d", r.status)
	}
	var body struct {
		Count   int `json:"count"`
		Updates []struct {
			ID         int64  `json:"id"`
			DealID     int64  `json:"deal_id"`
			DealURL    string `json:"deal_url"`
			Stage      string `json:"stage"`
			OccurredOn string `json:"occurred_on"`
			Note       string `json:"note"`
			CorrectsID *int64 `json:"corrects_id"`
			RecordedAt string `json:"recorded_at"`
			Sources    []struct {
				URL         string  `json:"url"`
				Title       string  `json:"title"`
				Publisher   string  `json:"publisher"`
				PublishedOn *string `json:"published_on"`
			} `json:"sources"`
		} `json:"updates"`
	}
	get := func(t *testing.T, path string) string {
		t.Helper()
		r := e.get(t, e.reader, path)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, r.status)
		}
		return r.body
	}
	t.Run("JSON lists updates with their sources, newest first", func(t *testing.T) {
		if err := json.Unmarshal([]byte(get(t, "/updates.json?country=kz")), &body); err != nil {
			t.Fatal(err)
		}
		if body.Count != len(body.Updates) || body.Count < 2 {
			t.Fatalf("count = %d, updates = %d", body.Count, len(body.Updates))
		}
		u := body.Updates[0]
		if u.OccurredOn != "2026-01-15" || u.DealID != e.dealID || !strings.HasSuffix(u.DealURL, e.dealPath) || len(u.Sources) != 3 {
			t.Errorf("first = %+v, want the new update with its three sources", u)
		}
		if u.Sources[1].PublishedOn != nil || u.Sources[0].PublishedOn == nil || *u.Sources[0].PublishedOn != "2026-01-15" {
			t.Errorf("published_on = %v, %v; want 2026-01-15 and null", u.Sources[0].PublishedOn, u.Sources[1].PublishedOn)
		}
	})
	t.Run("since and until bound the day it happened", func(t *testing.T) {
		json.Unmarshal([]byte(get(t, "/updates.json?since=2026-01-15&until=2026-01-15")), &body) //nolint:errcheck
		if body.Count != 1 {
			t.Errorf("count = %d, want the one update of 15 January", body.Count)
		}
		json.Unmarshal([]byte(get(t, "/updates.json?country=uz&since=2026-01-01")), &body) //nolint:errcheck
		if body.Count != 0 {
			t.Errorf("count = %d, want none: the update is Kazakhstan's", body.Count)
		}
		for _, bad := range []string{"/updates.json?since=yesterday", "/updates.csv?since=2026-02-01&until=2026-01-01", "/updates.json?stage=signed"} {
			if r := e.get(t, e.reader, bad); r.status != http.StatusBadRequest {
				t.Errorf("GET %s = %d, want 400", bad, r.status)
			}
		}
	})
	t.Run("CSV joins the sources in order", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(get(t, "/updates.csv?since=2026-01-15"))).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("rows = %v, %v", rows, err)
		}
		col := map[string]string{}
		for i, h := range rows[0] {
			col[h] = rows[1][i]
		}
		if col["source_urls"] != "https://example.org/ministry | https://example.org/wire | https://example.org/paper" ||
			col["source_published_on"] != "2026-01-15 |  | 2026-01-16" || col["source_languages"] != "en | en | ru" {
			t.Errorf("sources = %q, %q, %q", col["source_urls"], col["source_published_on"], col["source_languages"])
		}
	})
}

// TestSourcesAreEscaped sends markup in every source field and checks that
// no page, feed or download lets it run.
func TestSourcesAreEscaped(t *testing.T) {
	e := newEditEnv(t)
	p := `<script>alert(1)</script>"><img src=x onerror=alert(1)>`
	form := validUpdate()
	form.Set("source_url", "https://example.org/?q="+url.QueryEscape(p))
	form.Set("source_title", p)
	form.Set("source_publisher", "=HYPERLINK(\"http://evil\")"+p)
	if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", form); r.status != http.StatusSeeOther {
		t.Fatalf("status = %d", r.status)
	}
	us, _ := e.db.UpdatesByDeal(context.Background(), e.dealID)
	raw := regexp.MustCompile(`<script>alert|<img src=x`)
	for _, path := range []string{e.dealPath, web.SourceHref(us[0].Sources[0].ID), "/updates.atom", "/updates.json", "/"} {
		r := e.get(t, e.reader, path)
		if raw.MatchString(r.body) {
			t.Errorf("%s carries the payload unescaped", path)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(e.get(t, e.reader, "/updates.csv").body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		for _, cell := range row {
			if strings.HasPrefix(cell, "=") {
				t.Errorf("CSV cell %q would run as a formula", cell)
			}
		}
	}
}

func TestEditNeedsASourceForValueAndParties(t *testing.T) {
	e := newEditEnv(t)
	path := "/deals/" + itoa(e.dealID) + "/edit"
	t.Run("a new title needs none", func(t *testing.T) {
		form := e.editForm(t, e.editor, e.dealID)
		form.Set("title", "Wabtec locomotives for Kazakhstan")
		if r := e.post(t, e.editor, path, form); r.status != http.StatusSeeOther {
			t.Errorf("status = %d, want 303", r.status)
		}
	})
	for name, change := range map[string]func(url.Values){
		"a new value":            func(f url.Values) { f.Set("value_amount", "4300000000") },
		"a new currency":         func(f url.Values) { f.Set("value_currency", "EUR") },
		"a party added":          func(f url.Values) { f.Add("party", "UZ") },
		"an organization's role": func(f url.Values) { f["org_role"][0] = "partner" },
	} {
		t.Run(name+" without a source is refused, with everything typed kept", func(t *testing.T) {
			form := e.editForm(t, e.editor, e.dealID)
			change(form)
			form.Set("change_note", "Checked against the ministry")
			r := e.post(t, e.editor, path, form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422", r.status)
			}
			d := doc(t, r.body)
			if d.Find(`.error-summary a[href="#source_url-0"]`).Length() != 1 {
				t.Error("no error asking for a source")
			}
			if got := fieldValue(d, "change_note"); got != "Checked against the ministry" {
				t.Errorf("change note = %q, want it kept", got)
			}
		})
	}
	t.Run("with a source it is saved and the history shows the source", func(t *testing.T) {
		form := e.editForm(t, e.editor, e.dealID)
		form.Set("value_amount", "4300000000")
		if r := e.post(t, e.editor, path, cite(form)); r.status != http.StatusSeeOther {
			t.Fatalf("status = %d, want 303", r.status)
		}
		h := doc(t, e.get(t, e.reader, "/deals/"+itoa(e.dealID)+"/history").body)
		if got := h.Find(".revision").First().Text(); !strings.Contains(got, "A report of the change") || !strings.Contains(got, "Sources of the change") {
			t.Errorf("newest revision = %q, want the source of the change", got)
		}
	})
}
