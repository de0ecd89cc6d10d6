package pgcluster

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// layout is where a home keeps its cluster's files.
type layout struct {
	home string // absolute
	data string
	run  string
	log  string
	lock string
}

func newLayout(home string) (layout, error) {
	if home == "" {
		return layout{}, errors.New("home directory not set")
	}
	abs, err := filepath.Abs(home)
	if err != nil {
		return layout{}, err
	}
	return layout{
		home: abs,
		data: filepath.Join(abs, "pgdata"),
		run:  filepath.Join(abs, "run"),
		log:  filepath.Join(abs, "postgres.log"),
		lock: filepath.Join(abs, "lock"),
	}, nil
}

func (l layout) pidFile() string { return filepath.Join(l.data, "postmaster.pid") }

// socketDir is <home>/run unless the socket path inside it would not fit in
// sun_path; then it is a directory under /tmp named from a hash of the home.
func (l layout) socketDir(port int) string {
	sock := filepath.Join(l.run, ".s.PGSQL."+strconv.Itoa(listenPort(port)))
	if len(sock) <= maxSocketPath {
		return l.run
	}
	sum := sha256.Sum256([]byte(l.home))
	return filepath.Join(os.TempDir(), "aimaq-"+hex.EncodeToString(sum[:8]))
}

// prepareHome creates the home and its run directory, and when the server
// runs as another user makes sure that user can reach them.
func (l layout) prepareHome(acct *account) error {
	_, statErr := os.Stat(l.home)
	if err := os.MkdirAll(l.home, 0o755); err != nil {
		return err
	}
	if errors.Is(statErr, os.ErrNotExist) && acct != nil {
		// A restrictive umask would leave a new home 0700, which user aimaq
		// could not enter.
		if err := os.Chmod(l.home, 0o755); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(l.run, 0o755); err != nil {
		return err
	}
	if acct == nil {
		return nil
	}
	if err := acct.checkTraversable(l.home); err != nil {
		return err
	}
	for _, p := range []string{l.run, l.data, l.log} {
		if err := acct.chownTree(p); err != nil {
			return err
		}
	}
	return nil
}

// prepareSocketDir creates sock when it is the /tmp fallback and refuses one
// that someone else owns, since whoever owns it could intercept connections.
func prepareSocketDir(sock, run string, acct *account) error {
	if sock == run {
		return nil
	}
	if err := os.Mkdir(sock, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	fi, err := os.Lstat(sock)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("socket directory %s is not a directory", sock)
	}
	owner := -1
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		owner = int(st.Uid)
	}
	switch {
	case acct == nil && owner == os.Geteuid():
		return nil
	case acct != nil && owner == acct.uid:
		return nil
	case acct != nil && owner == 0:
		return acct.chown(sock)
	}
	return fmt.Errorf("socket directory %s is owned by uid %d, not by this user: remove it or use a shorter home path", sock, owner)
}
