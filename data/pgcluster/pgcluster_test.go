package pgcluster

import (
	"bytes"
	"context"
	"fmt"
	"github.com/aimaq/aimaq/internal/testenv"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// requireServer skips without PostgreSQL server binaries, except in CI where
// their absence is a failure.
func requireServer(tb testing.TB) {
	tb.Helper()
	if _, err := BinDir(); err != nil {
		testenv.Missing(tb, "%v", err)
	}
}

// syncBuffer collects Options.Log output from concurrent Ensure calls.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newOptions returns Options for a fresh home under t.TempDir, and stops any
// cluster left running there when the test ends.
func newOptions(tb testing.TB, sub string) (Options, *syncBuffer) {
	tb.Helper()
	requireServer(tb)
	dir := tb.TempDir()
	if os.Geteuid() == 0 {
		// TempDir makes 0700 directories; postgres runs as user aimaq.
		for _, d := range []string{dir, filepath.Dir(dir)} {
			if err := os.Chmod(d, 0o755); err != nil {
				tb.Fatal(err)
			}
		}
	}
	log := &syncBuffer{}
	o := Options{Home: filepath.Join(dir, sub), Log: log, Detach: true}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := StopHome(ctx, o); err != nil {
			tb.Error(err)
		}
	})
	return o, log
}

func mustEnsure(tb testing.TB, o Options) *Cluster {
	tb.Helper()
	c, err := Ensure(context.Background(), o)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func mustSelectOne(tb testing.TB, url string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(ctx)
	var db string
	var one int
	if err := conn.QueryRow(ctx, "SELECT current_database(), 1").Scan(&db, &one); err != nil {
		tb.Fatalf("SELECT 1 on %s: %v", url, err)
	}
	if db != DatabaseName || one != 1 {
		tb.Fatalf("got database %q, %d; want %q, 1", db, one, DatabaseName)
	}
}

func mustStop(tb testing.TB, c *Cluster) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Stop(ctx); err != nil {
		tb.Fatal(err)
	}
}

func TestEnsureStartAttachStop(t *testing.T) {
	t.Parallel()
	o, log := newOptions(t, "home")

	first := mustEnsure(t, o)
	if !first.Started() {
		t.Fatal("first Ensure: Started() = false, want true")
	}
	if !strings.Contains(log.String(), "initdb") {
		t.Errorf("log lacks initdb line:\n%s", log)
	}
	if _, err := os.Stat(filepath.Join(o.Home, "pgdata", "PG_VERSION")); err != nil {
		t.Fatal(err)
	}
	mustSelectOne(t, first.URL())

	second := mustEnsure(t, o)
	if second.Started() {
		t.Fatal("second Ensure: Started() = true, want false (attach)")
	}
	if second.URL() != first.URL() || second.pid != first.pid {
		t.Errorf("attached to %s pid %d, want %s pid %d", second.URL(), second.pid, first.URL(), first.pid)
	}
	mustSelectOne(t, second.URL())

	mustStop(t, second) // attached: must leave the server running
	st, err := GetStatus(o)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Running || st.PID != first.pid || st.URL != first.URL() {
		t.Fatalf("after attached Stop: status %+v, want running pid %d at %s", st, first.pid, first.URL())
	}

	mustStop(t, first)
	mustStop(t, first) // idempotent
	st, err = GetStatus(o)
	if err != nil {
		t.Fatal(err)
	}
	if st.Running {
		t.Fatalf("after Stop: status %+v, want not running", st)
	}

	// A restart reuses the data directory.
	third := mustEnsure(t, o)
	if !third.Started() {
		t.Fatal("restart: Started() = false, want true")
	}
	if n := strings.Count(log.String(), "initdb"); n != 1 {
		t.Errorf("initdb ran %d times, want 1:\n%s", n, log)
	}
	mustSelectOne(t, third.URL())
	mustStop(t, third)
}

