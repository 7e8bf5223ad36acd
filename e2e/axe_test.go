package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeTags are the rule sets every page must pass: WCAG 2.0 and 2.1, A and AA.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']`

var axeSource = sync.OnceValues(func() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	return string(b), err
})

// repoRoot walks up from the working directory to the one holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// AxeViolation is one failed axe rule and the elements that fail it.
type AxeViolation struct {
	ID     string
	Impact string
	Help   string
	Nodes  []struct {
		Target  []any
		Summary string
	}
}

// CheckAxe injects axe-core into the tab's current page, runs it for the
// WCAG 2.1 A and AA rules, and fails t listing every violation with its
// impact, help text and the elements concerned. The tab must have
// JavaScript on. axe-core comes from node_modules (npm ci).
func CheckAxe(t testing.TB, ctx context.Context) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core: %v (run npm ci)", err)
		}
		t.Skipf("axe-core not installed (run npm ci): %v", err)
	}
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	page := Eval[string](t, ctx, `location.pathname + location.search`)
	if _, err := chromedp.Run(tctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("inject axe-core into %s: %v", page, err)
	}
	vs, err := chromedp.Run(tctx, chromedp.Evaluate[[]AxeViolation](`
		axe.run(document, {runOnly: {type: 'tag', values: `+axeTags+`}, resultTypes: ['violations']})
		.then(r => r.violations.map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core on %s: %v", page, err)
	}
	for _, v := range vs {
		var b strings.Builder
		for _, n := range v.Nodes {
			b.WriteString("\n    ")
			for i, s := range n.Target {
				if i > 0 {
					b.WriteString(" >> ")
				}
				b.WriteString(strings.TrimSpace(strings.ReplaceAll(anyString(s), "\n", " ")))
			}
			if n.Summary != "" {
				b.WriteString(": " + strings.ReplaceAll(n.Summary, "\n", " "))
			}
		}
		t.Errorf("axe on %s: %s (%s): %s%s", page, v.ID, v.Impact, v.Help, b.String())
	}
}

func anyString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var parts []string
		for _, p := range x {
			parts = append(parts, anyString(p))
		}
		return strings.Join(parts, " ")
	}
	return ""
}
