package pgcluster

import (
	"context"
	"sync"
	"time"
)

// Supervisor keeps a private cluster running for as long as its process
// needs it: when postgres dies (killed, crashed, stopped by hand) it is
// started again — or attached to, when another aimaq process on the same home
// was quicker — with backoff, at the same URL, so the process's connection
// pool reconnects by itself and serving goes on without a restart of aimaq.
type Supervisor struct {
	o        Options
	logf     func(format string, args ...any)
	mu       sync.Mutex
	cur      *Cluster
	restarts int
	cancel   context.CancelFunc
	done     chan struct{}
}

// Backoff of the restarts: from supervisorMinBackoff, doubled after each
// failed try, up to supervisorMaxBackoff.
const (
	supervisorMinBackoff = 100 * time.Millisecond
	supervisorMaxBackoff = 5 * time.Second
	// supervisorPoll is how often a cluster this process attached to (whose
	// postgres is not its child) is checked for life.
	supervisorPoll = 250 * time.Millisecond
)

// Supervise watches c (a cluster from Ensure with options o) until Stop.
// logf receives a line when postgres dies, each failed restart (once per
// backoff step) and when it runs again; it may be nil.
func Supervise(c *Cluster, o Options, logf func(format string, args ...any)) *Supervisor {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Supervisor{o: o, logf: logf, cur: c, cancel: cancel, done: make(chan struct{})}
	go s.run(ctx)
	return s
}

// URL is the cluster's connection string (the same across restarts).
func (s *Supervisor) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur.URL()
}

// Restarts is how many times postgres was brought back.
func (s *Supervisor) Restarts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts
}

// Stop ends the supervision and leaves the cluster (Cluster.Stop).
func (s *Supervisor) Stop(ctx context.Context) error {
	s.cancel()
	<-s.done
	s.mu.Lock()
	c := s.cur
	s.mu.Unlock()
	return c.Stop(ctx)
}

func (s *Supervisor) run(ctx context.Context) {
	defer close(s.done)
	for {
		s.mu.Lock()
		c := s.cur
		s.mu.Unlock()
		if !waitDeath(ctx, c) {
			return
		}
		s.logf("embedded PostgreSQL (pid %d) is gone: starting it again", c.pid)
		start := time.Now()
		backoff := supervisorMinBackoff
		for {
			nc, err := Ensure(ctx, s.o)
			if err == nil {
				s.mu.Lock()
				s.cur, s.restarts = nc, s.restarts+1
				s.mu.Unlock()
				s.logf("embedded PostgreSQL runs again (pid %d) after %s", nc.pid, time.Since(start).Round(time.Millisecond))
				break
			}
			if ctx.Err() != nil {
				return
			}
			s.logf("embedded PostgreSQL: restart failed, next try in %s: %v", backoff, err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, supervisorMaxBackoff)
		}
	}
}

// waitDeath blocks until c's postgres is gone (true) or ctx ends (false).
func waitDeath(ctx context.Context, c *Cluster) bool {
	if c.started {
		select {
		case <-c.done:
			return true
		case <-ctx.Done():
			return false
		}
	}
	t := time.NewTicker(supervisorPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			if !isPostmaster(c.pid, c.lay.data) {
				return true
			}
		}
	}
}
