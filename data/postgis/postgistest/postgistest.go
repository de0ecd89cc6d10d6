// Package postgistest gives tests a fresh, migrated PostGIS database in the
// real embedded cluster. Locally it skips when PostgreSQL is not installed;
// in CI (CI=true) a missing database fails the test instead.
package postgistest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/pgcluster"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/jackc/pgx/v5"
)

var (
	once       sync.Once
	clusterURL string
	onceErr    error
	seq        atomic.Int64
)

// Home is the cluster directory shared by every test process of one run:
// AIMAQ_TEST_HOME, or .aimaq-test at the module root. `make test` stops it at the end.
func Home() string {
	if h := os.Getenv("AIMAQ_TEST_HOME"); h != "" {
		return h
	}
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, ".aimaq-test")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(os.TempDir(), "aimaq-test")
		}
	}
}

// URL returns the connection string of the shared test cluster's maintenance
// database, starting the cluster (detached, so it outlives this process) if needed.
func URL(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		if u := os.Getenv("AIMAQ_TEST_DATABASE_URL"); u != "" {
			clusterURL = u
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		c, err := pgcluster.Ensure(ctx, pgcluster.Options{Home: Home(), Detach: true})
		if err != nil {
			onceErr = err
			return
		}
		clusterURL = c.URL()
	})
	if onceErr != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("test database: %v", onceErr)
		}
		tb.Skipf("no PostgreSQL for integration tests (run scripts/setup): %v", onceErr)
	}
	return clusterURL
}

// NewURL creates an empty database with PostGIS and returns its URL; the
// database is dropped when the test ends.
func NewURL(tb testing.TB) string {
	tb.Helper()
	base := URL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to test cluster: %v", err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("t_%d_%d_%s", os.Getpid(), seq.Add(1), sanitize(tb.Name()))
	if len(name) > 60 {
		name = name[:60]
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("create test database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if c, err := pgx.Connect(ctx, base); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	return withDatabase(tb, base, name)
}

// New returns a store on a fresh migrated database, closed and dropped when the test ends.
func New(tb testing.TB) *postgis.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := postgis.Open(ctx, NewURL(tb))
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(s.Close)
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	return s
}

func withDatabase(tb testing.TB, base, name string) string {
	tb.Helper()
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		u, err := url.Parse(base)
		if err != nil {
			tb.Fatalf("parse test URL: %v", err)
		}
		u.Path = "/" + name
		return u.String()
	}
	return base + " dbname=" + name
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
