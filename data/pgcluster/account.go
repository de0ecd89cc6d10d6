package pgcluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// account is the unprivileged user postgres runs as when aimaq runs as root,
// since postgres refuses to run as root. A nil *account means "this user".
type account struct {
	uid, gid int
}

// userMu keeps parallel Ensure calls in one process from racing useradd
// (which fails while another useradd holds /etc/passwd's lock).
var userMu sync.Mutex

// serverAccount returns nil when not root, and otherwise the system user
// aimaq, created if missing.
func serverAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	userMu.Lock()
	defer userMu.Unlock()
	u, err := user.Lookup(RoleName)
	if err != nil {
		var unknown user.UnknownUserError
		if !errors.As(err, &unknown) {
			return nil, err
		}
		u, err = createSystemUser(RoleName)
		if err != nil {
			return nil, err
		}
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, err
	}
	return &account{uid: uid, gid: gid}, nil
}

func createSystemUser(name string) (*user.User, error) {
	useradd, err := exec.LookPath("useradd")
	if err != nil {
		useradd = "/usr/sbin/useradd"
	}
	out, runErr := exec.Command(useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name).CombinedOutput()
	// Another process may have created it in the meantime; that is fine.
	u, err := user.Lookup(name)
	if err == nil {
		return u, nil
	}
	if runErr != nil {
		return nil, fmt.Errorf("postgres will not run as root and creating system user %q failed: %w: %s", name, runErr, strings.TrimSpace(string(out)))
	}
	return nil, err
}

func (a *account) credential() *syscall.Credential {
	if a == nil {
		return nil
	}
	return &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid)}
}

func (a *account) chown(path string) error {
	if a == nil {
		return nil
	}
	return os.Lchown(path, a.uid, a.gid)
}

// chownTree hands path and everything under it to the account; a missing
// path is not an error.
func (a *account) chownTree(path string) error {
	if a == nil {
		return nil
	}
	err := filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, a.uid, a.gid)
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// checkTraversable makes sure the account can reach dir: every directory from
// / down to dir must grant it search permission.
func (a *account) checkTraversable(dir string) error {
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok {
			mode := fi.Mode().Perm()
			canSearch := mode&0o001 != 0 ||
				(int(st.Uid) == a.uid && mode&0o100 != 0) ||
				(int(st.Gid) == a.gid && mode&0o010 != 0)
			if !canSearch {
				return fmt.Errorf("user %s (postgres cannot run as root) cannot enter %s (mode %v): run chmod o+x on it or choose a home elsewhere", RoleName, p, mode)
			}
		}
		if parent := filepath.Dir(p); parent == p {
			return nil
		}
	}
}
