package web

// htmxConfig turns off the parts of htmx that the Content-Security-Policy
// forbids or that the pages do not use: its injected indicator <style>,
// eval, inline scripts in responses; and its history snapshots in
// localStorage (the back button re-requests the page instead). htmx is
// vendored from the npm package htmx.org 2.0.11 (0BSD licence, beside it in
// static/vendor) and only enhances: every page works without it.
const htmxConfig = `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0,"selfRequestsOnly":true}`
