// Package postgistest gives tests a fresh, migrated PostGIS database in the
// real embedded cluster. Locally it skips when PostgreSQL is not installed;
// in CI (CI=true) a missing database fails the test instead.
package postgistest

import (
	"context"
	"fmt"
	"github.com/aimaq/aimaq/internal/testenv"
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
	"github.com/jackc/pgx/v5/pgxpool"
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

// ensure starts the shared test cluster once per process (detached, so it
// outlives this process; `make test` stops it) and returns its URL.
func ensure() (string, error) {
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
	return clusterURL, onceErr
}

// URL returns the connection string of the shared test cluster's maintenance
// database. Without PostgreSQL it skips the test locally and fails it in CI.
func URL(tb testing.TB) string {
	tb.Helper()
	u, err := ensure()
	if err != nil {
		testenv.Missing(tb, "no PostgreSQL for integration tests (run scripts/setup): %v", err)
	}
	return u
}

// NewURL creates an empty database and returns its URL; the database is
// dropped when the test ends.
func NewURL(tb testing.TB) string {
	tb.Helper()
	URL(tb)
	u, drop, err := Create(sanitize(tb.Name()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = drop() })
	return u
}

// Create makes an empty database named after hint in the shared test cluster,
// for callers that outlive one test (a TestMain); drop removes it.
func Create(hint string) (dbURL string, drop func() error, err error) {
	base, err := ensure()
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, fmt.Errorf("connect to test cluster: %w", err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("t_%d_%d_%s", os.Getpid(), seq.Add(1), sanitize(hint))
	if len(name) > 60 {
		name = name[:60]
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", nil, fmt.Errorf("create test database %s: %w", name, err)
	}
	drop = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		return err
	}
	u, err := withDatabase(base, name)
	return u, drop, err
}

// New returns a store on a fresh migrated database, closed and dropped when the test ends.
func New(tb testing.TB) *postgis.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	u := NewURL(tb)
	s, err := postgis.Open(ctx, u)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(s.Close)
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(pool.Close)
	pools.Store(s, pool)
	tb.Cleanup(func() { pools.Delete(s) })
	return s
}

// pools holds, for each store New made, a pool of its own on the same
// database: the store keeps its pool to itself, and tests that arrange rows
// or check them with SQL of their own use this one.
var pools sync.Map // *postgis.Store → *pgxpool.Pool

// Pool returns the test's own connection pool to the database of s, a store
// New made.
func Pool(s *postgis.Store) *pgxpool.Pool {
	p, ok := pools.Load(s)
	if !ok {
		panic("postgistest.Pool: the store was not made by postgistest.New")
	}
	return p.(*pgxpool.Pool)
}

func withDatabase(base, name string) (string, error) {
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		u, err := url.Parse(base)
		if err != nil {
			return "", fmt.Errorf("parse test URL: %w", err)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	return base + " dbname=" + name, nil
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
