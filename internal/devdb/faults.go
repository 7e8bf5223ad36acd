package devdb

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Faults for tests of outages: a cluster can be frozen (every server
// process stopped with SIGSTOP, as a hung machine looks from outside),
// thawed, halted and started again on the same port.

// pids returns the postmaster's pid and its children's.
func (c *Cluster) pids() ([]int, error) {
	data, err := os.ReadFile(filepath.Join(c.dir, "postmaster.pid"))
	if err != nil {
		return nil, fmt.Errorf("devdb: postmaster.pid: %w", err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	pm, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return nil, fmt.Errorf("devdb: postmaster.pid: %w", err)
	}
	pids := []int{pm}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces, so read after the last ')'.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pm) {
			if pid, err := strconv.Atoi(filepath.Base(filepath.Dir(p))); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids, nil
}

func (c *Cluster) signal(sig syscall.Signal) error {
	pids, err := c.pids()
	if err != nil {
		return err
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, sig); err != nil && err != syscall.ESRCH {
			return fmt.Errorf("devdb: signal %d: %w", pid, err)
		}
	}
	return nil
}

// Freeze stops every server process (SIGSTOP): connections stay open and
// nothing answers.
func (c *Cluster) Freeze() error { return c.signal(syscall.SIGSTOP) }

// Thaw lets frozen server processes run again (SIGCONT).
func (c *Cluster) Thaw() error { return c.signal(syscall.SIGCONT) }

// Halt stops the server at once (pg_ctl stop -m immediate); Start brings
// it back on the same port.
func (c *Cluster) Halt() error {
	out, err := c.command(context.Background(), "pg_ctl", "stop", "-D", c.dir, "-m", "immediate", "-w", "-t", "60").CombinedOutput()
	if err != nil {
		return fmt.Errorf("devdb: halt cluster in %s: %s: %w", c.dir, bytes.TrimSpace(out), err)
	}
	return nil
}

// Start starts a halted cluster again, on the port it had.
func (c *Cluster) Start(ctx context.Context) error {
	opts := fmt.Sprintf("-k %s -h 127.0.0.1 -p %d", shellQuote(c.dir), c.port)
	out, err := c.command(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.dir, "-l", filepath.Join(c.dir, "postgres.log"), "-o", opts).CombinedOutput()
	if err != nil {
		return fmt.Errorf("devdb: start cluster in %s: %s: %w", c.dir, bytes.TrimSpace(out), err)
	}
	return nil
}
