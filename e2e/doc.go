// Package e2e holds the browser tests: journeys through the real server in
// real headless Chromium (chromedp), and axe-core accessibility scans.
//
// The harness (harness_test.go) starts the server over a fresh seeded
// database (StartServer), opens isolated tabs in one shared browser at a
// chosen width with JavaScript on or off (NewTab), checks a page with
// axe-core (CheckAxe) and saves a screenshot when a test fails. Without
// /usr/bin/chromium the tests skip, except under CI=true, where they fail.
// axe-core comes from node_modules (npm ci; make test installs it).
package e2e
