package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// errNoServer is what BinDir says when no PostgreSQL server is installed.
var errNoServer = errors.New("PostgreSQL server binaries not found: install postgresql-15 and postgresql-15-postgis-3 (Debian/Ubuntu) or set AIMAQ_DATABASE_URL")

// BinDir returns the directory holding the postgres and initdb binaries:
// `pg_config --bindir` if it has postgres, else the newest
// /usr/lib/postgresql/<version>/bin (Debian keeps server binaries off PATH).
func BinDir() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if hasServer(dir) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	best, bestVersion := "", -1.0
	for _, dir := range dirs {
		v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
		if err != nil || !hasServer(dir) {
			continue
		}
		// Major versions are whole numbers since 10; 9.6 still sorts below them.
		if v > bestVersion {
			best, bestVersion = dir, v
		}
	}
	if best == "" {
		return "", fmt.Errorf("pgcluster.BinDir(): %w", errNoServer)
	}
	return best, nil
}

func hasServer(dir string) bool {
	for _, name := range []string{"postgres", "initdb"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// binDir prefers the binaries of the major version that created the data
// directory, since a newer server cannot open it; a new cluster gets BinDir.
func (l layout) binDir() (string, error) {
	if v, err := os.ReadFile(filepath.Join(l.data, "PG_VERSION")); err == nil {
		dir := filepath.Join("/usr/lib/postgresql", strings.TrimSpace(string(v)), "bin")
		if hasServer(dir) {
			return dir, nil
		}
	}
	return BinDir()
}