func TestEnsureRecoversStalePIDFile(t *testing.T) {
	t.Parallel()
	o, _ := newOptions(t, "home")
	c := mustEnsure(t, o)
	mustStop(t, c)

	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pid  int
	}{
		{"dead pid", dead.Process.Pid},
		{"live pid of another program", os.Getpid()},
	}
	pidPath := filepath.Join(o.Home, "pgdata", "postmaster.pid")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fmt.Sprintf("%d\n%s\n1700000000\n5432\n%s\n\n  1234     5678\nready   \n",
				tt.pid, filepath.Join(o.Home, "pgdata"), filepath.Join(o.Home, "run"))
			if err := os.WriteFile(pidPath, []byte(fake), 0o600); err != nil {
				t.Fatal(err)
			}
			if st, err := GetStatus(o); err != nil || st.Running {
				t.Fatalf("GetStatus with stale pid file = %+v, %v; want not running", st, err)
			}
			c := mustEnsure(t, o)
			if !c.Started() {
				t.Fatal("Started() = false, want true")
			}
			mustSelectOne(t, c.URL())
			mustStop(t, c)
		})
	}
}

func TestEnsureConcurrent(t *testing.T) {
	t.Parallel()
	o, log := newOptions(t, "home")

	var wg sync.WaitGroup
	clusters := make([]*Cluster, 2)
	errs := make([]error, 2)
	for i := range clusters {
		wg.Go(func() {
			clusters[i], errs[i] = Ensure(context.Background(), o)
		})
	}
	wg.Wait()
	started := 0
	for i, c := range clusters {
		if errs[i] != nil {
			t.Fatalf("Ensure %d: %v", i, errs[i])
		}
		if c.Started() {
			started++
		}
		mustSelectOne(t, c.URL())
	}
	if started != 1 {
		t.Fatalf("%d callers started postgres, want 1; log:\n%s", started, log)
	}
	for _, c := range clusters {
		mustStop(t, c)
	}
}

func TestEnsureLongHomeUsesTmpSocket(t *testing.T) {
	t.Parallel()
	o, _ := newOptions(t, strings.Repeat("long-home-", 10))

	c := mustEnsure(t, o)
	st, err := GetStatus(o)
	if err != nil {
		t.Fatal(err)
	}
	wantPrefix := filepath.Join(os.TempDir(), "aimaq-")
	if !strings.HasPrefix(st.SocketDir, wantPrefix) || !strings.Contains(c.URL(), "host="+wantPrefix) {
		t.Fatalf("socket dir %q, URL %q; want under %s", st.SocketDir, c.URL(), wantPrefix)
	}
	t.Cleanup(func() { os.RemoveAll(st.SocketDir) })
	mustSelectOne(t, c.URL())
	mustStop(t, c)
}

func TestEnsureTCPPort(t *testing.T) {
	t.Parallel()
	o, _ := newOptions(t, "home")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o.Port = l.Addr().(*net.TCPAddr).Port
	l.Close()

	c := mustEnsure(t, o)
	mustSelectOne(t, c.URL())
	mustSelectOne(t, fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", RoleName, o.Port, DatabaseName))
	mustStop(t, c)
}

func TestStopHomeWithoutCluster(t *testing.T) {
	t.Parallel()
	o := Options{Home: t.TempDir()}
	if err := StopHome(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	st, err := GetStatus(o)
	if err != nil || st.Running {
		t.Fatalf("GetStatus = %+v, %v; want not running", st, err)
	}
}

func TestConnURL(t *testing.T) {
	tests := []struct {
		name, dir string
	}{
		{"plain", "/srv/aimaq/run"},
		{"space and plus", "/home/a b+c/run"},
		{"percent and ampersand", "/tmp/50%&x=y/run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := pgconn.ParseConfig(connURL(tt.dir, 5433, DatabaseName))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Host != tt.dir || cfg.Port != 5433 || cfg.User != RoleName || cfg.Database != DatabaseName {
				t.Fatalf("parsed host %q port %d user %q db %q", cfg.Host, cfg.Port, cfg.User, cfg.Database)
			}
		})
	}
}
