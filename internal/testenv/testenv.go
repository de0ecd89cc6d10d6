// Package testenv finds what integration tests need outside the repository —
// the real data set, programs such as ogrinfo or osmium — and skips a test
// locally when it is missing, but fails it in CI (CI=true), where scripts/setup
// must have installed everything.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Missing skips the test locally and fails it in CI.
func Missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf(format, args...)
	}
	tb.Skipf(format, args...)
}

// DataDir returns the absolute path of the real Kazakhstan data set:
// AIMAQ_DATA_DIR, or ../shared/data/kz beside the module root.
func DataDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("AIMAQ_DATA_DIR")
	if dir == "" {
		dir = filepath.Join(moduleRoot(), "..", "shared", "data", "kz")
	}
	abs, _ := filepath.Abs(dir)
	if _, err := os.Stat(filepath.Join(abs, "SOURCES.md")); err != nil {
		Missing(tb, "real data set not found at %s (set AIMAQ_DATA_DIR)", abs)
	}
	return abs
}

// Command returns the path of program name.
func Command(tb testing.TB, name, pkg string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, "%s not installed (scripts/setup installs Debian's %s)", name, pkg)
	}
	return p
}

func moduleRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}
