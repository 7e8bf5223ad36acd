package main

import (
	"fmt"
	"net/netip"
	"strings"
)

// parsePrefixes reads a comma-separated list of CIDR prefixes, such as
// TRUSTED_PROXIES="10.0.0.0/8,127.0.0.1/32".
func parsePrefixes(list string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, err := netip.ParsePrefix(p); err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is not a CIDR prefix like 10.0.0.0/8", p)
		}
		out = append(out, p)
	}
	return out, nil
}
